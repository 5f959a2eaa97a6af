"""``mdrgate db update`` end to end: the official endpoints played by a local server with real
excerpts (tests/unit/update/served.py), the environment overrides, exit codes and output."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from mdrgate.cli import main
from tests.support.http_server import LocalServer, Reply
from tests.unit.update.served import KEV, serve

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])

EPOCH = "1795867200"  # 2026-11-28T12:00:00Z
EVERYTHING = ["osv:PyPI", "osv:Go", "nvd", "kev", "epss", "eol", "eol:openssl"]


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    for name in (
        "MDRGATE_DB",
        "NVD_API_KEY",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "http_proxy",
        "https_proxy",
        "ALL_PROXY",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    recorded: list[float] = []
    monkeypatch.setattr(time, "sleep", recorded.append)
    return recorded


@pytest.fixture
def served(local_server: LocalServer, monkeypatch: pytest.MonkeyPatch, env: Path) -> LocalServer:
    endpoints = serve(local_server)
    monkeypatch.setenv("MDRGATE_OSV_EXPORTS", endpoints.osv)
    monkeypatch.setenv("MDRGATE_NVD_API", endpoints.nvd)
    monkeypatch.setenv("MDRGATE_KEV_URL", endpoints.kev)
    monkeypatch.setenv("MDRGATE_EPSS_URL", endpoints.epss)
    monkeypatch.setenv("MDRGATE_EOL_API", endpoints.eol)
    return local_server


def update(db: Path, *args: str) -> int:
    return main(["db", "update", "--db", str(db), *args])


def sources_flags(specs: list[str]) -> list[str]:
    return [arg for spec in specs for arg in ("--source", spec)]


def test_update_fills_a_new_database_then_status_shows_it(
    served: LocalServer, env: Path, waits: list[float], capsys: pytest.CaptureFixture[str]
) -> None:
    db = env / "vulndb.sqlite3"

    assert update(db, *sources_flags(EVERYTHING)) == 0

    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[-2].startswith("updated vulndb.sqlite3 from 7 sources: 76 records in ")
    assert lines[-1] == (
        "This product uses data from the NVD API but is not endorsed or certified by the NVD."
    )
    assert "  osv/PyPI: 12 records from " in out
    assert f"kev: fetching {served.url('/kev.json')}" in err  # plain lines: not a terminal
    assert "kev: 3 KEV entries (0.0 MB)" in err
    assert waits == []

    assert main(["db", "status", "--db", str(db), "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert {s["source"]: s["records"] for s in status["sources"]} == {
        "eol": 34,
        "eol/openssl": 14,
        "epss": 4,
        "kev": 3,
        "nvd/api": 7,
        "osv/Go": 2,
        "osv/PyPI": 12,
    }


def test_a_second_update_of_unchanged_sources_rebuilds_nothing(
    served: LocalServer, env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = env / "vulndb.sqlite3"
    assert update(db, "-s", "kev", "-s", "epss", "-q") == 0
    before = db.stat().st_ino
    capsys.readouterr()

    assert update(db, "-q") == 0  # default: what the database holds

    out, err = capsys.readouterr()
    assert out.startswith(
        "vulndb.sqlite3 unchanged: every source (2) was not modified since the last update"
    )
    assert err == ""
    assert db.stat().st_ino == before  # the same file: no rebuild swapped in


def test_a_failing_source_exits_4_naming_it_and_leaves_the_database(
    served: LocalServer, env: Path, waits: list[float], capsys: pytest.CaptureFixture[str]
) -> None:
    db = env / "vulndb.sqlite3"
    assert update(db, "-s", "kev", "-s", "osv:PyPI", "-q") == 0
    before = db.read_bytes()
    served.route("/kev.json", Reply(500, b"upstream down"))
    capsys.readouterr()

    assert update(db, "-q") == 4

    _, err = capsys.readouterr()
    assert err.splitlines() == [
        f"error: {served.url('/kev.json')}: kev not updated (the database is unchanged): GET "
        "failed after 5 attempts: HTTP 500 Internal Server Error (earlier: HTTP 500 Internal "
        "Server Error (4 times))",
        "  hint: check the network connection and proxy settings (HTTPS_PROXY, NO_PROXY)",
    ]
    assert len(waits) == 4  # backoff with jitter: half of 1, 2, 4, 8 s fixed, half random
    assert all(step / 2 <= wait <= step for wait, step in zip(waits, (1, 2, 4, 8), strict=True))
    assert db.read_bytes() == before


def test_a_slow_server_times_out_with_exit_4(
    served: LocalServer, env: Path, waits: list[float], capsys: pytest.CaptureFixture[str]
) -> None:
    db = env / "vulndb.sqlite3"
    served.route("/kev.json", Reply(body=KEV, delay=5.0))

    assert update(db, "-s", "kev", "--timeout", "0.2", "-q") == 4

    _, err = capsys.readouterr()
    assert "kev not updated (the database is unchanged): GET failed after 5 attempts: " in err
    assert "no answer within 0.2 s" in err
    assert not db.exists()


def test_the_nvd_api_key_comes_from_the_environment_and_is_never_shown(
    served: LocalServer,
    env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("NVD_API_KEY", "0123-secret")
    db = env / "vulndb.sqlite3"

    assert update(db, "-s", "nvd") == 0

    assert [r.headers["apikey"] for r in served.hits("/nvd")] == ["0123-secret"]
    out, err = capsys.readouterr()
    assert "0123-secret" not in out + err
    assert "nvd: 7 CVEs (all) in 1 page, merged into nvd/api" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-s", "ghsa"], "error: unknown source 'ghsa'"),
        (["-s", "osv"], "error: source 'osv': name the OSV ecosystem"),
        (["--timeout", "0"], "error: --timeout must be a positive number of seconds, got 0"),
        ([], "error: nothing to update: the database holds no sources yet"),
    ],
)
def test_usage_errors_exit_2(
    args: list[str], message: str, env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert update(env / "vulndb.sqlite3", *args) == 2
    assert capsys.readouterr().err.startswith(message)


def test_a_bad_endpoint_override_is_a_usage_error(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MDRGATE_KEV_URL", "ftp://example.org/kev.json")
    assert update(env / "vulndb.sqlite3", "-s", "kev") == 2
    assert "MDRGATE_KEV_URL must be an http(s) URL" in capsys.readouterr().err


def test_progress_bars_on_a_terminal(
    served: LocalServer,
    env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import sys

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    db = env / "vulndb.sqlite3"

    assert update(db, "-s", "osv:PyPI", "-s", "nvd") == 0

    _, err = capsys.readouterr()
    assert "osv:PyPI: 12 records (0.0 MB)" in err
    assert "nvd: 7 CVEs (all) in 1 page, merged into nvd/api" in err
    assert "fetching" not in err  # bars instead of lines
