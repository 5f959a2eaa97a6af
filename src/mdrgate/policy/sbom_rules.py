"""SBOM-quality rules: NTIA minimum elements per component and the inventory's known unknowns.

``sbom-ntia-elements`` yields one outcome per component in scope (which of the required elements
it lacks; the identifier is a purl or a CPE, so "components without purl/CPE" is this rule with
``elements: [identifier]``). ``sbom-known-unknowns`` yields one outcome for the inventory: how
many components in scope have no version, against a count and/or a share.
"""

from __future__ import annotations

from collections.abc import Iterator

from mdrgate.model import Component, OutcomeStatus, RuleOutcome
from mdrgate.policy.context import EvaluationContext, declared_at, in_scope, outcome
from mdrgate.policy.rules import NtiaElementName, SbomKnownUnknownsRule, SbomNtiaElementsRule
from mdrgate.policy.sbom_quality import known_unknowns, missing_elements

_REMEDY = {
    NtiaElementName.SUPPLIER: "name the supplier (the SOUP register's 'supplier', or the "
    "component's supplier in an imported SBOM)",
    NtiaElementName.VERSION: "pin an exact version (lock file, register 'version', or a "
    "version the firmware sources or image show)",
    NtiaElementName.IDENTIFIER: "give a purl or a CPE (the SOUP register's 'purl'/'cpe')",
}

_LABEL = {
    NtiaElementName.SUPPLIER: "supplier name",
    NtiaElementName.VERSION: "version",
    NtiaElementName.IDENTIFIER: "unique identifier (purl or CPE)",
}


def ntia_elements(rule: SbomNtiaElementsRule, ctx: EvaluationContext) -> Iterator[RuleOutcome]:
    for component in ctx.inventory.components:
        if in_scope(rule, component):
            yield _elements_outcome(rule, component)


def _elements_outcome(rule: SbomNtiaElementsRule, component: Component) -> RuleOutcome:
    lacking = {e.value for e in missing_elements(component)}
    missing = [e for e in rule.elements if e.value in lacking]
    checked = ", ".join(_LABEL[e] for e in rule.elements)
    evidence = [_stated(component, e) for e in rule.elements] + declared_at(component)
    if not missing:
        return outcome(
            rule,
            component,
            OutcomeStatus.PASS,
            f"states the NTIA elements checked: {checked}",
            evidence=evidence,
        )
    names = ", ".join(_LABEL[e] for e in missing)
    evidence.append("to pass: " + "; ".join(_REMEDY[e] for e in missing))
    return outcome(
        rule,
        component,
        OutcomeStatus.for_action(rule.action),
        f"lacks the NTIA minimum element{'s' if len(missing) > 1 else ''}: {names}",
        evidence=evidence,
    )


def _stated(component: Component, element: NtiaElementName) -> str:
    if element is NtiaElementName.SUPPLIER:
        return f"supplier: {component.supplier.strip() if component.supplier else 'none'}"
    if element is NtiaElementName.VERSION:
        stated = component.version or "none"
        if component.version is None and component.version_spec:
            stated += f" (declared {component.version_spec!r})"
        return f"version: {stated}"
    ids = [component.purl] if component.purl else []
    ids += component.cpes
    return f"identifier: {', '.join(ids) or 'none'}"


def known_unknowns_limit(
    rule: SbomKnownUnknownsRule, ctx: EvaluationContext
) -> Iterator[RuleOutcome]:
    scoped = tuple(c for c in ctx.inventory.components if in_scope(rule, c))
    if not scoped:
        return  # nothing to count (an empty inventory fails on its own: MDRGATE-EMPTY)
    unknown = sorted(known_unknowns(scoped), key=lambda c: c.bom_ref)
    total = len(scoped)
    ratio = len(unknown) / total if total else 0.0
    limits = []
    over = []
    if rule.max_unknown is not None:
        limits.append(f"at most {rule.max_unknown}")
        if len(unknown) > rule.max_unknown:
            over.append(f"more than {rule.max_unknown}")
    if rule.max_unknown_ratio is not None:
        limits.append(f"at most {_share(rule.max_unknown_ratio)} of the components")
        if ratio > rule.max_unknown_ratio:
            over.append(f"more than {_share(rule.max_unknown_ratio)}")
    counted = f"{len(unknown)} of {total} component{'s' if total != 1 else ''} ({_share(ratio)})"
    evidence = [f"limit: {' and '.join(limits)}"]
    evidence += [
        f"version unknown: {c.name}"
        + (f" (declared {c.version_spec!r})" if c.version_spec else "")
        + f" [{c.bom_ref}]"
        for c in unknown
    ]
    if not over:
        message = f"{counted} without a version: within the limit"
        yield outcome(rule, None, OutcomeStatus.PASS, message, evidence=evidence)
        return
    evidence.append(
        "to pass: pin exact versions (lock files, the SOUP register's 'version') until the "
        "known unknowns are within the limit"
    )
    yield outcome(
        rule,
        None,
        OutcomeStatus.for_action(rule.action),
        f"{counted} without a version: {' and '.join(over)} (known unknowns)",
        evidence=evidence,
    )


def _share(ratio: float) -> str:
    """A share as a percentage with at most one decimal (``3.7%``, ``5%``)."""
    return f"{ratio * 100:.1f}".rstrip("0").rstrip(".") + "%"
