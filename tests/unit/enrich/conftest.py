from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.vulndb.osv_assets import build_db


@pytest.fixture(scope="session")
def assets_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database of every committed OSV excerpt; tests only read it."""
    return build_db(tmp_path_factory.mktemp("osvdb") / "vuln.db")
