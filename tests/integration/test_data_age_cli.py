"""``check`` refuses old vulnerability data (exit 4) unless the limit allows it; the limit used and
each source's capture time go into decision.json."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mdrgate.cli import main
from mdrgate.model import DbProvenance
from mdrgate.vulndb.freshness import DEFAULT_MAX_AGE_DAYS, age_days, too_old

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "infusion-pump"
CONFIG = EXAMPLE / "mdrgate.yml"
FEEDS = (
    EXAMPLE / "osv" / "PyPI" / "all.zip",
    EXAMPLE / "nvd" / "nvd-excerpt.json.gz",
    EXAMPLE / "kev" / "known_exploited_vulnerabilities.json.gz",
)
EPOCH = "1795867200"  # 2026-11-28T12:00:00Z


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.delenv("MDRGATE_DB", raising=False)
    monkeypatch.delenv("MDRGATE_MAX_DATA_AGE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def db(env: Path) -> Path:
    path = env / "vulndb.sqlite3"
    assert main(["db", "import", "-q", "--db", str(path), *map(str, FEEDS)]) == 0
    return path


def _check(db: Path, out: Path, *extra: str, config: Path = CONFIG) -> int:
    return main(
        ["check", "-q", "--config", str(config), "--db", str(db), "--out", str(out), *extra]
    )


def test_old_data_is_exit_4_by_default(
    db: Path, env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _check(db, env / "evidence") == 4
    err = capsys.readouterr().err
    # The PyPA excerpt's newest record is of 2024-10; the KEV catalog was released 2025-08-25.
    assert "the vulnerability data is too old to gate on: kev: its data is 460 days old" in err
    assert "(maximum 7)" in err
    assert "osv/PyPI/PYSEC: its data is" in err
    assert "--max-data-age" in err
    assert not (env / "evidence").exists()  # no evidence that could be mistaken for a result


def test_a_limit_that_covers_the_data_lets_the_gate_judge(db: Path, env: Path) -> None:
    out = env / "evidence"
    assert _check(db, out, "--max-data-age", "1000") == 1
    decision = json.loads((out / "decision.json").read_text())
    assert decision["database"]["maxDataAgeDays"] == 1000
    captured = {s["source"]: s["capturedAt"] for s in decision["database"]["sources"]}
    assert captured["kev"] == "2025-08-25T17:04:19Z"
    assert captured["osv/PyPI/PYSEC"] is None  # an OSV export states no capture time


def test_a_limit_the_data_exceeds_is_exit_4(db: Path, env: Path) -> None:
    assert _check(db, env / "evidence", "--max-data-age", "100") == 4


def test_environment_and_configuration_set_the_limit(
    db: Path, env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = env / "mdrgate.yml"
    config.write_text(
        "apiVersion: mdrgate/v1\nkind: Config\nproduct: {name: p, version: '1'}\n"
        f"inputs: [{EXAMPLE}/host/requirements.txt]\nmax_data_age: off\n"  # YAML: false
    )
    out = env / "evidence"
    assert _check(db, out, config=config) == 1
    assert json.loads((out / "decision.json").read_text())["database"]["maxDataAgeDays"] is None
    # The environment overrides the configuration, the flag overrides both.
    monkeypatch.setenv("MDRGATE_MAX_DATA_AGE", "30")
    assert _check(db, out, config=config) == 4
    assert _check(db, out, "--max-data-age", "off", config=config) == 1


@pytest.mark.parametrize("value", ["0", "-3", "soon", "inf", "nan"])
def test_a_bad_limit_is_a_usage_error(
    db: Path, env: Path, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _check(db, env / "evidence", "--max-data-age", value) == 2
    assert "--max-data-age: expected a number of days greater than 0, or 'off'" in (
        capsys.readouterr().err
    )


def test_a_bad_limit_in_the_configuration_names_the_key(
    db: Path, env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = env / "mdrgate.yml"
    config.write_text(
        "apiVersion: mdrgate/v1\nkind: Config\nproduct: {name: p, version: '1'}\n"
        f"inputs: [{EXAMPLE}/host/requirements.txt]\nmax_data_age: never\n"
    )
    assert _check(db, env / "evidence", config=config) == 2
    err = capsys.readouterr().err
    assert "max_data_age" in err and "a number of days greater than 0, or 'off'" in err


def _source(captured: str | None, newest: str | None, checked: str | None = None) -> DbProvenance:
    return DbProvenance(
        "s", "osv", "f", "0" * 64, 1, 0, newest, "2026-01-01T00:00:00Z", captured, checked
    )


def test_age_runs_from_capture_else_newest_record_and_unknown_is_too_old() -> None:
    now = datetime(2026, 11, 28, 12, tzinfo=UTC)
    assert age_days(_source("2026-11-20T12:00:00+00:00", "2020-01-01T00:00:00+00:00"), now) == 8
    assert age_days(_source(None, "2026-11-27T00:00:00+00:00"), now) == 1.5
    assert age_days(_source(None, None), now) is None
    assert too_old([_source(None, None)], now, DEFAULT_MAX_AGE_DAYS) == (
        "s: the age of its data is unknown",
    )
    assert too_old([_source(None, "2026-11-27T00:00:00+00:00")], now, 7) == ()
    # An update confirmed a month-old catalog current yesterday: one day old, not thirty.
    confirmed = _source("2026-10-29T12:00:00+00:00", None, "2026-11-27T12:00:00Z")
    assert age_days(confirmed, now) == 1
    assert age_days(_source(None, None, "2026-11-27T12:00:00Z"), now) == 1
    # A confirmation older than the capture does not make the data older.
    assert age_days(_source("2026-11-27T12:00:00Z", None, "2026-11-01T12:00:00Z"), now) == 1


def test_an_air_gapped_import_states_when_the_files_were_downloaded(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = env / "vulndb.sqlite3"
    feeds = [str(f) for f in FEEDS]
    assert main(["db", "import", "-q", "--db", str(db), "--captured-at", "2026-11-25", *feeds]) == 0
    assert _check(db, env / "evidence") == 1  # 3.5 days old: within the default 7
    decision = json.loads((env / "evidence" / "decision.json").read_text())
    assert decision["database"]["maxDataAgeDays"] == 7
    assert {s["capturedAt"] for s in decision["database"]["sources"]} == {"2026-11-25T00:00:00Z"}

    later = ["db", "import", "-q", "--db", str(db), "--captured-at", "2026-12-01", *feeds]
    assert main(later) == 2
    assert "--captured-at: 2026-12-01T00:00:00Z is later than now" in capsys.readouterr().err
    assert main(["db", "import", "-q", "--db", str(db), "--captured-at", "yesterday", *feeds]) == 2
