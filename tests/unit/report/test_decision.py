from __future__ import annotations

import copy
import dataclasses
import json
import random
from typing import Any

import jsonschema
import pytest

from mdrgate.model import Diagnostic, DiagnosticLevel
from mdrgate.report.decision import SCHEMA_VERSION, decision_document, render_decision
from mdrgate.validation import packaged_schema
from tests.unit.report.sample import (
    COMPONENTS,
    DIAGNOSTICS,
    FINDINGS,
    NUMPY,
    OUTCOMES,
    run_result,
)


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = dict(packaged_schema("schemas", "decision.schema.json"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def errors(validator: jsonschema.Draft202012Validator, document: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def test_sample_matches_schema_and_golden(
    validator: jsonschema.Draft202012Validator, golden: Any
) -> None:
    data = render_decision(run_result())
    assert errors(validator, json.loads(data)) == []
    golden("decision.json", data)


def test_empty_run_matches_schema(validator: jsonschema.Draft202012Validator) -> None:
    result = run_result(components=(), findings=(), outcomes=(), diagnostics=())
    document = json.loads(render_decision(result))
    assert errors(validator, document) == []
    assert document["verdict"] == {"status": "pass", "gateStatus": "pass"}
    assert document["outcomes"] == document["findings"] == document["diagnostics"] == []


def test_schema_rejects_unknown_and_missing_keys(
    validator: jsonschema.Draft202012Validator,
) -> None:
    document = decision_document(run_result())
    extra = copy.deepcopy(document)
    extra["outcomes"][0]["waived"] = True
    assert any("'waived' was unexpected" in e for e in errors(validator, extra))
    missing = copy.deepcopy(document)
    del missing["findings"][0]["rating"]
    assert any("'rating' is a required property" in e for e in errors(validator, missing))
    bad_status = copy.deepcopy(document)
    bad_status["verdict"]["status"] = "ok"
    assert errors(validator, bad_status)


def test_counts() -> None:
    document = decision_document(run_result())
    assert document["schemaVersion"] == SCHEMA_VERSION == "1.2"
    assert document["tool"] == {"name": "mdrgate", "version": "0.1.0"}
    assert document["verdict"] == {"status": "fail", "gateStatus": "fail"}
    assert document["counts"] == {
        "outcomes": {"fail": 4, "warn": 2, "suppressed": 0, "info": 0, "pass": 2},
        "findings": {
            "total": 4,
            "byRating": {"critical": 0, "high": 2, "medium": 1, "low": 0, "none": 0, "unknown": 1},
        },
        "components": 6,
        "unassessedComponents": 1,
        "diagnostics": {"total": 2, "error": 0, "warning": 1, "info": 1},
    }


def test_outcome_and_finding_entries() -> None:
    document = decision_document(run_result())
    keys = [(o["ruleId"], o["subject"]["ref"], o["advisory"]) for o in document["outcomes"]]
    assert keys == sorted(keys, key=lambda k: (k[0], k[1], k[2] or ""))
    eos = next(
        o for o in document["outcomes"] if o["status"] == "fail" and o["ruleId"] == "MDR-SOUP-EOS"
    )
    assert eos == {
        "baseline": None,
        "ruleId": "MDR-SOUP-EOS",
        "ruleType": "soup-end-of-support",
        "clause": "FDA premarket cybersecurity (end-of-support date)",
        "status": "fail",
        "subject": {"ref": "pkg:github/mbed-tls/mbedtls@v2.28.0", "name": "Mbed TLS 2.28.0"},
        "advisory": None,
        "message": "Mbed TLS 2.28.0: end of support 2024-12-31 has passed",
        "evidence": [
            "end_of_support: 2024-12-31",
            "to pass: upgrade Mbed TLS to a supported release or replace it, and update version "
            "and end_of_support in the SOUP register entry of Mbed TLS (firmware/soup.yml:17); "
            "if the supplier has extended support, record the new date as end_of_support in the "
            "register entry",
            "declared in firmware/soup.yml:17 (soup-register)",
        ],
    }
    urllib3 = next(f for f in document["findings"] if f["advisory"]["id"] == "PYSEC-2023-192")
    assert urllib3["component"] == {
        "ref": "pkg:pypi/urllib3@1.26.5",
        "name": "urllib3",
        "version": "1.26.5",
    }
    assert urllib3["advisory"]["aliases"] == ["CVE-2023-43804", "GHSA-v845-jxx5-vc9f"]
    assert urllib3["advisory"]["summary"] is None
    assert urllib3["advisory"]["published"] == "2023-10-04T17:15:00Z"
    assert urllib3["advisory"]["modified"] == "2023-10-10T14:28:19.389317Z"
    assert (urllib3["rating"], urllib3["score"]) == ("high", 8.1)
    assert urllib3["severities"] == [
        {"type": "CVSS_V3", "vector": "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:N", "score": 8.1}
    ]
    assert urllib3["fixedVersions"] == ["1.26.17", "2.0.6"]
    requests = next(f for f in document["findings"] if f["advisory"]["id"] == "PYSEC-2023-74")
    assert (requests["rating"], requests["score"], requests["severities"]) == ("unknown", None, [])


def test_inputs_policies_database_and_times() -> None:
    document = decision_document(run_result())
    assert [i["path"] for i in document["inputs"]] == ["firmware/soup.yml", "host/requirements.txt"]
    assert document["policies"][0]["name"] == "mdr-default"
    assert document["database"]["path"] == "/home/ci/.cache/mdrgate/vulns.sqlite"
    assert document["database"]["sources"][0]["records"] == 2661
    assert document["database"]["sources"][0]["invalidRecords"] == 7
    assert document["run"] == {
        "startedAt": "2026-11-28T12:00:00Z",
        "finishedAt": "2026-11-28T12:00:02Z",
    }


def test_inventory_and_run_diagnostics_are_listed_once() -> None:
    # sample.run_result puts the first diagnostic in both the inventory and the run.
    document = decision_document(run_result())
    assert [d["code"] for d in document["diagnostics"]] == ["hash-missing", "no-exact-version"]
    assert document["diagnostics"][1] == {
        "code": "no-exact-version",
        "level": "warning",
        "message": "numpy: no exact version (>=1.24); it cannot be assessed",
        "path": "host/requirements.txt",
        "line": 6,
        "component": NUMPY.bom_ref,
    }


def test_deterministic_and_order_independent() -> None:
    reference = render_decision(run_result())
    assert render_decision(run_result()) == reference
    rng = random.Random(13485)
    for _ in range(5):
        parts = [list(COMPONENTS), list(FINDINGS), list(OUTCOMES), list(DIAGNOSTICS)]
        for part in parts:
            rng.shuffle(part)
        shuffled = run_result(
            components=tuple(parts[0]),
            findings=tuple(parts[1]),
            outcomes=tuple(parts[2]),
            diagnostics=tuple(parts[3]),
        )
        # run_result places diagnostics[:1] in the inventory too; order must not matter either.
        assert render_decision(shuffled) == reference


def test_untrusted_text_round_trips(validator: jsonschema.Draft202012Validator) -> None:
    odd = Diagnostic(
        code="bad-line",
        message='line with "quotes", <script>, | and \x1b[31m and\n::error::x',
        level=DiagnosticLevel.ERROR,
        path="host/requirements.txt",
        line=9,
    )
    result = dataclasses.replace(run_result(), diagnostics=(odd,))
    data = render_decision(result)
    document = json.loads(data)
    assert errors(validator, document) == []
    assert odd.message in [d["message"] for d in document["diagnostics"]]
    assert b"\x1b" not in data
    assert all(not line.lstrip().startswith("::") for line in data.decode().splitlines())


def test_aliased_findings_name_each_other(validator: jsonschema.Draft202012Validator) -> None:
    first = dataclasses.replace(FINDINGS[0], same_as=("GHSA-j8r2-6x86-q33q",))
    result = run_result(findings=(first, *FINDINGS[1:]))
    document = json.loads(render_decision(result))
    assert errors(validator, document) == []
    by_id = {f["advisory"]["id"]: f for f in document["findings"]}
    assert by_id[first.advisory.id]["sameAs"] == ["GHSA-j8r2-6x86-q33q"]
