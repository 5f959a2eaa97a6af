"""Rules comparing the SOUP register with what the inputs showed (see collect/reconcile.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator

from mdrgate.model import (
    Component,
    Diagnostic,
    OutcomeStatus,
    RuleOutcome,
)
from mdrgate.policy.context import (
    EvaluationContext,
    declared_at,
    in_scope,
    outcome,
    soup_components,
    status_for,
)
from mdrgate.policy.rules import (
    Rule,
    RuleBase,
    SoupUndeclaredRule,
)

# --- the SOUP register against the findings (see collect/reconcile.py) -------------------------


def found_components(rule: RuleBase, ctx: EvaluationContext) -> Iterator[Component]:
    for component in ctx.inventory.components:
        if in_scope(rule, component) and component.found:
            yield component


def register_entries(rule: RuleBase, ctx: EvaluationContext) -> Iterator[Component]:
    yield from soup_components(rule, ctx)


def evidenced_entries(rule: RuleBase, ctx: EvaluationContext) -> Iterator[Component]:
    """Register entries that an evidence input could have shown: found ones, and flagged ones."""
    flagged = {d.component for d in ctx.diagnostics if d.code == "soup-not-evidenced"}
    for component in soup_components(rule, ctx):
        if component.found or component.bom_ref in flagged:
            yield component


def flagged(
    rule: Rule,
    ctx: EvaluationContext,
    code: str,
    subjects: Callable[[RuleBase, EvaluationContext], Iterator[Component]],
    pass_message: str,
) -> Iterator[RuleOutcome]:
    """One outcome per subject: the rule's action where a ``code`` diagnostic names it."""
    flagged: dict[str, list[Diagnostic]] = defaultdict(list)
    for diag in ctx.diagnostics:
        if diag.code == code and diag.component:
            flagged[diag.component].append(diag)
    for component in subjects(rule, ctx):
        diags = flagged.get(component.bom_ref)
        if not diags:
            yield outcome(rule, component, OutcomeStatus.PASS, pass_message)
            continue
        yield outcome(
            rule,
            component,
            OutcomeStatus.for_action(rule.action),
            "; ".join(sorted({d.message for d in diags})),
            evidence=[d.location() for d in sorted(diags) if d.location()] + declared_at(component),
        )


def undeclared(rule: SoupUndeclaredRule, ctx: EvaluationContext) -> Iterator[RuleOutcome]:
    if any(d.code == "no-soup-register" for d in ctx.diagnostics):
        yield outcome(
            rule,
            None,
            status_for(rule.without_register),
            "no SOUP register was read: none of the components found is declared",
        )
        return
    yield from flagged(
        rule, ctx, "undeclared-soup", found_components, "listed in the SOUP register"
    )
