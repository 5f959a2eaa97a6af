from __future__ import annotations

from pathlib import Path

import pytest

from mdrgate.fetch import HttpClient, RetryPolicy, Timeouts
from tests.unit.vulndb.osv_assets import PYPI, build_db


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def client(sleeps: list[float]) -> HttpClient:
    """A client that never really waits between attempts (the waits are recorded)."""
    return HttpClient(
        timeouts=Timeouts(connect=2.0, read=2.0),
        retry=RetryPolicy(attempts=3),
        sleep=sleeps.append,
        jitter=lambda: 0.0,
    )


@pytest.fixture(scope="session")
def pypi_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A local database of the committed PyPA excerpt only (PYSEC records, no GHSA)."""
    return build_db(tmp_path_factory.mktemp("online") / "vuln.db", (PYPI,))
