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

A *suppressed* outcome (a finding a valid waiver or a VEX ``not_affected`` / ``fixed`` statement
covers) is a *skipped* testcase whose message begins "suppressed by" and names the record: CI
dashboards count and list skipped tests separately (a passed test's output is mostly hidden), so
accepted risks stay visible without turning the build red.

With a baseline (``check --baseline``), a failed outcome the baseline already had is a *skipped*
testcase whose message says "carried over from baseline": the policy still fails it, but the pull
request did not cause it, and CI dashboards (GitLab's merge-request widget, Jenkins, Azure) show
skipped tests without turning the build red — so JUnit failures stay equal to the failures the gate
counts. The baseline's violations that are gone are passed testcases of the suite
``mdrgate.baseline.resolved``.

Text is made safe for XML 1.0 (characters it cannot carry are written as visible ``\\xNN``
escapes) and no line of the file begins with ``::``, so echoing it in a GitHub Actions log
cannot issue workflow commands.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from mdrgate.baseline import CARRIED_OVER, marks
from mdrgate.model import Diagnostic, OutcomeStatus, RuleOutcome, RunResult
from mdrgate.model.baseline import BaselineComparison
from mdrgate.report.facts import all_diagnostics, iso, sorted_outcomes

DIAGNOSTICS_SUITE = "mdrgate.diagnostics"
RESOLVED_SUITE = "mdrgate.baseline.resolved"

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LEADING_COMMAND = re.compile(r"(?m)^(\s*)::")


def clean(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids, each shown as a visible escape."""
    return _XML_INVALID.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def render_junit(result: RunResult) -> bytes:
    by_rule: dict[str, list[tuple[RuleOutcome, str | None]]] = defaultdict(list)
    outcomes = sorted_outcomes(result.verdict.outcomes)
    for outcome, mark in zip(outcomes, marks(outcomes, result.verdict.baseline), strict=True):
        by_rule[outcome.rule_id].append((outcome, mark))
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
    comparison = result.verdict.baseline
    if comparison is not None and comparison.resolved:
        suite = _resolved_suite(comparison, stamp)
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


def _rule_suite(
    rule_id: str, marked: list[tuple[RuleOutcome, str | None]], stamp: str
) -> ET.Element:
    suite = _suite(rule_id, stamp)
    outcomes = [o for o, _ in marked]
    first = outcomes[0]
    carried = sum(1 for _, mark in marked if mark == CARRIED_OVER)
    suppressed = sum(1 for o in outcomes if o.status is OutcomeStatus.SUPPRESSED)
    _set_counts(
        suite,
        tests=len(outcomes),
        failures=sum(1 for o in outcomes if o.status is OutcomeStatus.FAIL) - carried,
        skipped=carried + suppressed,
    )
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", {"name": "rule.type", "value": clean(first.rule_type)})
    if first.clause:
        ET.SubElement(properties, "property", {"name": "rule.clause", "value": clean(first.clause)})

    seen: dict[str, int] = defaultdict(int)
    for outcome, mark in marked:
        name = outcome.subject_name + (f" {outcome.advisory}" if outcome.advisory else "")
        seen[name] += 1
        if seen[name] > 1:
            # Two subjects with one display name (a host and a firmware item, say): keep the
            # testcases apart so dashboards do not merge them.
            name = f"{name} [{outcome.subject}]"
        case = ET.SubElement(
            suite, "testcase", {"classname": clean(rule_id), "name": clean(name), "time": "0"}
        )
        _case_body(case, outcome, carried_over=mark == CARRIED_OVER)
    return suite


def _case_body(case: ET.Element, outcome: RuleOutcome, *, carried_over: bool = False) -> None:
    details = "\n".join([outcome.message, *outcome.evidence])
    if outcome.clause:
        details += f"\nclause: {outcome.clause}"
    if carried_over:
        skipped = ET.SubElement(
            case, "skipped", {"message": clean(f"carried over from baseline: {outcome.message}")}
        )
        skipped.text = clean(f"FAIL (carried over from baseline): {details}")
    elif outcome.status is OutcomeStatus.SUPPRESSED:
        _, _, by = outcome.message.rpartition(" — suppressed by ")
        skipped = ET.SubElement(case, "skipped", {"message": clean(f"suppressed by {by}")})
        skipped.text = clean(f"SUPPRESSED: {details}")
    elif outcome.status is OutcomeStatus.FAIL:
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


def _resolved_suite(comparison: BaselineComparison, stamp: str) -> ET.Element:
    suite = _suite(RESOLVED_SUITE, stamp)
    _set_counts(suite, tests=len(comparison.resolved), failures=0, skipped=0)
    for was in comparison.resolved:
        name = was.subject_name + (f" {was.advisory}" if was.advisory else "")
        case = ET.SubElement(
            suite,
            "testcase",
            {"classname": clean(was.rule_id), "name": clean(name), "time": "0"},
        )
        out = ET.SubElement(case, "system-out")
        out.text = clean(f"RESOLVED: failed in the baseline, not any more: {was.message}")
    return suite
