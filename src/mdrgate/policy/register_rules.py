"""Rules comparing the SOUP register with what the inputs showed (see collect/reconcile.py).

Every outcome that does not pass says in its evidence what would make it pass (``to pass: …``),
naming the register entry or the input to change.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator

from mdrgate.model import (
    REGISTER_COLLECTOR,
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
        evidence = [d.location() for d in sorted(diags) if d.location()]
        remedy = _REMEDIES.get(code)
        if remedy is not None:
            evidence.append("to pass: " + remedy(component))
        yield outcome(
            rule,
            component,
            OutcomeStatus.for_action(rule.action),
            "; ".join(sorted({d.message for d in diags})),
            evidence=evidence + declared_at(component),
        )


def undeclared(rule: SoupUndeclaredRule, ctx: EvaluationContext) -> Iterator[RuleOutcome]:
    if any(d.code == "no-soup-register" for d in ctx.diagnostics):
        status = status_for(rule.without_register)
        remedy = (
            "add the SOUP register (an input of kind soup-register, e.g. soup.yml) that declares "
            "the components found"
        )
        yield outcome(
            rule,
            None,
            status,
            "no SOUP register was read: none of the components found is declared",
            evidence=[] if status is OutcomeStatus.PASS else ["to pass: " + remedy],
        )
        return
    yield from flagged(
        rule, ctx, "undeclared-soup", found_components, "listed in the SOUP register"
    )


def register_entry(component: Component) -> str:
    """The register entry that declares ``component``, as a reader finds it:
    ``the SOUP register entry SOUP-012 (firmware/soup.yml:143)``."""
    soup = component.soup
    label = soup.register_id if soup is not None and soup.register_id else None
    where = [o.location for o in sorted(component.origins) if o.collector == REGISTER_COLLECTOR]
    named = f"the SOUP register entry {label}" if label else "the SOUP register entry"
    if not label:
        named += f" of {component.name}"
    return f"{named} ({where[0]})" if where else named


def _found_at(component: Component) -> str:
    """Where the inputs showed ``component`` (register excluded), for a remedy's text."""
    places = sorted({o.location for o in component.origins if o.collector != REGISTER_COLLECTOR})
    if not places:
        return ""
    more = f" and {len(places) - 3} more" if len(places) > 3 else ""
    return f" ({', '.join(places[:3])}{more})"


def _declare(component: Component) -> str:
    version = component.version or "its exact version"
    return (
        f"add an entry for {component.name} {version} to the SOUP register (name, version, "
        f"supplier, purl or cpe), or remove it from the device if it is not meant to ship"
        f"{_found_at(component)}"
    )


def _drifted(component: Component) -> str:
    return (
        f"set version in {register_entry(component)} to the version found, or ship "
        f"{component.display} as the register states"
    )


def _not_evidenced(component: Component) -> str:
    return (
        "add the source tree, build manifest, image, linker map or SBOM that contains "
        f"{component.display} to the inputs, or remove {register_entry(component)} if it no "
        "longer ships"
    )


def _conflicting(component: Component) -> str:
    found = _found_at(component)
    this = f" (this one: {found[2:-1]})" if found else ""
    return (
        f"make the inputs agree on one version of {component.name}: remove or update the stale "
        f"copy, declaration or build output{this}"
    )


_REMEDIES: dict[str, Callable[[Component], str]] = {
    "undeclared-soup": _declare,
    "soup-version-drift": _drifted,
    "soup-not-evidenced": _not_evidenced,
    "conflicting-evidence": _conflicting,
}
"""What makes the outcome of each reconciliation diagnostic pass."""
