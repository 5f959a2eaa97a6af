"""A database holding the real endoflife.date excerpt of tests/assets/support (read only)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from mdrgate.vulndb import VulnDb, import_feeds
from mdrgate.vulndb.records import EolProduct

ASSETS = Path(__file__).resolve().parents[2] / "assets"
EOL_ZIP = ASSETS / "support" / "endoflife-support.zip"
KEV = ASSETS / "kev" / "kev-excerpt.json"
NOW = datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC)
TODAY = date(2026, 11, 28)
PRODUCTS = ("ansible", "ansible-core", "django", "nodejs", "openssl", "python", "sqlite")


@pytest.fixture(scope="session")
def eol_db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("eol") / "vuln.db"
    import_feeds(path, [EOL_ZIP], now=NOW)
    return path


@pytest.fixture
def eol_db(eol_db_path: Path) -> Iterator[VulnDb]:
    with VulnDb.open(eol_db_path) as db:
        yield db


@pytest.fixture(scope="session")
def eol_products(eol_db_path: Path) -> tuple[EolProduct, ...]:
    """Every product of the excerpt (frozen values: shared by the tests)."""
    with VulnDb.open(eol_db_path) as db:
        found = [db.eol_product(name) for name in PRODUCTS]
    assert all(p is not None for p in found)
    return tuple(p for p in found if p is not None)


@pytest.fixture(scope="session")
def kev_only_db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with data, but none from endoflife.date."""
    path = tmp_path_factory.mktemp("kev") / "vuln.db"
    import_feeds(path, [KEV], now=NOW)
    return path
