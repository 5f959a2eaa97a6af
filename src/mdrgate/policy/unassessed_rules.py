"""Fail-closed rules: components that could not be assessed, findings no rule judged, and
error-level diagnostics.

Every outcome that does not pass says in its evidence what would make it pass (``to pass: …``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

from mdrgate.model import (
    Component,
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
            + ["to pass: " + _assessable(component, {d.code for d in diags})]
            + declared_at(component),
        )


def _assessable(component: Component, codes: set[str]) -> str:
    """What lets mdrgate assess the component, for each reason it could not."""
    name = component.name
    steps = []
    if "no-exact-version" in codes:
        steps.append(f"pin {name} to one exact version where it is declared")
    if "unparsable-version" in codes:
        steps.append(
            f"declare {name}'s version as its ecosystem writes it ({component.ecosystem}), "
            "so version ranges can be evaluated"
        )
    if "no-vulnerability-source" in codes:
        steps.append(
            f"give {name} a CPE name (cpe: in its SOUP register entry) so NVD data judges it, "
            "or a purl of an ecosystem mdrgate matches (PyPI, npm, crates.io, Go, Maven)"
        )
    if "advisory-not-evaluable" in codes:
        steps.append(
            "assess by hand whether the advisory named affects this version (mdrgate cannot "
            "decide it from the data); until the data allows it, an unassessed-component rule "
            "covering this component with action warn records it without failing"
        )
    others = sorted(codes - _KNOWN_REASONS)
    if others:
        steps.append(f"remove the cause of {', '.join(others)} named above")
    return "; ".join(steps)


_KNOWN_REASONS = frozenset(
    {"no-exact-version", "unparsable-version", "no-vulnerability-source", "advisory-not-evaluable"}
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
            evidence=(
                "to pass: add a vulnerability rule whose scope covers this component (e.g. "
                "vulnerability-unassessed or vulnerability-cvss), or widen the scope of the "
                "rule that leaves it out",
            ),
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
            evidence=(
                f"to pass: remove the cause ({codes}) so it can be assessed, or add an "
                f"unassessed-component rule whose scope covers it and whose reasons list {codes}",
            ),
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
            evidence=(
                *((diag.location(),) if diag.location() else ()),
                f"to pass: remove the cause of {diag.code} named above"
                + (f" in {diag.location()}" if diag.location() else "")
                + " and run again; no policy can excuse an error",
            ),
        )
