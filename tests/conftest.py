"""Shared fixtures: a fixed clock, paths to the committed real-data assets.

Sockets are blocked for the whole suite by ``--disable-socket`` in pyproject.toml. Tests of online
code use the ``local_server`` fixture (tests/support/http_server.py) and allow 127.0.0.1 only.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

pytest_plugins = ["tests.support.http_server"]

ASSETS = Path(__file__).parent / "assets"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def assets() -> Path:
    return ASSETS


@pytest.fixture
def fixed_now() -> datetime:
    """The suite's clock: all dates in assets are judged as of this instant."""
    return datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC)
