from __future__ import annotations

from tests.support.http_server import local_server  # noqa: F401 - the fixture, shared
