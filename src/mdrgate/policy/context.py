"""What every rule module shares: the evaluation context and how an outcome is written."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from mdrgate.model import (
    UNASSESSED_CODES,
    Action,
    Component,
    Diagnostic,
    Finding,
    Inventory,
    OutcomeStatus,
    Product,
    RuleOutcome,
)
from mdrgate.model.assessment import Assessment
from mdrgate.model.support import SupportFacts
from mdrgate.policy.rules import (
    Rule,
    RuleBase,
)
from mdrgate.policy.scope import covers


@dataclass(frozen=True, slots=True)
class EvaluationContext:
    product: Product
    inventory: Inventory
    findings: Sequence[Finding]
    diagnostics: Sequence[Diagnostic]
    today: date
    sources: Sequence[str] = ()
    """Names of the vulnerability sources consulted, for the text of passing outcomes."""
    support: Sequence[SupportFacts] = ()
    """endoflife.date facts of the components a product names
    (:func:`mdrgate.enrich.end_of_life.support_for`)."""
    support_sources: Sequence[str] = ()
    """The endoflife.date sources consulted; empty when there were none (no such data)."""
    assessments: Sequence[Assessment] = ()
    """The waivers and VEX statements read (:mod:`mdrgate.policy.assessment_rules` applies them)."""
    assessed: frozenset[tuple[str, str]] = frozenset()
    """(component bom-ref, advisory id) of every finding a valid waiver or a VEX statement
    covers; ``evaluate`` fills it from ``assessments`` before any rule runs."""
    source_ages: tuple[tuple[str, float | None], ...] = ()
    """(source name, age in days or ``None`` when unknown) of every vulnerability data source
    consulted (:func:`mdrgate.vulndb.freshness.age_days`), for the data-freshness rule."""


def in_scope(rule: RuleBase, component: Component) -> bool:
    return covers(rule.scope, component)


def outcome(
    rule: Rule,
    component: Component | None,
    status: OutcomeStatus,
    message: str,
    *,
    advisory: str | None = None,
    evidence: Sequence[str] = (),
) -> RuleOutcome:
    return RuleOutcome(
        rule_id=rule.id,
        rule_type=rule.type.value,
        status=status,
        subject=component.bom_ref if component else "inventory",
        subject_name=component.display if component else "inventory",
        message=message,
        clause=rule.clause,
        advisory=advisory,
        evidence=tuple(evidence),
    )


def declared_at(component: Component) -> list[str]:
    return [f"declared in {origin}" for origin in component.origins]


def status_for(action: Action | None) -> OutcomeStatus:
    return OutcomeStatus.PASS if action is None else OutcomeStatus.for_action(action)


def unassessed_refs(ctx: EvaluationContext) -> dict[str, list[Diagnostic]]:
    refs: dict[str, list[Diagnostic]] = defaultdict(list)
    for diag in ctx.diagnostics:
        if diag.component and diag.code in UNASSESSED_CODES:
            refs[diag.component].append(diag)
    return refs


def soup_components(rule: RuleBase, ctx: EvaluationContext) -> Iterator[Component]:
    for component in ctx.inventory.components:
        if component.soup is not None and in_scope(rule, component):
            yield component


def without_subject(message: str, component: Component) -> str:
    """A diagnostic's message without its leading "name version:" (the outcome names it)."""
    for prefix in (f"{component.display}: ", f"{component.name}: "):
        if message.startswith(prefix):
            return message[len(prefix) :]
    return message
