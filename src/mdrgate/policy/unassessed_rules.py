"""Fail-closed rules: components that could not be assessed, findings no rule judged, and
error-level diagnostics."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

from mdrgate.model import (
    Diagnostic,
    DiagnosticLevel,
    OutcomeStatus,
    RuleOutcome,
)
from mdrgate.policy.context import (
    EvaluationContext,
    declared_at,
    in_scope,
    outcome,
    unassessed_refs,
    without_subject,
)
from mdrgate.policy.evaluation_ids import ERRORS_RULE_ID, UNJUDGED_RULE_ID
from mdrgate.policy.rules import (
    RuleType,
    UnassessedComponentRule,
)

# --- unassessed components and errors --------------------------------------------------------


def unassessed(rule: UnassessedComponentRule, ctx: EvaluationContext) -> Iterator[RuleOutcome]:
    by_ref: dict[str, list[Diagnostic]] = defaultdict(list)
    for diag in ctx.diagnostics:
        if diag.component and diag.code in rule.reasons:
            by_ref[diag.component].append(diag)
    for component in ctx.inventory.components:
        if not in_scope(rule, component):
            continue
        diags = by_ref.get(component.bom_ref)
        if not diags:
            yield outcome(rule, component, OutcomeStatus.PASS, "assessed")
            continue
        reasons = "; ".join(sorted({without_subject(d.message, component) for d in diags}))
        yield outcome(
            rule,
            component,
            OutcomeStatus.for_action(rule.action),
            f"{component.display} cannot be assessed: {reasons}",
            evidence=[
                f"{d.code}: {d.location()}" if d.location() else d.code for d in sorted(diags)
            ]
            + declared_at(component),
        )


def unjudged(outcomes: Sequence[RuleOutcome], ctx: EvaluationContext) -> Iterator[RuleOutcome]:
    """Fail what the policy left unjudged: a finding no vulnerability rule looked at, or an
    unassessed component that no unassessed-component rule covered (a rule scoped away, switched
    off, or a typo in its reasons). A policy may judge leniently, but it must judge."""
    judged_findings = {(o.subject, o.advisory) for o in outcomes if o.advisory is not None}
    judged_components = {
        o.subject
        for o in outcomes
        if o.rule_type == RuleType.UNASSESSED_COMPONENT.value and o.status is not OutcomeStatus.PASS
    }
    names = {c.bom_ref: c.display for c in ctx.inventory.components}
    for finding in ctx.findings:
        if (finding.component_ref, finding.advisory.id) in judged_findings:
            continue
        yield RuleOutcome(
            rule_id=UNJUDGED_RULE_ID,
            rule_type="unjudged",
            status=OutcomeStatus.FAIL,
            subject=finding.component_ref,
            subject_name=names.get(finding.component_ref, finding.component_ref),
            message=f"{finding.advisory.id} was found but no vulnerability rule of the policy "
            "judged it",
            clause="fail closed: every known vulnerability must be assessed",
            advisory=finding.advisory.id,
        )
    for ref, diags in sorted(unassessed_refs(ctx).items()):
        if ref in judged_components or ref not in names:
            continue
        codes = ", ".join(sorted({d.code for d in diags}))
        yield RuleOutcome(
            rule_id=UNJUDGED_RULE_ID,
            rule_type="unjudged",
            status=OutcomeStatus.FAIL,
            subject=ref,
            subject_name=names[ref],
            message=f"{names[ref]} cannot be assessed ({codes}) and no unassessed-component "
            "rule of the policy covers it",
            clause="fail closed: a component that was not assessed must not pass silently",
        )


def error_diagnostics(ctx: EvaluationContext) -> Iterator[RuleOutcome]:
    refs = ctx.inventory.by_ref()
    for diag in sorted(ctx.diagnostics):
        if diag.level is not DiagnosticLevel.ERROR:
            continue
        component = refs.get(diag.component or "")
        yield RuleOutcome(
            rule_id=ERRORS_RULE_ID,
            rule_type="error-diagnostic",
            status=OutcomeStatus.FAIL,
            subject=component.bom_ref if component else (diag.component or "inventory"),
            subject_name=component.display if component else (diag.path or "inventory"),
            message=f"{diag.code}: {diag.message}",
            clause="fail closed: an error met while assessing must not pass",
            evidence=(diag.location(),) if diag.location() else (),
        )
