"""``results.sarif``: the rule outcomes as SARIF 2.1.0, for GitHub code scanning and SARIF viewers.

One run; ``tool.driver.rules`` holds one descriptor per rule id that produced a non-pass outcome,
and ``results`` one result per failed (``error``), warned (``warning``), info (``note``) or
suppressed outcome. Passed outcomes are not results: SARIF lists problems, and ``decision.json``
already records everything that was checked.

Each result points at the file and line that introduced its component (the first origin: the lock
file, the SOUP register entry, the firmware source); an outcome about an assessment points at the
waiver or VEX record, and one about the inventory as a whole at the configuration file (else the
first input), because GitHub's upload rejects a result without a location. Paths are the display
paths the collectors record (relative to the working directory, which is the repository root in
CI) under the ``%SRCROOT%`` base id, so alerts keep their identity across checkouts; a path outside
the working directory is an absolute ``file:`` URI.

A *suppressed* outcome (a valid waiver or a VEX ``not_affected`` / ``fixed`` statement covers the
finding) is a result with an ``external`` suppression whose justification names the record and
its rationale, at the level it would have had without the assessment: consumers that honour
suppressions show it as accepted rather than open (on GitHub, the
``advanced-security/dismiss-alerts`` action dismisses such alerts), and the accepted risk stays
visible in the file either way.

``partialFingerprints["mdrgate/v1"]`` is the sha256 of the rule id, the component's identity
without its version and the advisory id: upgrading a component to a version that is still
affected keeps the same alert, and fixing it closes the alert.

GitHub code scanning limits (docs "SARIF support for code scanning" / "SARIF results exceed
limits"): at most 25,000 results and 25,000 rules per run, 1,000 locations per result (100
shown), 20 tags per rule (10 shown), and a 10 MB (gzip-compressed) upload, which is not checked
here. Each result has one location and each rule at most :data:`MAX_TAGS` tags; beyond
:data:`MAX_RESULTS` results the most severe are kept and ``run.properties`` says how many were
left out, so a truncated file never looks complete. GitHub reads ``security-severity`` from the
rule only, so a vulnerability rule carries the highest CVSS base score among its open results
(each result's own score is in its ``properties``).
"""

from __future__ import annotations

import hashlib
import json
from importlib import metadata
from typing import Any
from urllib.parse import quote

from mdrgate.model import Component, Finding, OutcomeStatus, RuleOutcome, RunResult
from mdrgate.model.assessment import AppliedAssessment, Assessment
from mdrgate.report.facts import (
    assessments_by_finding,
    finding_for,
    finding_index,
    iso,
    sorted_outcomes,
)

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "mdrgate/v1"
MAX_RESULTS = 25_000
"""GitHub code scanning rejects a run with more results."""
MAX_TAGS = 10
"""GitHub accepts 20 tags per rule but shows only 10."""

_LEVELS = {
    OutcomeStatus.FAIL: "error",
    OutcomeStatus.WARN: "warning",
    OutcomeStatus.INFO: "note",
}
_LEVEL_RANK = {"error": 0, "warning": 1, "note": 2}
_WOULD_BE = "without the assessment this outcome would be: "
_TO_PASS = "to pass: "
_SUPPRESSED_BY = " — suppressed by "


def render_sarif(result: RunResult, *, max_results: int = MAX_RESULTS) -> bytes:
    """The SARIF log of ``result``; ``max_results`` exists for tests of the truncation."""
    components = result.inventory.by_ref()
    findings = finding_index(result.findings)
    inputs = sorted(result.inputs)
    fallbacks = [i.path for i in inputs if i.kind == "config"] + [i.path for i in inputs]

    reported = [
        o for o in sorted_outcomes(result.verdict.outcomes) if o.status is not OutcomeStatus.PASS
    ]
    kept = reported
    if len(reported) > max_results:
        ranked = sorted(
            range(len(reported)),
            key=lambda i: _priority(reported[i], finding_for(reported[i], findings), i),
        )
        keep = set(ranked[:max_results])
        kept = [o for i, o in enumerate(reported) if i in keep]

    by_rule: dict[str, list[RuleOutcome]] = {}
    for outcome in kept:
        by_rule.setdefault(outcome.rule_id, []).append(outcome)
    rule_ids = sorted(by_rule)
    rule_index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    rules = [_rule(rule_id, by_rule[rule_id], findings) for rule_id in rule_ids]
    assessed = assessments_by_finding(result)
    results = [
        _result(
            o, rule_index[o.rule_id], components, findings, assessed, result.assessments, fallbacks
        )
        for o in kept
    ]

    driver: dict[str, Any] = {
        "name": "mdrgate",
        "version": result.tool_version,
        "semanticVersion": result.tool_version,
    }
    homepage = _homepage()
    if homepage:
        driver["informationUri"] = homepage
    driver["rules"] = rules

    properties: dict[str, Any] = {
        "product": result.product.name,
        "productVersion": result.product.version,
        "verdict": result.verdict.status.value,
        "resultsTotal": len(reported),
        "resultsOmitted": len(reported) - len(kept),
    }
    unlocated = sum(1 for r in results if "locations" not in r)
    if unlocated:
        properties["resultsWithoutLocation"] = unlocated
    if len(kept) < len(reported):
        properties["truncated"] = (
            f"{len(reported) - len(kept)} of {len(reported)} results left out: GitHub code "
            f"scanning accepts at most {max_results} per run; the most severe are kept, and "
            "decision.json lists every outcome"
        )

    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "invocations": [
            {
                "executionSuccessful": True,
                "startTimeUtc": iso(result.started_at),
                "endTimeUtc": iso(result.finished_at),
            }
        ],
        "originalUriBaseIds": {
            SRCROOT: {
                "description": {
                    "text": "The working directory of the mdrgate run (the repository root in CI)."
                }
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": properties,
    }
    document = {"$schema": SARIF_SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _homepage() -> str | None:
    """The project's Homepage URL from the installed package metadata, if it declares one."""
    try:
        urls: list[str] = metadata.metadata("mdrgate").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return None
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "homepage" and url.strip():
            return str(url.strip())
    return None


def _level(outcome: RuleOutcome) -> str:
    if outcome.status is OutcomeStatus.SUPPRESSED:
        for line in outcome.evidence:
            if line.startswith(_WOULD_BE):
                would_be = line.removeprefix(_WOULD_BE).strip()
                return next((v for k, v in _LEVELS.items() if k.value == would_be), "warning")
        return "warning"
    return _LEVELS.get(outcome.status, "note")


def _priority(outcome: RuleOutcome, finding: Finding | None, position: int) -> tuple[Any, ...]:
    """Open before suppressed, errors before warnings before notes, higher CVSS first."""
    suppressed = outcome.status is OutcomeStatus.SUPPRESSED
    score = finding.score if finding is not None and finding.score is not None else -1.0
    return (suppressed, _LEVEL_RANK[_level(outcome)], -score, position)


def _rule(
    rule_id: str, outcomes: list[RuleOutcome], findings: dict[tuple[str, str], Finding]
) -> dict[str, Any]:
    first = outcomes[0]
    types = sorted({o.rule_type for o in outcomes})
    short = f"{rule_id}: {', '.join(types)}"
    rule: dict[str, Any] = {
        "id": rule_id,
        "name": "".join(part.capitalize() for part in first.rule_type.split("-")) or rule_id,
        "shortDescription": {"text": short},
        "fullDescription": {"text": first.clause or short},
    }
    tags = ["security", *types]
    properties: dict[str, Any] = {}
    if any(t.startswith("vulnerability-") for t in types):
        tags.append("vulnerability")
        open_scores = [
            f.score
            for o in outcomes
            if o.status is not OutcomeStatus.SUPPRESSED
            and (f := finding_for(o, findings)) is not None
            and f.score is not None
        ]
        all_scores = [
            f.score
            for o in outcomes
            if (f := finding_for(o, findings)) is not None and f.score is not None
        ]
        scores = open_scores or all_scores
        if scores:
            properties["security-severity"] = f"{max(scores):.1f}"
    if first.clause:
        properties["clause"] = first.clause
    properties["tags"] = list(dict.fromkeys(tags))[:MAX_TAGS]
    rule["properties"] = properties
    return rule


def _message(outcome: RuleOutcome) -> str:
    lines = [outcome.message]
    lines += [line for line in outcome.evidence if line.startswith(_TO_PASS)]
    return "\n".join(lines)


def _identity(subject: str, component: Component | None) -> str:
    """The subject without its version: the purl's type/namespace/name, or class and name."""
    if component is None:
        return subject
    if component.purl and component.purl.startswith("pkg:"):
        return component.purl.split("?", 1)[0].split("#", 1)[0].split("@", 1)[0]
    return f"{component.component_class.value}:{component.name}"


def fingerprint(outcome: RuleOutcome, component: Component | None) -> str:
    """Stable across runs and component versions: rule id, component identity, advisory."""
    key = "\n".join(
        (outcome.rule_id, _identity(outcome.subject, component), outcome.advisory or "")
    )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _artifact(path: str) -> dict[str, Any]:
    if path.startswith("/"):
        return {"uri": "file://" + quote(path, safe="/")}
    return {"uri": quote(path, safe="/"), "uriBaseId": SRCROOT}


def _physical(path: str, line: int | None = None, offset: int | None = None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": _artifact(path)}
    if line:
        physical["region"] = {"startLine": line}
    elif offset is not None:
        physical["region"] = {"byteOffset": offset}
    return {"physicalLocation": physical}


def _location(
    outcome: RuleOutcome,
    component: Component | None,
    assessments: tuple[Assessment, ...],
    fallbacks: list[str],
) -> dict[str, Any] | None:
    """Where the result points: GitHub's upload refuses a result without a location.

    The component's first origin; for an outcome about an assessment (an unmatched VEX
    statement), the record that names the advisory; else the configuration file, else the first
    input the run read.
    """
    if component is not None and component.origins:
        origin = component.origins[0]
        return _physical(origin.path, origin.line, origin.offset)
    if outcome.advisory:
        wanted = outcome.advisory.upper()
        for a in assessments:
            if wanted in {a.vulnerability.upper(), *(x.upper() for x in a.aliases)}:
                return _physical(a.source.path, a.source.line)
    if fallbacks:
        return _physical(fallbacks[0])
    return None


def _result(
    outcome: RuleOutcome,
    index: int,
    components: dict[str, Component],
    findings: dict[tuple[str, str], Finding],
    assessed: dict[tuple[str, str], list[AppliedAssessment]],
    assessments: tuple[Assessment, ...],
    fallbacks: list[str],
) -> dict[str, Any]:
    component = components.get(outcome.subject)
    entry: dict[str, Any] = {
        "ruleId": outcome.rule_id,
        "ruleIndex": index,
        "level": _level(outcome),
        "message": {"text": _message(outcome)},
    }
    location = _location(outcome, component, assessments, fallbacks)
    if location is not None:
        entry["locations"] = [location]
    entry["partialFingerprints"] = {FINGERPRINT_KEY: fingerprint(outcome, component)}
    if outcome.status is OutcomeStatus.SUPPRESSED:
        entry["suppressions"] = [
            {"kind": "external", "justification": _justification(outcome, assessed)}
        ]
    properties: dict[str, Any] = {"status": outcome.status.value, "subject": outcome.subject}
    if outcome.advisory:
        properties["advisory"] = outcome.advisory
        finding = finding_for(outcome, findings)
        if finding is not None and finding.score is not None:
            properties["security-severity"] = f"{finding.score:.1f}"
    entry["properties"] = properties
    return entry


def _justification(
    outcome: RuleOutcome, assessed: dict[tuple[str, str], list[AppliedAssessment]]
) -> str:
    _, _, by = outcome.message.rpartition(_SUPPRESSED_BY)
    parts = [f"suppressed by {by}" if by else "suppressed by an assessment"]
    for item in assessed.get((outcome.subject, outcome.advisory or ""), []):
        if not item.effect.suppresses:
            continue
        a = item.assessment
        details = [a.label]
        if a.justification is not None:
            details.append(a.justification.value)
        if a.impact:
            details.append(a.impact)
        if a.approver:
            details.append(f"approved by {a.approver}")
        if a.expires_on:
            details.append(f"expires {a.expires_on.isoformat()}")
        parts.append(f"{details[0]}: {'; '.join(details[1:])}" if details[1:] else details[0])
    return "\n".join(parts)
