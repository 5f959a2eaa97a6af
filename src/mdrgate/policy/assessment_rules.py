"""Waivers and VEX statements applied to the findings, and the built-in outcomes about them.

For every finding, the assessments that name its vulnerability (id or alias) and whose selector
covers its component (:func:`mdrgate.policy.assessments.assessment_matches`) decide what becomes
of the policy's outcomes about it (effects: :class:`AssessmentEffect`):

- a valid waiver (not expired on the run date) accepts the finding whatever its status: the
  vulnerability rules' ``fail`` and ``warn`` outcomes for that component and advisory become
  ``suppressed``, with the waiver in their evidence;
- a VEX ``not_affected`` or ``fixed`` statement does the same, unless another VEX statement
  says the same finding is ``affected`` or ``under_investigation`` (then nothing is suppressed
  by VEX and ``MDRGATE-VEX-CONFLICT`` warns);
- a VEX ``affected`` or ``under_investigation`` statement suppresses nothing but marks the
  finding as assessed (``EvaluationContext.assessed``);
- an expired waiver suppresses nothing and fails on its own (``MDRGATE-WAIVER-EXPIRED``);
- a selector that cannot be checked (a version the component's scheme cannot read) applies
  nothing and warns (``MDRGATE-ASSESSMENT-UNCHECKABLE``);
- a waiver that covers no finding warns (``MDRGATE-WAIVER-UNUSED``), and so does a VEX statement
  (``MDRGATE-VEX-UNMATCHED``): a record that does nothing is never passed over in silence.

Only outcomes of the policy's rules are suppressed; the built-in fail-closed rules (errors,
unjudged findings, an empty inventory) are never.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date

from mdrgate.model import Component, Finding, Inventory, OutcomeStatus, RuleOutcome
from mdrgate.model.assessment import (
    AppliedAssessment,
    Assessment,
    AssessmentEffect,
    AssessmentKind,
    VexStatus,
)
from mdrgate.policy.assessments import (
    MatchProblem,
    assessment_matches,
    selector_matches,
    vulnerability_names,
)
from mdrgate.policy.evaluation_ids import (
    ASSESSMENT_UNCHECKABLE_RULE_ID,
    VEX_CONFLICT_RULE_ID,
    VEX_UNMATCHED_RULE_ID,
    WAIVER_EXPIRED_RULE_ID,
    WAIVER_UNUSED_RULE_ID,
)

CLAUSE_EXCEPTIONS = (
    "controlled exceptions: a waiver is valid only while approved and unexpired "
    "(IEC 81001-5-1 5.7, MDR Annex I 17.2)"
)
CLAUSE_VEX = "CISA VEX minimum requirements: every statement must be applied or reported"

_SUPPRESSIBLE = (OutcomeStatus.FAIL, OutcomeStatus.WARN)
_VEX_OPEN = (VexStatus.AFFECTED, VexStatus.UNDER_INVESTIGATION)


@dataclass(frozen=True, slots=True)
class AssessmentMatches:
    """Every (assessment, finding) pair that matters, and the assessments that covered nothing."""

    applied: tuple[AppliedAssessment, ...]
    """Sorted by component, advisory, then the assessment's source and id."""
    unmatched: tuple[Assessment, ...]
    """Assessments that covered no finding and met no selector problem, in input order."""

    @property
    def assessed(self) -> frozenset[tuple[str, str]]:
        return frozenset(a.key for a in self.applied if a.effect.assesses)

    def by_finding(self) -> dict[tuple[str, str], list[AppliedAssessment]]:
        out: dict[tuple[str, str], list[AppliedAssessment]] = defaultdict(list)
        for item in self.applied:
            out[item.key].append(item)
        return out


def match_assessments(
    assessments: Sequence[Assessment],
    inventory: Inventory,
    findings: Iterable[Finding],
    today: date,
) -> AssessmentMatches:
    """Which assessment speaks about which finding, with what effect (see the module text)."""
    if not assessments:
        return AssessmentMatches((), ())
    by_name: dict[str, list[int]] = defaultdict(list)
    for index, assessment in enumerate(assessments):
        for name in {assessment.vulnerability, *assessment.aliases}:
            by_name[name.strip().casefold()].append(index)
    components = inventory.by_ref()
    touched: set[int] = set()
    applied: list[AppliedAssessment] = []
    for finding in findings:
        component = components.get(finding.component_ref)
        if component is None:
            continue
        candidates = sorted({i for n in vulnerability_names(finding) for i in by_name.get(n, ())})
        found: list[AppliedAssessment] = []
        for index in candidates:
            assessment = assessments[index]
            answer = assessment_matches(assessment, finding, component)
            if answer is False:
                continue
            touched.add(index)
            found.append(_applied(assessment, finding, answer, today))
        applied.extend(_resolve_conflicts(found))
    unmatched = tuple(a for i, a in enumerate(assessments) if i not in touched)
    applied.sort(key=lambda a: (*a.key, a.assessment.source.path, a.assessment.id))
    return AssessmentMatches(tuple(applied), unmatched)


def _applied(
    assessment: Assessment, finding: Finding, answer: bool | MatchProblem, today: date
) -> AppliedAssessment:
    effect, reason = _effect(assessment, answer, today)
    return AppliedAssessment(assessment, finding.component_ref, finding.advisory.id, effect, reason)


def _effect(
    assessment: Assessment, answer: bool | MatchProblem, today: date
) -> tuple[AssessmentEffect, str | None]:
    if isinstance(answer, MatchProblem):
        return AssessmentEffect.NOT_APPLIED, answer.describe()
    if assessment.source.kind is AssessmentKind.WAIVER:
        if assessment.expired(today):
            return AssessmentEffect.EXPIRED, f"expired on {_day(assessment.expires_on)}"
        return AssessmentEffect.WAIVED, None
    if assessment.status is VexStatus.NOT_AFFECTED:
        return AssessmentEffect.NOT_AFFECTED, None
    if assessment.status is VexStatus.FIXED:
        return AssessmentEffect.FIXED, None
    return AssessmentEffect.ASSESSED, None


def _resolve_conflicts(found: list[AppliedAssessment]) -> list[AppliedAssessment]:
    """VEX statements that call one finding both resolved and open: the open one counts."""
    open_vex = [
        a
        for a in found
        if a.effect is AssessmentEffect.ASSESSED and a.assessment.status in _VEX_OPEN
    ]
    if not open_vex:
        return found
    against = ", ".join(f"{a.assessment.label} ({a.assessment.status.value})" for a in open_vex)
    return [
        replace(
            a,
            effect=AssessmentEffect.NOT_APPLIED,
            reason=f"contradicted by {against}: the finding is judged as affected",
        )
        if a.assessment.source.kind is not AssessmentKind.WAIVER and a.effect.suppresses
        else a
        for a in found
    ]


def apply_assessments(
    outcomes: Iterable[RuleOutcome], matches: AssessmentMatches
) -> list[RuleOutcome]:
    """The policy's outcomes with the assessments of their findings applied.

    A ``fail`` or ``warn`` outcome about a finding that a suppressing assessment covers becomes
    ``suppressed``; every outcome about an assessed finding lists the assessments in its
    evidence. Outcomes without an advisory are returned unchanged.
    """
    by_finding = matches.by_finding()
    out: list[RuleOutcome] = []
    for outcome in outcomes:
        items = by_finding.get((outcome.subject, outcome.advisory or ""))
        if outcome.advisory is None or not items:
            out.append(outcome)
            continue
        evidence = [line for item in items for line in assessment_evidence(item)]
        suppressors = [i for i in items if i.effect.suppresses]
        if outcome.status in _SUPPRESSIBLE and suppressors:
            by = "; ".join(_suppressed_by(i) for i in suppressors)
            out.append(
                replace(
                    outcome,
                    status=OutcomeStatus.SUPPRESSED,
                    message=f"{outcome.message} — suppressed by {by}",
                    evidence=(
                        *outcome.evidence,
                        f"without the assessment this outcome would be: {outcome.status.value}",
                        *evidence,
                    ),
                )
            )
        else:
            out.append(replace(outcome, evidence=(*outcome.evidence, *evidence)))
    return out


def _suppressed_by(item: AppliedAssessment) -> str:
    assessment = item.assessment
    if item.effect is AssessmentEffect.WAIVED:
        return (
            f"{assessment.label} (approved by {assessment.approver} on "
            f"{_day(assessment.approved_on)}, expires {_day(assessment.expires_on)})"
        )
    return f"{assessment.label} ({assessment.status.value})"


def assessment_evidence(item: AppliedAssessment) -> list[str]:
    """The lines an outcome's evidence gets for one applied assessment."""
    a = item.assessment
    waiver = a.source.kind is AssessmentKind.WAIVER
    where = a.source.location() if waiver else f"line {a.source.line}" if a.source.line else ""
    head = (
        f"{a.label}{f' ({where})' if where else ''}: {item.effect.value}; status {a.status.value}"
    )
    if a.justification is not None:
        head += f", justification {a.justification.value}"
    if item.reason:
        head += f"; {item.reason}"
    lines = [head]
    if waiver:
        lines.append(
            f"{a.label} approved by {a.approver} on {_day(a.approved_on)}, "
            f"expires {_day(a.expires_on)}"
        )
    elif a.source.document_id:
        lines.append(f"{a.label}: document {a.source.document_id}")
    if a.impact:
        lines.append(f"{a.label} impact: {a.impact}")
    if a.action:
        lines.append(f"{a.label} action: {a.action}")
    if a.links:
        lines.append(f"{a.label} links: {', '.join(a.links)}")
    return lines


def assessment_outcomes(
    matches: AssessmentMatches, inventory: Inventory, today: date
) -> Iterator[RuleOutcome]:
    """The built-in outcomes about the assessments themselves (see the module text)."""
    names = {c.bom_ref: c.display for c in inventory.components}
    for item in matches.applied:
        name = names.get(item.component_ref, item.component_ref)
        a = item.assessment
        if item.effect is AssessmentEffect.EXPIRED:
            yield RuleOutcome(
                rule_id=WAIVER_EXPIRED_RULE_ID,
                rule_type="waiver-expired",
                status=OutcomeStatus.FAIL,
                subject=item.component_ref,
                subject_name=name,
                message=f"{a.label} for {item.advisory} in {name} expired on "
                f"{_day(a.expires_on)}: it no longer accepts the finding, which is judged "
                "without it",
                clause=CLAUSE_EXCEPTIONS,
                advisory=item.advisory,
                evidence=(
                    *assessment_evidence(item),
                    f"to pass: fix {item.advisory} in {name}, or have the exception re-approved "
                    f"with a new expiry ({a.source.location()})",
                ),
            )
        elif item.effect is AssessmentEffect.NOT_APPLIED:
            conflict = a.source.kind is not AssessmentKind.WAIVER and (
                item.reason or ""
            ).startswith("contradicted by")
            yield RuleOutcome(
                rule_id=VEX_CONFLICT_RULE_ID if conflict else ASSESSMENT_UNCHECKABLE_RULE_ID,
                rule_type="vex-conflict" if conflict else "assessment-uncheckable",
                status=OutcomeStatus.WARN,
                subject=item.component_ref,
                subject_name=name,
                message=f"{a.label} was not applied to {item.advisory} in {name}: {item.reason}",
                clause=CLAUSE_VEX if conflict else CLAUSE_EXCEPTIONS,
                advisory=item.advisory,
                evidence=(
                    *assessment_evidence(item),
                    "to pass: "
                    + (
                        "make the VEX statements about this finding agree"
                        if conflict
                        else "state the selector's versions so that the component's version "
                        "scheme can compare them"
                    )
                    + f" ({a.source.location()})",
                ),
            )
    for a in matches.unmatched:
        waiver = a.source.kind is AssessmentKind.WAIVER
        expired = (
            f"; it also expired on {_day(a.expires_on)}" if waiver and a.expired(today) else ""
        )
        yield RuleOutcome(
            rule_id=WAIVER_UNUSED_RULE_ID if waiver else VEX_UNMATCHED_RULE_ID,
            rule_type="waiver-unused" if waiver else "vex-unmatched",
            status=OutcomeStatus.WARN,
            subject="inventory",
            subject_name=a.label,
            message=f"{a.label} ({a.vulnerability}) covers no finding: "
            f"{_why_unmatched(a, inventory.components)}{expired}",
            clause=CLAUSE_EXCEPTIONS if waiver else CLAUSE_VEX,
            advisory=a.vulnerability,
            evidence=(
                f"{a.label} at {a.source.location()}",
                *(f"selector: {s.describe()}" for s in a.components),
                f"to pass: correct the {'selectors' if waiver else 'products'} or the "
                f"vulnerability id, or remove the {'waiver' if waiver else 'statement'} if it is "
                f"no longer needed ({a.source.location()})",
            ),
        )


def _why_unmatched(a: Assessment, components: Sequence[Component]) -> str:
    covered = [
        c.display for c in components if any(selector_matches(s, c) is True for s in a.components)
    ]
    if covered:
        return (
            f"it covers {', '.join(sorted(covered))}, where {a.vulnerability} was not found "
            "(fixed, or not in the vulnerability data)"
        )
    return "no component of the inventory matches its " + (
        "selectors" if a.source.kind is AssessmentKind.WAIVER else "products"
    )


def _day(value: date | None) -> str:
    return value.isoformat() if value is not None else "an unknown date"
