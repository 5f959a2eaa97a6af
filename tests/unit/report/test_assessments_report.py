"""Waived and VEX-covered findings in every report: decision.json, summary.md, junit.xml, terminal.

The sample run gets a valid waiver (urllib3 PYSEC-2023-192), an expired one (requests
PYSEC-2023-74), a VEX ``not_affected`` statement (aiohttp PYSEC-2024-24) and a VEX statement
about a product the inventory lacks, applied by the real policy functions.
"""

from __future__ import annotations

import dataclasses
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date

import jsonschema
from rich.console import Console

from mdrgate.model import Inventory, RunResult, Verdict
from mdrgate.model.assessment import (
    Assessment,
    AssessmentKind,
    AssessmentSource,
    ComponentSelector,
    Justification,
    VexStatus,
)
from mdrgate.policy.assessment_rules import (
    apply_assessments,
    assessment_outcomes,
    match_assessments,
)
from mdrgate.report.decision import decision_document, render_decision
from mdrgate.report.junit import render_junit
from mdrgate.report.markdown import render_summary
from mdrgate.report.terminal import print_summary
from mdrgate.validation import packaged_schema
from tests.unit.report.sample import COMPONENTS, FINDINGS, OUTCOMES, STARTED, run_result


def _waiver(wid: str, vulnerability: str, purl: str, versions: str, expires: date) -> Assessment:
    return Assessment(
        id=wid,
        vulnerability=vulnerability,
        status=VexStatus.NOT_AFFECTED,
        justification=Justification.VULNERABLE_CODE_CANNOT_BE_CONTROLLED_BY_ADVERSARY,
        components=(ComponentSelector(purl=purl, versions=versions),),
        source=AssessmentSource(AssessmentKind.WAIVER, "waivers.yml", line=8, sha256="a" * 64),
        impact="only URLs the tool builds itself reach the library",
        approver="Dr. Jana Novak",
        approved_on=date(2025, 5, 12),
        expires_on=expires,
        links=("CAPA-2025-031",),
    )


def _vex(index: int, vulnerability: str, purl: str) -> Assessment:
    return Assessment(
        id=f"urn:uuid:0f2c#/statements/{index}",
        vulnerability=vulnerability,
        status=VexStatus.NOT_AFFECTED,
        justification=Justification.VULNERABLE_CODE_NOT_IN_EXECUTE_PATH,
        components=(ComponentSelector(purl=purl),),
        source=AssessmentSource(
            AssessmentKind.OPENVEX,
            "vex/host.openvex.json",
            line=12 + index,
            pointer=f"/statements/{index}",
            document_id="urn:uuid:0f2c",
            sha256="b" * 64,
        ),
        impact="the tool serves no static routes",
        timestamp="2026-09-15T10:00:00Z",
    )


ASSESSMENTS = (
    _waiver("WVR-1", "CVE-2023-43804", "pkg:pypi/urllib3", "==1.26.5", date(2027, 3, 31)),
    _waiver("WVR-2", "PYSEC-2023-74", "pkg:pypi/requests", "<2.31.0", date(2026, 5, 31)),
    _vex(0, "CVE-2024-23334", "pkg:pypi/aiohttp@3.8.1"),
    _vex(1, "CVE-2023-30861", "pkg:pypi/flask@2.2.4"),
)


def assessed_result() -> RunResult:
    today = STARTED.date()
    inventory = Inventory(components=COMPONENTS)
    matches = match_assessments(ASSESSMENTS, inventory, FINDINGS, today)
    outcomes = [
        *apply_assessments(OUTCOMES, matches),
        *assessment_outcomes(matches, inventory, today),
    ]
    return dataclasses.replace(
        run_result(),
        verdict=Verdict.from_outcomes(outcomes),
        assessments=ASSESSMENTS,
        applied=matches.applied,
    )


def test_decision_lists_each_findings_assessments(golden: Callable[[str, bytes], None]) -> None:
    document = decision_document(assessed_result())
    schema = dict(packaged_schema("schemas", "decision.schema.json"))
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    assert [e.message for e in validator.iter_errors(document)] == []
    assert document["counts"]["outcomes"] == {
        "fail": 3,
        "warn": 3,
        "suppressed": 2,
        "info": 0,
        "pass": 2,
    }
    effects = {
        (f["component"]["name"], f["advisory"]["id"]): [
            (a["id"], a["effect"]) for a in f["assessments"]
        ]
        for f in document["findings"]
    }
    assert effects == {
        ("aiohttp", "PYSEC-2024-24"): [("urn:uuid:0f2c#/statements/0", "not-affected")],
        ("requests", "PYSEC-2023-74"): [("WVR-2", "expired")],
        ("urllib3", "PYSEC-2023-192"): [("WVR-1", "waived")],
        ("urllib3", "PYSEC-2023-212"): [],
    }
    waived = next(f for f in document["findings"] if f["advisory"]["id"] == "PYSEC-2023-192")
    assert waived["assessments"][0] == {
        "id": "WVR-1",
        "kind": "waiver",
        "vulnerability": "CVE-2023-43804",
        "status": "not_affected",
        "justification": "vulnerable_code_cannot_be_controlled_by_adversary",
        "impact": "only URLs the tool builds itself reach the library",
        "action": None,
        "approver": "Dr. Jana Novak",
        "approvedOn": "2025-05-12",
        "expiresOn": "2027-03-31",
        "links": ["CAPA-2025-031"],
        "source": {
            "path": "waivers.yml",
            "line": 8,
            "pointer": None,
            "documentId": None,
            "sha256": "a" * 64,
        },
        "effect": "waived",
        "reason": None,
    }
    statuses = {(o["ruleId"], o["advisory"]): o["status"] for o in document["outcomes"]}
    assert statuses[("MDR-VULN-001", "PYSEC-2023-192")] == "suppressed"
    assert statuses[("MDR-VULN-001", "PYSEC-2024-24")] == "suppressed"
    assert statuses[("MDR-VULN-001", "PYSEC-2023-74")] == "fail"
    assert statuses[("MDRGATE-WAIVER-EXPIRED", "PYSEC-2023-74")] == "fail"
    assert statuses[("MDRGATE-VEX-UNMATCHED", "CVE-2023-30861")] == "warn"
    golden("assessed-decision.json", render_decision(assessed_result()))


def test_summary_has_a_waivers_and_vex_section(golden: Callable[[str, bytes], None]) -> None:
    text = render_summary(assessed_result()).decode()
    assert "| Rule outcomes | 3 failed, 3 warned, 2 suppressed by waivers or VEX, 0 info," in text
    assert "## Waivers and VEX (4 records)" in text
    assert (
        "| waiver WVR-1 | `CVE-2023-43804` | not\\_affected (vulnerable\\_code\\_cannot\\_be\\_"
        "controlled\\_by\\_adversary) | urllib3 1.26.5 PYSEC-2023-192: waived | approved by Dr. "
        "Jana Novak on 2025-05-12; expires 2027-03-31 | CAPA-2025-031 |"
    ) in text
    assert "| **nothing** (see warnings) |" in text
    assert "waived by waiver WVR-1 (expires 2027-03-31)" in text
    golden("assessed-summary.md", render_summary(assessed_result()))


def test_junit_shows_suppressed_outcomes_as_skipped(golden: Callable[[str, bytes], None]) -> None:
    body = render_junit(assessed_result())
    root = ET.fromstring(body)
    suite = next(s for s in root.iter("testsuite") if s.get("name") == "MDR-VULN-001")
    assert (suite.get("failures"), suite.get("skipped")) == ("1", "2")
    skipped = {
        c.get("name"): c.find("skipped").get("message")  # type: ignore[union-attr]
        for c in suite.iter("testcase")
        if c.find("skipped") is not None
    }
    assert skipped == {
        "urllib3 1.26.5 PYSEC-2023-192": "suppressed by waiver WVR-1 (approved by Dr. Jana Novak "
        "on 2025-05-12, expires 2027-03-31)",
        "aiohttp 3.8.1 PYSEC-2024-24": "suppressed by OpenVEX statement "
        "vex/host.openvex.json#/statements/0 (not_affected)",
    }
    assert root.get("failures") == "3"
    golden("assessed-junit.xml", body)


def test_terminal_counts_waived_outcomes() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, width=200, color_system=None)
    print_summary(assessed_result(), console, evidence_dir=None, verbose=False)
    text = buffer.getvalue()
    assert "outcomes: 3 failed, 3 warned, 2 waived/suppressed, 2 passed" in text
    assert "2 outcome(s) waived/suppressed by waivers or VEX statements: see summary.md" in text
    buffer = io.StringIO()
    console = Console(file=buffer, width=200, color_system=None)
    print_summary(assessed_result(), console, evidence_dir=None, verbose=True)
    assert (
        "    ~ urllib3 1.26.5  PYSEC-2023-192  high (8.1)  [MDR-VULN-001]  suppressed by waiver "
        "WVR-1 (approved by Dr. Jana Novak on 2025-05-12, expires 2027-03-31)"
    ) in buffer.getvalue()
    assert json.loads(render_decision(assessed_result()))["schemaVersion"] == "1.2"
