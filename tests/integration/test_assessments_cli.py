"""Waivers and VEX end to end on the example device (its waivers.yml and vex/ documents)."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from mdrgate.cli import main

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "infusion-pump"
CONFIG = EXAMPLE / "mdrgate.yml"
FEEDS = (
    EXAMPLE / "osv" / "PyPI" / "all.zip",
    EXAMPLE / "nvd" / "nvd-excerpt.json.gz",
    EXAMPLE / "kev" / "known_exploited_vulnerabilities.json.gz",
    EXAMPLE / "eol" / "endoflife-date.zip",
)
EPOCH = "1795867200"  # 2026-11-28T12:00:00Z
FREERTOS = "pkg:github/freertos/freertos-kernel@V10.3.1"
CPYTHON = "pkg:generic/cpython@3.8.10"
URLLIB3 = "pkg:pypi/urllib3@1.26.4"
REQUESTS = "pkg:pypi/requests@2.25.1"


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("MDRGATE_MAX_DATA_AGE", "off")
    monkeypatch.delenv("MDRGATE_DB", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="module")
def example_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("example-db") / "vulndb.sqlite3"
    assert main(["db", "import", "-q", "--db", str(path), *map(str, FEEDS)]) == 0
    return path


@pytest.fixture
def db(env: Path, example_db: Path) -> Path:
    path = env / "vulndb.sqlite3"
    shutil.copyfile(example_db, path)
    return path


def check(db: Path, out: Path, *extra: str) -> int:
    return main(["check", "--config", str(CONFIG), "--db", str(db), "--out", str(out), *extra])


@pytest.fixture(scope="module")
def example_run(tmp_path_factory: pytest.TempPathFactory, example_db: Path) -> Path:
    """The example checked once with its waivers and VEX documents (the evidence directory)."""
    out = tmp_path_factory.mktemp("assessed") / "evidence"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        mp.setenv("MDRGATE_MAX_DATA_AGE", "off")
        mp.delenv("MDRGATE_DB", raising=False)
        assert check(example_db, out) == 1
    return out


def outcomes(decision: dict[str, Any]) -> dict[tuple[str, str, str | None], dict[str, Any]]:
    return {(o["ruleId"], o["subject"]["ref"], o["advisory"]): o for o in decision["outcomes"]}


def test_waiver_suppresses_exactly_its_finding(example_run: Path) -> None:
    decision = json.loads((example_run / "decision.json").read_text())
    by_key = outcomes(decision)
    waived = by_key[("MDR-VULN-001", FREERTOS, "CVE-2021-31571")]
    assert waived["status"] == "suppressed"
    assert waived["message"].endswith(
        "suppressed by waiver WVR-2026-007 (approved by Dr. Jana Novak, Head of Product Security "
        "on 2026-10-02, expires 2027-03-31)"
    )
    assert (
        "waiver WVR-2026-007 links: https://tracker.example-medical.test/browse/AIP-2291, "
        "RMF-IP300 hazard H-SEC-014, CR-2291" in waived["evidence"]
    )
    # The other FreeRTOS CVE of the same component and version is not covered.
    assert by_key[("MDR-VULN-001", FREERTOS, "CVE-2021-31572")]["status"] == "fail"
    suppressed = [o for o in decision["outcomes"] if o["status"] == "suppressed"]
    # Every rule's outcome about the two covered findings, and nothing else.
    assert {(o["subject"]["ref"], o["advisory"]) for o in suppressed} == {
        (CPYTHON, "CVE-2015-20107"),
        (FREERTOS, "CVE-2021-31571"),
    }
    assert decision["counts"]["outcomes"]["suppressed"] == len(suppressed)
    finding = next(
        f
        for f in decision["findings"]
        if (f["component"]["ref"], f["advisory"]["id"]) == (FREERTOS, "CVE-2021-31571")
    )
    assert [(a["id"], a["effect"], a["expiresOn"]) for a in finding["assessments"]] == [
        ("WVR-2026-007", "waived", "2027-03-31")
    ]
    assert finding["assessments"][0]["source"]["line"] == 9


def test_expired_waiver_fails_with_its_own_outcome(example_run: Path) -> None:
    decision = json.loads((example_run / "decision.json").read_text())
    by_key = outcomes(decision)
    expired = by_key[("MDRGATE-WAIVER-EXPIRED", URLLIB3, "PYSEC-2021-108")]
    assert expired["status"] == "fail"
    assert expired["message"] == (
        "waiver WVR-2025-003 for PYSEC-2021-108 in urllib3 1.26.4 expired on 2026-05-31: it no "
        "longer accepts the finding, which is judged without it"
    )
    assert by_key[("MDR-VULN-001", URLLIB3, "PYSEC-2021-108")]["status"] == "fail"


def test_openvex_not_affected_suppresses_cpython_finding(example_run: Path) -> None:
    decision = json.loads((example_run / "decision.json").read_text())
    suppressed = outcomes(decision)[("MDR-VULN-001", CPYTHON, "CVE-2015-20107")]
    assert suppressed["status"] == "suppressed"
    assert suppressed["message"].endswith(
        "cpython-mailcap.openvex.json#/statements/0 (not_affected)"
    )
    finding = next(
        f
        for f in decision["findings"]
        if (f["component"]["ref"], f["advisory"]["id"]) == (CPYTHON, "CVE-2015-20107")
    )
    record = finding["assessments"][0]
    assert (record["kind"], record["effect"], record["justification"]) == (
        "openvex",
        "not-affected",
        "vulnerable_code_not_in_execute_path",
    )
    assert record["source"]["documentId"] == (
        "https://psirt.example-medtech.internal/vex/aurora-ip-300/2.4.0/openvex-2026-001"
    )


def test_cyclonedx_in_triage_marks_assessed_but_does_not_suppress(example_run: Path) -> None:
    decision = json.loads((example_run / "decision.json").read_text())
    outcome = outcomes(decision)[("MDR-VULN-001", REQUESTS, "PYSEC-2023-74")]
    assert outcome["status"] == "fail"
    finding = next(
        f
        for f in decision["findings"]
        if (f["component"]["ref"], f["advisory"]["id"]) == (REQUESTS, "PYSEC-2023-74")
    )
    assert [(a["kind"], a["status"], a["effect"]) for a in finding["assessments"]] == [
        ("cyclonedx-vex", "under_investigation", "assessed")
    ]


def test_every_record_is_used_and_every_report_shows_them(example_run: Path) -> None:
    decision = json.loads((example_run / "decision.json").read_text())
    own = {o["ruleId"] for o in decision["outcomes"] if o["ruleId"].startswith("MDRGATE-")}
    assert "MDRGATE-WAIVER-UNUSED" not in own
    assert "MDRGATE-VEX-UNMATCHED" not in own
    kinds = sorted((i["kind"], Path(i["path"]).name) for i in decision["inputs"])
    assert ("waivers", "waivers.yml") in kinds
    assert ("vex", "cpython-mailcap.openvex.json") in kinds
    assert ("vex", "requests-proxy-auth.cdx.vex.json") in kinds

    summary = (example_run / "summary.md").read_text()
    assert "## Waivers and VEX (4 records)" in summary
    assert "| FreeRTOS Kernel 10.3.1 CVE-2021-31571: waived |" in summary
    assert "urllib3 1.26.4 PYSEC-2021-108: expired" in summary

    junit = ET.fromstring((example_run / "junit.xml").read_bytes())
    skipped = {
        case.get("name")
        for case in junit.iter("testcase")
        if case.get("classname") == "MDR-VULN-001" and case.find("skipped") is not None
    }
    assert skipped == {"FreeRTOS Kernel 10.3.1 CVE-2021-31571", "CPython 3.8.10 CVE-2015-20107"}


def test_vex_for_a_product_not_in_the_inventory_warns(
    db: Path, env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = {
        "@context": "https://openvex.dev/ns/v0.2.0",
        "@id": "https://psirt.example-medtech.internal/vex/flask-2026-002",
        "author": "Example Medical Devices GmbH, Product Security",
        "timestamp": "2026-09-15T10:00:00Z",
        "version": 1,
        "statements": [
            {
                "vulnerability": {"name": "CVE-2023-30861"},
                "products": [{"@id": "pkg:pypi/flask@2.2.4"}],
                "status": "not_affected",
                "justification": "component_not_present",
            }
        ],
    }
    path = env / "flask.openvex.json"
    path.write_text(json.dumps(document, indent=2))
    out = env / "ev"
    # --vex replaces the configuration's list: the CPython statement no longer applies.
    assert check(db, out, "--vex", str(path)) == 1
    decision = json.loads((out / "decision.json").read_text())
    by_key = outcomes(decision)
    warning = by_key[("MDRGATE-VEX-UNMATCHED", "inventory", "CVE-2023-30861")]
    assert warning["status"] == "warn"
    assert warning["message"] == (
        "OpenVEX statement flask.openvex.json#/statements/0 (CVE-2023-30861) covers no finding: "
        "no component of the inventory matches its products"
    )
    assert by_key[("MDR-VULN-001", CPYTHON, "CVE-2015-20107")]["status"] == "fail"
    assert by_key[("MDR-VULN-001", FREERTOS, "CVE-2021-31571")]["status"] == "suppressed"
    assert "waived/suppressed" in capsys.readouterr().out


def test_bad_waiver_file_is_exit_2_with_file_and_line(
    db: Path, env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = env / "waivers.yml"
    text = (EXAMPLE / "waivers.yml").read_text()
    bad.write_text(text.replace("    approver: Dr. Jana Novak, Head of Product Security\n", "", 1))
    assert check(db, env / "ev", "--waivers", str(bad)) == 2
    err = capsys.readouterr().err
    assert "waivers.yml:9" in err
    assert "approver" in err
    assert not (env / "ev").exists()


def test_bad_vex_file_is_exit_2_with_file_and_line(
    db: Path, env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = env / "bad.openvex.json"
    text = (EXAMPLE / "vex" / "cpython-mailcap.openvex.json").read_text()
    bad.write_text(text.replace('"status": "not_affected"', '"status": "fine"'))
    assert check(db, env / "ev", "--vex", str(bad)) == 2
    err = capsys.readouterr().err
    assert "bad.openvex.json:" in err
    assert "status" in err


def test_missing_waiver_file_is_exit_2(
    db: Path, env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert check(db, env / "ev", "--waivers", "nowhere.yml") == 2
    assert "nowhere.yml: waivers file not found" in capsys.readouterr().err


def test_the_sbom_names_the_record_that_decided_each_finding(example_run: Path) -> None:
    sbom = json.loads((example_run / "sbom.cdx.json").read_text())
    found = {
        v["id"]: p["value"]
        for v in sbom["vulnerabilities"]
        for p in v.get("properties", [])
        if p["name"] == "mdrgate:assessment"
    }
    assert found["CVE-2021-31571"].startswith(
        "pkg:github/freertos/freertos-kernel@V10.3.1: waived: waiver WVR-2026-007 (affected) at "
    )
    assert found["PYSEC-2021-108"].startswith(
        "pkg:pypi/urllib3@1.26.4: expired: waiver WVR-2025-003"
    )
    assert "not-affected: OpenVEX statement" in found["CVE-2015-20107"]
    assert "assessed: CycloneDX VEX statement" in found["PYSEC-2023-74"]
    assert "CVE-2021-31572" not in found  # the waiver covers its own CVE only
