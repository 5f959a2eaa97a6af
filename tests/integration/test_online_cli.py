"""``mdrgate check --online`` end to end: the example device, the bundled PyPA excerpt as the local
database, and an OSV API on 127.0.0.1 serving real records (tests/support/fake_osv.py)."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import jsonschema
import pytest

from mdrgate.cli import main
from tests.support.fake_osv import FakeOsv
from tests.support.http_server import LocalServer, Reply

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "examples" / "infusion-pump" / "mdrgate.yml"
EXCERPT = REPO / "examples" / "infusion-pump" / "osv" / "PyPI" / "all.zip"
NVD_EXCERPT = REPO / "examples" / "infusion-pump" / "nvd" / "nvd-excerpt.json.gz"
EPOCH = "1795867200"  # 2026-11-28T12:00:00Z
LISTED = {
    "pkg:pypi/requests@2.25.1": ["PYSEC-2023-74", "GHSA-j8r2-6x86-q33q"],
    "pkg:pypi/urllib3@1.26.4": ["PYSEC-2023-192", "PYSEC-2023-212", "GHSA-v845-jxx5-vc9f"],
}


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    # The committed excerpts are fixed snapshots, years old at EPOCH: the data-age check has
    # its own tests (test_data_age_cli.py).
    monkeypatch.setenv("MDRGATE_MAX_DATA_AGE", "off")
    monkeypatch.delenv("MDRGATE_DB", raising=False)
    for proxy in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(proxy, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The client's waits between attempts, recorded instead of slept."""
    recorded: list[float] = []
    monkeypatch.setattr(time, "sleep", recorded.append)
    return recorded


@pytest.fixture
def db(env: Path) -> Path:
    path = env / "vulndb.sqlite3"
    assert main(["db", "import", "--db", str(path), str(EXCERPT), str(NVD_EXCERPT)]) == 0
    return path


def _check(db: Path, out: Path) -> int:
    args = ["check", "--config", str(CONFIG), "--db", str(db), "--out", str(out), "--online"]
    return main(args)


def test_online_findings_merge_into_the_evidence(
    db: Path, env: Path, local_server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeOsv(local_server, LISTED)
    monkeypatch.setenv("MDRGATE_OSV_API", fake.url)
    out = env / "evidence"

    assert _check(db, out) == 1

    decision = json.loads((out / "decision.json").read_text())
    schema = json.loads((REPO / "src/mdrgate/schemas/decision.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(decision)
    found = [
        (f["component"]["ref"], f["advisory"]["id"], f["advisory"]["source"])
        for f in decision["findings"]
        if f["component"]["ref"] in ("pkg:pypi/requests@2.25.1", "pkg:pypi/urllib3@1.26.4")
    ]
    # One finding per vulnerability: the GHSA records only the API knows are merged into the
    # PyPA records of the same CVEs.
    assert found == [
        ("pkg:pypi/requests@2.25.1", "PYSEC-2023-74", "osv-api"),
        ("pkg:pypi/urllib3@1.26.4", "PYSEC-2021-108", "osv/PyPI/PYSEC"),  # local only
        ("pkg:pypi/urllib3@1.26.4", "PYSEC-2023-192", "osv-api"),
        ("pkg:pypi/urllib3@1.26.4", "PYSEC-2023-212", "osv-api"),
    ]
    pysec = next(f for f in decision["findings"] if f["advisory"]["id"] == "PYSEC-2023-74")
    assert "the same advisory is also in source osv/PyPI/PYSEC" in pysec["notes"]
    assert (
        "also published as GHSA-j8r2-6x86-q33q (source osv-api); reported once" in (pysec["notes"])
    )
    sources = {s["source"]: s for s in decision["database"]["sources"]}
    assert sorted(sources) == ["nvd/2002-2024", "osv-api", "osv/PyPI/PYSEC"]
    assert sources["osv-api"]["fileName"] == fake.url
    assert sources["osv-api"]["records"] == 5
    assert sources["osv-api"]["importedAt"] == "2026-11-28T12:00:00Z"
    asked = {q["package"]["purl"] for batch in fake.batches for q in batch}
    assert {"pkg:pypi/requests@2.25.1", "pkg:pypi/urllib3@1.26.4"} <= asked
    assert all(p.startswith("pkg:pypi/") for p in asked)  # firmware items have no OSV matcher
    assert "osv-api" in (out / "summary.md").read_text()


def test_unreachable_api_is_exit_4_not_a_pass(
    db: Path,
    env: Path,
    waits: list[float],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("MDRGATE_OSV_API", f"http://127.0.0.1:{port}")
    out = env / "evidence"

    assert _check(db, out) == 4

    err = capsys.readouterr().err
    assert err.startswith(
        f"checking online as well: http://127.0.0.1:{port}\n"
        f"error: http://127.0.0.1:{port}/v1/querybatch: POST failed after 5 attempts: "
        "the connection was refused (earlier: the connection was refused (4 times))\n"
    )
    assert "hint: check the network connection and proxy settings" in err
    assert "Traceback" not in err
    assert len(waits) == 4
    assert not out.exists()


def test_partial_answer_is_exit_4(
    db: Path,
    env: Path,
    local_server: LocalServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    local_server.route("/v1/querybatch", Reply.json({"results": [{}]}))
    monkeypatch.setenv("MDRGATE_OSV_API", local_server.url(""))

    assert _check(db, env / "evidence") == 4
    assert "a partial answer: the components without a result would go unchecked" in (
        capsys.readouterr().err
    )


def test_not_a_url_in_the_environment(
    db: Path, env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MDRGATE_OSV_API", "api.osv.dev")
    assert _check(db, env / "evidence") == 2
    assert "the OSV API URL must be an http(s) URL" in capsys.readouterr().err


def test_help_documents_the_flag(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--online also ask the OSV API (https://api.osv.dev, or $MDRGATE_OSV_API)" in text
    assert "exit code 4, never with a pass" in text
