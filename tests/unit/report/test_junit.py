from __future__ import annotations

import dataclasses
import random
import xml.etree.ElementTree as ET
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from mdrgate.model import (
    Diagnostic,
    DiagnosticLevel,
    OutcomeStatus,
    RuleOutcome,
    Verdict,
)
from mdrgate.report.junit import DIAGNOSTICS_SUITE, clean, render_junit
from tests.unit.report.sample import DIAGNOSTICS, OUTCOMES, run_result

CASE_CHILDREN = {"failure", "error", "skipped", "system-out", "system-err"}


def check_junit_shape(root: ET.Element) -> None:
    """What Jenkins' and GitLab's JUnit readers rely on (the common JUnit XSD shape)."""
    assert root.tag == "testsuites"
    totals = dict.fromkeys(("tests", "failures", "errors", "skipped"), 0)
    for suite in root:
        assert suite.tag == "testsuite"
        assert suite.get("name")
        for attr in ("tests", "failures", "errors", "skipped"):
            assert suite.get(attr, "").isdigit(), (suite.get("name"), attr)
        float(suite.get("time", ""))
        cases = suite.findall("testcase")
        children = [c.tag for c in suite]
        assert set(children) <= {"properties", "testcase", "system-out", "system-err"}
        if "properties" in children:
            assert children.index("properties") == 0
            assert all(
                p.tag == "property" and p.get("name") for p in suite.find("properties") or []
            )
        counted = {
            "tests": len(cases),
            "failures": sum(1 for c in cases if c.find("failure") is not None),
            "errors": sum(1 for c in cases if c.find("error") is not None),
            "skipped": sum(1 for c in cases if c.find("skipped") is not None),
        }
        for key, value in counted.items():
            assert int(suite.get(key, "-1")) == value, (suite.get("name"), key)
            totals[key] += value
        for case in cases:
            assert case.get("classname") and case.get("name")
            float(case.get("time", ""))
            assert {c.tag for c in case} <= CASE_CHILDREN
            failure = case.find("failure")
            if failure is not None:
                assert failure.get("message") and failure.get("type")
    for key, value in totals.items():
        assert int(root.get(key, "-1")) == value, key


def parse(data: bytes) -> ET.Element:
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(data)


def case(root: ET.Element, classname: str, name: str) -> ET.Element:
    found = [
        c
        for c in root.iter("testcase")
        if c.get("classname") == classname and c.get("name") == name
    ]
    assert len(found) == 1, (classname, name, [c.get("name") for c in root.iter("testcase")])
    return found[0]


def test_sample_shape_and_golden(golden: Any) -> None:
    data = render_junit(run_result())
    root = parse(data)
    check_junit_shape(root)
    assert [s.get("name") for s in root] == [
        "MDR-SOUP-EOS",
        "MDR-UNASSESSED",
        "MDR-VULN-001",
        DIAGNOSTICS_SUITE,
    ]
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("10", "4", "2")
    golden("junit.xml", data)


def test_failures_equal_the_failed_outcomes() -> None:
    result = run_result()
    root = parse(render_junit(result))
    assert int(root.get("failures", "")) == result.verdict.count(OutcomeStatus.FAIL)
    assert int(root.get("errors", "")) == 0


def test_failed_outcome_is_a_failure_with_the_evidence() -> None:
    root = parse(render_junit(run_result()))
    failure = case(root, "MDR-VULN-001", "urllib3 1.26.5 PYSEC-2023-192").find("failure")
    assert failure is not None
    assert failure.get("type") == "vulnerability-severity"
    assert failure.get("message") == "PYSEC-2023-192 affects urllib3 1.26.5: CVSS 8.1 (high)"
    assert failure.text is not None
    assert failure.text.splitlines() == [
        "PYSEC-2023-192 affects urllib3 1.26.5: CVSS 8.1 (high)",
        "PYSEC-2023-192 (CVE-2023-43804, GHSA-v845-jxx5-vc9f): urllib3 is a user-friendly HTTP"
        " client library for Python. urllib3 doesn't treat the `Cookie` HTTP header special or"
        " provide any helpers for managing cookies...",
        "affected: introduced 2.0.0, fixed 2.0.6, introduced 0, fixed 1.26.17",
        "CVSS_V3 CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:N",
        "declared in host/requirements.txt:4 (requirements)",
        "clause: MDR Annex I 17.2; IEC 81001-5-1 7.3",
    ]


def test_warning_passes_with_a_note_and_pass_is_empty() -> None:
    root = parse(render_junit(run_result()))
    warned = case(root, "MDR-VULN-001", "urllib3 1.26.5 PYSEC-2023-212")
    assert [c.tag for c in warned] == ["system-out"]
    out = warned.find("system-out")
    assert out is not None and out.text is not None
    assert out.text.startswith("WARN: PYSEC-2023-212 affects urllib3 1.26.5: CVSS 4.2 (medium)\n")
    passed = case(root, "MDR-VULN-001", "FreeRTOS-Kernel 10.4.3")
    assert list(passed) == []


def test_rule_suite_properties() -> None:
    root = parse(render_junit(run_result()))
    suite = next(s for s in root if s.get("name") == "MDR-VULN-001")
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props == {
        "rule.type": "vulnerability-severity",
        "rule.clause": "MDR Annex I 17.2; IEC 81001-5-1 7.3",
    }
    assert suite.get("timestamp") == "2026-11-28T12:00:00Z"


def test_diagnostics_are_skipped_testcases() -> None:
    root = parse(render_junit(run_result()))
    suite = next(s for s in root if s.get("name") == DIAGNOSTICS_SUITE)
    skipped = case(root, DIAGNOSTICS_SUITE, "no-exact-version pkg:pypi/numpy").find("skipped")
    assert skipped is not None
    assert skipped.get("message") == (
        "warning: numpy: no exact version (>=1.24); it cannot be assessed"
    )
    assert (suite.get("tests"), suite.get("skipped"), suite.get("failures")) == ("2", "2", "0")


def test_no_outcomes_no_diagnostics() -> None:
    root = parse(render_junit(run_result(outcomes=(), diagnostics=())))
    check_junit_shape(root)
    assert (root.get("tests"), root.get("failures")) == ("0", "0")
    assert list(root) == []


def test_same_display_name_gives_distinct_testcases() -> None:
    twins = (
        RuleOutcome("R1", "t", OutcomeStatus.FAIL, "host:zlib@1.2.11", "zlib 1.2.11", "m"),
        RuleOutcome("R1", "t", OutcomeStatus.FAIL, "firmware:zlib@1.2.11", "zlib 1.2.11", "m"),
    )
    root = parse(render_junit(run_result(outcomes=twins, diagnostics=())))
    names = [c.get("name") for c in root.iter("testcase")]
    assert names == ["zlib 1.2.11", "zlib 1.2.11 [host:zlib@1.2.11]"]


NASTY = 'evil|name `x` <script>alert(1)</script> & "q"\n::set-output name=x::y\x1b[31m\x00end'


def test_untrusted_text_is_escaped_and_cannot_inject_workflow_commands() -> None:
    outcome = RuleOutcome(
        rule_id="R<1>",
        rule_type="banned-component",
        status=OutcomeStatus.FAIL,
        subject="pkg:generic/evil",
        subject_name=NASTY,
        message=NASTY,
        evidence=("::error file=x::boom", "  ::warning::indented"),
    )
    diag = Diagnostic("odd", NASTY, DiagnosticLevel.ERROR, path="a\nb")
    result = dataclasses.replace(
        run_result(outcomes=(outcome,)),
        diagnostics=(diag,),
        verdict=Verdict.from_outcomes([outcome]),
    )
    data = render_junit(result)
    text = data.decode("utf-8")
    assert "<script>" not in text
    assert all(not line.lstrip().startswith("::") for line in text.splitlines())
    root = parse(data)
    check_junit_shape(root)
    testcase = root.find("testsuite/testcase")
    assert testcase is not None
    expected = NASTY.replace("\x1b", "\\x1b").replace("\x00", "\\x00")
    assert testcase.get("name") == expected
    assert testcase.get("classname") == "R<1>"
    failure = testcase.find("failure")
    assert failure is not None and failure.text is not None
    assert failure.get("message") == expected
    # The parser gives back the original text: "&#58;" only guards the raw file.
    assert "\n::error file=x::boom\n  ::warning::indented" in failure.text


@given(st.text())
def test_clean_text_always_survives_xml(text: str) -> None:
    cleaned = clean(text)
    element = ET.Element("t", {"a": cleaned})
    element.text = cleaned
    parsed = ET.fromstring(ET.tostring(element, encoding="utf-8"))
    assert parsed.get("a") == cleaned
    assert (parsed.text or "") == cleaned.replace("\r\n", "\n").replace("\r", "\n")
    if all(
        ch in "\t\n\r"
        or (" " <= ch < "\ud800")
        or ("\ue000" <= ch <= "\ufffd")
        or ch >= "\U00010000"
        for ch in text
    ):
        assert cleaned == text


def test_deterministic_and_order_independent() -> None:
    reference = render_junit(run_result())
    rng = random.Random(7)
    for _ in range(5):
        outcomes, diagnostics = list(OUTCOMES), list(DIAGNOSTICS)
        rng.shuffle(outcomes)
        rng.shuffle(diagnostics)
        shuffled = run_result(outcomes=tuple(outcomes), diagnostics=tuple(diagnostics))
        assert render_junit(shuffled) == reference
