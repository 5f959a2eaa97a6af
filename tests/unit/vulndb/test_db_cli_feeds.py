"""``mdrgate db import`` / ``db status`` with every kind of feed, through the CLI's main()."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mdrgate.cli import main
from tests.unit.vulndb.feed_assets import EOL_ZIP, EPSS, FEEDS, KEV, NVD_API, NVD_FEED
from tests.unit.vulndb.osv_assets import PYPI

EPOCH = "1795867200"  # 2026-11-28T12:00:00Z


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.delenv("MDRGATE_DB", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_import_and_status_of_every_kind(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = env / "v.db"
    assert main(["db", "import", "--db", str(db), *map(str, (*FEEDS, PYPI))]) == 0
    out = capsys.readouterr().out
    assert "nvd/2015: 4 CVE records from" in out
    assert "kev: 3 KEV entries from" in out
    assert "epss: 4 EPSS scores from" in out
    assert "eol: 34 release cycles from" in out
    assert "imported 64 records from 6 files into" in out

    assert main(["db", "status", "--db", str(db), "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    rows = {
        s["source"]: (s["kind"], s["records"], s["capturedAt"], s["ageDays"])
        for s in status["sources"]
    }
    assert rows == {
        "eol": ("eol", 34, None, 107.5),
        "epss": ("epss", 4, "2025-08-25T12:55:00Z", 460.0),
        "kev": ("kev", 3, "2025-08-25T17:04:19Z", 459.8),
        "nvd/2015": ("nvd", 4, "2026-04-25T03:01:47Z", 217.4),
        "nvd/2018-2024": ("nvd", 7, "2026-04-29T03:04:06Z", 213.4),
        "osv/PyPI/PYSEC": ("osv", 12, None, 989.0),
    }
    assert status["schemaVersion"] == 2

    assert main(["db", "status", "--db", str(db)]) == 0
    text = capsys.readouterr().out
    assert "source     kev (kev): 3 KEV entries, catalog version 2025.08.25" in text
    assert "source     nvd/2015 (nvd): 4 CVE records (1 rejected)" in text
    assert "source     eol (eol): 34 release cycles of 3 products" in text


def test_status_max_age_fails_closed(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = env / "v.db"
    assert main(["db", "import", "-q", "--db", str(db), str(NVD_API), str(KEV)]) == 0
    capsys.readouterr()

    assert main(["db", "status", "--db", str(db), "--max-age", "300"]) == 4
    err = capsys.readouterr().err
    assert "kev: its data is 460 days old (maximum 300)" in err
    assert "nvd/2018-2024" not in err

    assert main(["db", "status", "--db", str(db), "--max-age", "500"]) == 0


def test_a_bad_file_among_good_ones_changes_nothing(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = env / "v.db"
    assert main(["db", "import", "-q", "--db", str(db), str(NVD_FEED)]) == 0
    before = db.read_bytes()
    cut = env / "eol.zip"
    cut.write_bytes(EOL_ZIP.read_bytes()[:3000])

    assert main(["db", "import", "--db", str(db), str(EPSS), str(cut)]) == 3

    assert f"{cut}: not a readable zip archive" in capsys.readouterr().err
    assert db.read_bytes() == before
