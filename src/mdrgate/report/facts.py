"""Facts every renderer derives from a ``RunResult`` the same way, so the reports never disagree.

Counts, the finding behind a vulnerability outcome, the components that could not be assessed,
and timestamps in one format: computed here once, rendered in four places.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from mdrgate.model import (
    UNASSESSED_CODES,
    Component,
    Diagnostic,
    Finding,
    OutcomeStatus,
    Rating,
    RuleOutcome,
    RunResult,
)
from mdrgate.model.assessment import AppliedAssessment, AssessmentEffect

RATING_ORDER: tuple[Rating, ...] = (
    Rating.CRITICAL,
    Rating.HIGH,
    Rating.MEDIUM,
    Rating.LOW,
    Rating.NONE,
    Rating.UNKNOWN,
)
"""Most to least severe; ``unknown`` last but never dropped."""

STATUS_ORDER: tuple[OutcomeStatus, ...] = (
    OutcomeStatus.FAIL,
    OutcomeStatus.WARN,
    OutcomeStatus.SUPPRESSED,
    OutcomeStatus.INFO,
    OutcomeStatus.PASS,
)


def iso(moment: datetime) -> str:
    """RFC 3339 in UTC with a ``Z`` suffix; a naive datetime is taken to be UTC already."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    text = aware.astimezone(UTC).isoformat()
    return text.removesuffix("+00:00") + "Z"


def sorted_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.component_ref, f.advisory.id))


def sorted_outcomes(outcomes: Iterable[RuleOutcome]) -> list[RuleOutcome]:
    return sorted(outcomes, key=lambda o: (*o.sort_key, o.status.value, o.message))


def all_diagnostics(result: RunResult) -> list[Diagnostic]:
    """The run's diagnostics and the inventory's, each once, in a stable order."""
    return sorted(set(result.diagnostics) | set(result.inventory.diagnostics))


def finding_index(findings: Iterable[Finding]) -> dict[tuple[str, str], Finding]:
    """Findings by (component bom-ref, advisory id): the key a vulnerability outcome carries."""
    return {f.key: f for f in findings}


def finding_for(outcome: RuleOutcome, index: dict[tuple[str, str], Finding]) -> Finding | None:
    if outcome.advisory is None:
        return None
    return index.get((outcome.subject, outcome.advisory))


def severity_text(finding: Finding | None) -> str:
    """``high (8.1)``, ``unknown``, or empty when the outcome is not about a vulnerability."""
    if finding is None:
        return ""
    score = finding.score
    if score is None:
        return finding.rating.value
    return f"{finding.rating.value} ({score:.1f})"


def exploitation_text(finding: Finding | None) -> str:
    """``KEV (listed 2021-12-10); EPSS 0.944 (99.9th percentile)``; empty when nothing is known."""
    if finding is None:
        return ""
    parts = []
    if finding.kev is not None:
        ransomware = ", ransomware use known" if finding.kev.ransomware else ""
        parts.append(f"KEV (listed {finding.kev.date_added.isoformat()}{ransomware})")
    if finding.epss is not None:
        pct = finding.epss.percentile
        where = f" ({pct * 100:.1f}th percentile)" if pct is not None else ""
        parts.append(f"EPSS {finding.epss.epss:.3f}{where}")
    return "; ".join(parts)


def outcome_counts(result: RunResult) -> dict[OutcomeStatus, int]:
    return {status: result.verdict.count(status) for status in STATUS_ORDER}


def rating_counts(findings: Iterable[Finding]) -> dict[Rating, int]:
    counts = dict.fromkeys(RATING_ORDER, 0)
    for finding in findings:
        counts[finding.rating] += 1
    return counts


@dataclass(frozen=True, slots=True)
class Unassessed:
    """A component that was not matched against vulnerability data, and why."""

    ref: str
    name: str
    reasons: tuple[str, ...]


def unassessed_components(result: RunResult) -> list[Unassessed]:
    """Components without an exact version or named by a "cannot be assessed" diagnostic.

    A component without a version is listed even when no collector said so: it cannot have been
    matched, and a report that omitted it would overstate what was checked.
    """
    by_ref: dict[str, Component] = result.inventory.by_ref()
    reasons: dict[str, list[str]] = {}
    for diag in all_diagnostics(result):
        if diag.component and diag.code in UNASSESSED_CODES:
            reasons.setdefault(diag.component, []).append(f"{diag.code}: {diag.message}")
    for component in result.inventory.components:
        if component.version is None and component.bom_ref not in reasons:
            declared = f" (declared: {component.version_spec})" if component.version_spec else ""
            reasons[component.bom_ref] = [f"no exact version{declared}"]
    out = []
    for ref in sorted(reasons):
        known = by_ref.get(ref)
        name = known.display if known else ref
        out.append(Unassessed(ref, name, tuple(reasons[ref])))
    return out


def short_digest(sha256: str, length: int = 12) -> str:
    return sha256[:length]


def assessments_by_finding(result: RunResult) -> dict[tuple[str, str], list[AppliedAssessment]]:
    """The waivers and VEX statements applied to each finding, by (bom-ref, advisory id)."""
    out: dict[tuple[str, str], list[AppliedAssessment]] = {}
    for item in result.applied:
        out.setdefault(item.key, []).append(item)
    return out


def assessment_text(item: AppliedAssessment) -> str:
    """One applied assessment in a few words: ``waived by waiver WVR-1 (expires 2027-03-31)``."""
    a = item.assessment
    if item.effect is AssessmentEffect.WAIVED:
        until = f" (expires {a.expires_on.isoformat()})" if a.expires_on else ""
        return f"waived by {a.label}{until}"
    if item.effect is AssessmentEffect.EXPIRED:
        ended = a.expires_on.isoformat() if a.expires_on else "?"
        return f"{a.label} expired on {ended}: not applied"
    if item.effect is AssessmentEffect.NOT_APPLIED:
        return f"{a.label} not applied: {item.reason}"
    if item.effect is AssessmentEffect.ASSESSED:
        return f"{a.status.value.replace('_', ' ')} per {a.label} (not suppressed)"
    return f"{item.effect.value} per {a.label}"
