"""``junit.xml``: the rule outcomes as test results, for CI dashboards (Jenkins, GitLab, Azure).

Layout: one ``<testsuite>`` per rule (named by rule id), one ``<testcase>`` per rule and subject
(``classname`` = rule id, ``name`` = subject name and advisory). A failed outcome is a
``<failure>`` whose ``type`` is the rule type and whose text is the evidence; warn and info
outcomes pass and say so in ``<system-out>``.

Diagnostics are not failures here: the policy already turns every error-level diagnostic into a
failing outcome of its built-in rule, so the number of JUnit failures equals the number of failed
outcomes and a dashboard never disagrees with the exit code. Each diagnostic is listed instead as a
*skipped* testcase of the suite ``mdrgate.diagnostics`` ("this was not (fully) assessed"), which
dashboards show without turning the build red.

Text is made safe for XML 1.0 (characters it cannot carry are written as visible ``\\xNN``
escapes) and no line of the file begins with ``::``, so echoing it in a GitHub Actions log
cannot issue workflow commands.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from mdrgate.model import Diagnostic, OutcomeStatus, RuleOutcome, RunResult
from mdrgate.report.facts import all_diagnostics, iso, sorted_outcomes

DIAGNOSTICS_SUITE = "mdrgate.diagnostics"

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LEADING_COMMAND = re.compile(r"(?m)^(\s*)::")


def clean(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids, each shown as a visible escape."""
    return _XML_INVALID.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def render_junit(result: RunResult) -> bytes:
    by_rule: dict[str, list[RuleOutcome]] = defaultdict(list)
    for outcome in sorted_outcomes(result.verdict.outcomes):
        by_rule[outcome.rule_id].append(outcome)
    diagnostics = all_diagnostics(result)
    stamp = iso(result.started_at)

    root = ET.Element("testsuites", {"name": "mdrgate"})
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for rule_id in sorted(by_rule):
        suite = _rule_suite(rule_id, by_rule[rule_id], stamp)
        root.append(suite)
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
    if diagnostics:
        suite = _diagnostics_suite(diagnostics, stamp)
        root.append(suite)
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("time", "0")

    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    body = _LEADING_COMMAND.sub(lambda m: f"{m.group(1)}&#58;:", body)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def _suite(name: str, stamp: str) -> ET.Element:
    return ET.Element("testsuite", {"name": clean(name), "timestamp": stamp})


def _set_counts(suite: ET.Element, tests: int, failures: int, skipped: int) -> None:
    # Attribute order as Jenkins' and GitLab's examples have it.
    counts = {
        "tests": tests,
        "failures": failures,
        "errors": 0,
        "skipped": skipped,
        "time": 0,
    }
    for key, value in counts.items():
        suite.set(key, str(value))


def _rule_suite(rule_id: str, outcomes: list[RuleOutcome], stamp: str) -> ET.Element:
    suite = _suite(rule_id, stamp)
    first = outcomes[0]
    _set_counts(
        suite,
        tests=len(outcomes),
        failures=sum(1 for o in outcomes if o.status is OutcomeStatus.FAIL),
        skipped=0,
    )
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", {"name": "rule.type", "value": clean(first.rule_type)})
    if first.clause:
        ET.SubElement(properties, "property", {"name": "rule.clause", "value": clean(first.clause)})

    seen: dict[str, int] = defaultdict(int)
    for outcome in outcomes:
        name = outcome.subject_name + (f" {outcome.advisory}" if outcome.advisory else "")
        seen[name] += 1
        if seen[name] > 1:
            # Two subjects with one display name (a host and a firmware item, say): keep the
            # testcases apart so dashboards do not merge them.
            name = f"{name} [{outcome.subject}]"
        case = ET.SubElement(
            suite, "testcase", {"classname": clean(rule_id), "name": clean(name), "time": "0"}
        )
        _case_body(case, outcome)
    return suite


def _case_body(case: ET.Element, outcome: RuleOutcome) -> None:
    details = "\n".join([outcome.message, *outcome.evidence])
    if outcome.clause:
        details += f"\nclause: {outcome.clause}"
    if outcome.status is OutcomeStatus.FAIL:
        failure = ET.SubElement(
            case, "failure", {"message": clean(outcome.message), "type": clean(outcome.rule_type)}
        )
        failure.text = clean(details)
    elif outcome.status in (OutcomeStatus.WARN, OutcomeStatus.INFO):
        out = ET.SubElement(case, "system-out")
        out.text = clean(f"{outcome.status.value.upper()}: {details}")


def _diagnostics_suite(diagnostics: list[Diagnostic], stamp: str) -> ET.Element:
    suite = _suite(DIAGNOSTICS_SUITE, stamp)
    _set_counts(suite, tests=len(diagnostics), failures=0, skipped=len(diagnostics))
    for diag in diagnostics:
        where = diag.component or diag.location() or "run"
        case = ET.SubElement(
            suite,
            "testcase",
            {"classname": DIAGNOSTICS_SUITE, "name": clean(f"{diag.code} {where}"), "time": "0"},
        )
        skipped = ET.SubElement(
            case, "skipped", {"message": clean(f"{diag.level.value}: {diag.message}")}
        )
        location = diag.location()
        skipped.text = clean(f"{diag.message}\nat {location}" if location else diag.message)
    return suite
