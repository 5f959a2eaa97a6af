from __future__ import annotations

import dataclasses
import hashlib
import json
import random
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from hypothesis import given
from hypothesis import strategies as st

from mdrgate.model import (
    Component,
    ComponentClass,
    InputFile,
    Origin,
    OutcomeStatus,
    RuleOutcome,
    Verdict,
)
from mdrgate.report.sarif import FINGERPRINT_KEY, SRCROOT, fingerprint, render_sarif
from tests.unit.report.sample import (
    DIAGNOSTICS,
    FINDINGS,
    INPUTS,
    OUTCOMES,
    URLLIB3,
    run_result,
)
from tests.unit.report.test_assessments_report import assessed_result

SCHEMA = Path(__file__).resolve().parents[2] / "assets" / "sarif" / "sarif-2.1.0.json"


@cache
def _validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA.read_text("utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(
        schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )


def load(data: bytes) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(data)
    _validator().validate(document)
    assert document["version"] == "2.1.0"
    assert len(document["runs"]) == 1
    return document


def run_of(data: bytes) -> dict[str, Any]:
    run: dict[str, Any] = load(data)["runs"][0]
    return run


def results_by(run: dict[str, Any]) -> dict[tuple[str, str, str], dict[str, Any]]:
    out = {}
    for r in run["results"]:
        key = (r["ruleId"], r["properties"]["subject"], r["properties"].get("advisory", ""))
        assert key not in out
        out[key] = r
    return out


def test_sample_validates_and_matches_golden(golden: Callable[[str, bytes], None]) -> None:
    data = render_sarif(run_result())
    run = run_of(data)
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("mdrgate", "0.1.0")
    assert [r["id"] for r in driver["rules"]] == ["MDR-SOUP-EOS", "MDR-UNASSESSED", "MDR-VULN-001"]
    # Six non-pass outcomes; the two passes are not results.
    assert [(r["ruleId"], r["level"]) for r in run["results"]] == [
        ("MDR-SOUP-EOS", "error"),
        ("MDR-UNASSESSED", "warning"),
        ("MDR-VULN-001", "error"),
        ("MDR-VULN-001", "error"),
        ("MDR-VULN-001", "error"),
        ("MDR-VULN-001", "warning"),
    ]
    for r in run["results"]:
        assert driver["rules"][r["ruleIndex"]]["id"] == r["ruleId"]
        assert len(r["locations"]) == 1
    assert run["properties"]["resultsOmitted"] == 0
    assert "truncated" not in run["properties"]
    golden("results.sarif", data)


def test_vulnerability_rule_has_security_severity_and_tags() -> None:
    rules = {r["id"]: r for r in run_of(render_sarif(run_result()))["tool"]["driver"]["rules"]}
    vuln = rules["MDR-VULN-001"]
    # The highest CVSS base score among its open results (urllib3 PYSEC-2023-192: 8.1).
    assert vuln["properties"]["security-severity"] == "8.1"
    assert vuln["properties"]["tags"] == ["security", "vulnerability-severity", "vulnerability"]
    assert vuln["fullDescription"]["text"] == "MDR Annex I 17.2; IEC 81001-5-1 7.3"
    assert "security-severity" not in rules["MDR-SOUP-EOS"]["properties"]
    assert rules["MDR-SOUP-EOS"]["fullDescription"]["text"] == (
        "FDA premarket cybersecurity (end-of-support date)"
    )
    assert all("helpUri" not in r for r in rules.values())


def test_results_point_at_the_declaring_file_and_line() -> None:
    results = results_by(run_of(render_sarif(run_result())))
    urllib3 = results[("MDR-VULN-001", URLLIB3.bom_ref, "PYSEC-2023-192")]
    assert urllib3["locations"] == [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": "host/requirements.txt", "uriBaseId": SRCROOT},
                "region": {"startLine": 4},
            }
        }
    ]
    assert urllib3["message"]["text"] == "PYSEC-2023-192 affects urllib3 1.26.5: CVSS 8.1 (high)"
    assert urllib3["properties"]["security-severity"] == "8.1"
    mbedtls = results[("MDR-SOUP-EOS", "pkg:github/mbed-tls/mbedtls@v2.28.0", "")]
    location = mbedtls["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "firmware/soup.yml"
    assert location["region"] == {"startLine": 17}
    # The "to pass" line of the evidence follows the message; other evidence does not.
    assert mbedtls["message"]["text"].splitlines() == [
        "Mbed TLS 2.28.0: end of support 2024-12-31 has passed",
        "to pass: upgrade Mbed TLS to a supported release or replace it, and update version and "
        "end_of_support in the SOUP register entry of Mbed TLS (firmware/soup.yml:17); if the "
        "supplier has extended support, record the new date as end_of_support in the register "
        "entry",
    ]


def test_fingerprint_ignores_the_version_but_not_the_advisory() -> None:
    results = results_by(run_of(render_sarif(run_result())))
    fp = results[("MDR-VULN-001", URLLIB3.bom_ref, "PYSEC-2023-192")]["partialFingerprints"]
    expected = hashlib.sha256(b"MDR-VULN-001\npkg:pypi/urllib3\nPYSEC-2023-192").hexdigest()
    assert fp == {FINGERPRINT_KEY: expected}
    other = results[("MDR-VULN-001", URLLIB3.bom_ref, "PYSEC-2023-212")]["partialFingerprints"]
    assert other[FINGERPRINT_KEY] != expected

    upgraded = dataclasses.replace(URLLIB3, version="1.26.16", purl="pkg:pypi/urllib3@1.26.16")
    outcome = next(o for o in OUTCOMES if o.advisory == "PYSEC-2023-192")
    moved = dataclasses.replace(outcome, subject=upgraded.bom_ref)
    assert fingerprint(moved, upgraded) == expected


@given(st.from_regex(r"[0-9][0-9a-z.+-]{0,12}", fullmatch=True))
def test_fingerprint_is_the_same_for_every_version(version: str) -> None:
    component = Component("zlib", version, ComponentClass.FIRMWARE)
    outcome = RuleOutcome("R1", "t", OutcomeStatus.FAIL, component.bom_ref, component.display, "m")
    base = Component("zlib", "1.2.11", ComponentClass.FIRMWARE)
    assert fingerprint(outcome, component) == fingerprint(
        dataclasses.replace(outcome, subject=base.bom_ref), base
    )


def test_suppressed_outcomes_carry_an_external_suppression(
    golden: Callable[[str, bytes], None],
) -> None:
    data = render_sarif(assessed_result())
    run = run_of(data)
    results = results_by(run)
    waived = results[("MDR-VULN-001", URLLIB3.bom_ref, "PYSEC-2023-192")]
    # The level it would have had without the waiver.
    assert waived["level"] == "error"
    assert waived["properties"]["status"] == "suppressed"
    assert waived["suppressions"] == [
        {
            "kind": "external",
            "justification": "suppressed by waiver WVR-1 (approved by Dr. Jana Novak on "
            "2025-05-12, expires 2027-03-31)\nwaiver WVR-1: "
            "vulnerable_code_cannot_be_controlled_by_adversary; only URLs the tool builds itself "
            "reach the library; approved by Dr. Jana Novak; expires 2027-03-31",
        }
    ]
    vex = results[("MDR-VULN-001", "pkg:pypi/aiohttp@3.8.1", "PYSEC-2024-24")]
    assert vex["suppressions"][0]["justification"].startswith(
        "suppressed by OpenVEX statement vex/host.openvex.json#/statements/0"
    )
    # The expired waiver does not suppress: an open failure, and its own rule fails too.
    expired = results[("MDR-VULN-001", "pkg:pypi/requests@2.25.1", "PYSEC-2023-74")]
    assert "suppressions" not in expired and expired["level"] == "error"
    # A VEX statement about a product the inventory lacks points at the statement.
    unmatched = results[("MDRGATE-VEX-UNMATCHED", "inventory", "CVE-2023-30861")]
    assert unmatched["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "vex/host.openvex.json", "uriBaseId": SRCROOT},
        "region": {"startLine": 13},
    }
    assert all(r.get("locations") for r in run["results"])
    golden("assessed-results.sarif", data)


def test_inventory_outcome_points_at_the_configuration_file() -> None:
    outcome = RuleOutcome(
        "MDR-INV-001", "inventory-not-empty", OutcomeStatus.FAIL, "inventory", "inventory", "empty"
    )
    config = InputFile("ci/mdrgate.yml", "config", "0" * 64)
    result = dataclasses.replace(run_result(outcomes=(outcome,)), inputs=(*INPUTS, config))
    (only,) = run_of(render_sarif(result))["results"]
    assert only["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "ci/mdrgate.yml", "uriBaseId": SRCROOT}
    }
    without_config = run_of(render_sarif(run_result(outcomes=(outcome,))))["results"][0]
    assert without_config["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "firmware/soup.yml"
    )


def test_paths_outside_the_working_directory_and_odd_characters() -> None:
    odd = Component(
        "lwip",
        "2.1.3",
        ComponentClass.FIRMWARE,
        origins=(Origin("firmware-sources", "/opt/sdk/third party/lwip#1/init.h", None, 0x1F),),
    )
    outcome = RuleOutcome("R1", "t", OutcomeStatus.WARN, odd.bom_ref, odd.display, "m")
    result = run_result(components=(odd,), findings=(), outcomes=(outcome,))
    (only,) = run_of(render_sarif(result))["results"]
    assert only["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "file:///opt/sdk/third%20party/lwip%231/init.h"},
        "region": {"byteOffset": 31},
    }


def test_truncation_keeps_the_most_severe_and_says_so() -> None:
    run = run_of(render_sarif(run_result(), max_results=2))
    assert [(r["ruleId"], r["properties"]["subject"], r["level"]) for r in run["results"]] == [
        ("MDR-VULN-001", "pkg:pypi/aiohttp@3.8.1", "error"),
        ("MDR-VULN-001", URLLIB3.bom_ref, "error"),
    ]
    assert [r["properties"].get("advisory") for r in run["results"]] == [
        "PYSEC-2024-24",
        "PYSEC-2023-192",
    ]
    props = run["properties"]
    assert (props["resultsTotal"], props["resultsOmitted"]) == (6, 4)
    assert props["truncated"] == (
        "4 of 6 results left out: GitHub code scanning accepts at most 2 per run; the most "
        "severe are kept, and decision.json lists every outcome"
    )
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["MDR-VULN-001"]
    assert run["results"][1]["ruleIndex"] == 0


def test_many_results_stay_within_githubs_limit() -> None:
    components = tuple(
        Component(f"pkg{i}", "1.0", ComponentClass.FIRMWARE, origins=(Origin("c", "f.c", i + 1),))
        for i in range(25_010)
    )
    outcomes = tuple(
        RuleOutcome("R1", "t", OutcomeStatus.WARN, c.bom_ref, c.display, "m") for c in components
    )
    result = run_result(components=components, findings=(), outcomes=outcomes, diagnostics=())
    document = json.loads(render_sarif(result))
    run = document["runs"][0]
    assert len(run["results"]) == 25_000
    assert run["properties"]["resultsOmitted"] == 10


def test_no_outcomes_is_an_empty_run() -> None:
    run = run_of(render_sarif(run_result(outcomes=(), findings=(), diagnostics=())))
    assert run["results"] == []
    assert run["tool"]["driver"]["rules"] == []


def test_deterministic_and_order_independent() -> None:
    reference = render_sarif(run_result())
    rng = random.Random(11)
    for _ in range(5):
        outcomes, diagnostics, findings = list(OUTCOMES), list(DIAGNOSTICS), list(FINDINGS)
        rng.shuffle(outcomes)
        rng.shuffle(diagnostics)
        rng.shuffle(findings)
        shuffled = run_result(
            outcomes=tuple(outcomes), diagnostics=tuple(diagnostics), findings=tuple(findings)
        )
        assert render_sarif(shuffled) == reference


def test_verdict_and_product_in_run_properties() -> None:
    props = run_of(render_sarif(run_result()))["properties"]
    assert props["product"] == "IP-200 infusion pump"
    assert props["productVersion"] == "2.4.0"
    assert props["verdict"] == Verdict.from_outcomes(OUTCOMES).status.value == "fail"
