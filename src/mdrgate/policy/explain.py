"""``mdrgate policy explain``: which rules look at which components, and why the others do not.

The answer comes from the same scope test evaluation uses (:func:`mdrgate.policy.context.in_scope`
and the product's safety class), plus what each rule type looks at by its nature (register-only
rules judge SOUP register items; vulnerability rules judge a component's findings). It is
computed without the vulnerability database: it says which rules *would* judge a component, not
what they would conclude.
"""

from __future__ import annotations

from dataclasses import dataclass

from mdrgate.model import Component, Product
from mdrgate.policy.context import in_scope
from mdrgate.policy.load import Policy
from mdrgate.policy.rules import Rule, RuleType
from mdrgate.policy.scope import describe

_REGISTER_ONLY = frozenset(
    {
        RuleType.SOUP_LEVEL_OF_SUPPORT,
        RuleType.SOUP_REGISTER_FIELDS,
        RuleType.SOUP_VERSION_DRIFT,
        RuleType.SOUP_NOT_EVIDENCED,
        RuleType.SOUP_ANOMALY_LIST,
    }
)


@dataclass(frozen=True, slots=True)
class RuleFit:
    rule_id: str
    rule_type: str
    applies: bool
    why: str
    source: str
    clause: str | None


@dataclass(frozen=True, slots=True)
class ComponentRules:
    component: Component
    rules: tuple[RuleFit, ...]

    @property
    def applying(self) -> tuple[RuleFit, ...]:
        return tuple(r for r in self.rules if r.applies)


def explain(
    policy: Policy, product: Product, components: tuple[Component, ...]
) -> list[ComponentRules]:
    """For every component (sorted by bom-ref), each rule of the policy with whether it applies."""
    return [
        ComponentRules(c, tuple(_fit(rule, product, c) for rule in policy.rules))
        for c in sorted(components, key=lambda c: c.bom_ref)
    ]


def _fit(rule: Rule, product: Product, component: Component) -> RuleFit:
    def fit(applies: bool, why: str) -> RuleFit:
        return RuleFit(rule.id, rule.type.value, applies, why, rule.source, rule.clause)

    classes = rule.scope.safety_classes
    if classes and product.safety_class not in classes:
        wanted = ", ".join(sorted(c.value for c in classes))
        return fit(
            False,
            f"the product is safety class {product.safety_class.value}, the rule "
            f"is scoped to class {wanted}",
        )
    if not in_scope(rule, component):
        return fit(False, f"outside the rule's scope ({_scope_text(rule)})")
    if rule.type in _REGISTER_ONLY and component.soup is None:
        return fit(False, "judges SOUP register items; this component is not in the register")
    if rule.type is RuleType.SOUP_UNDECLARED and component.soup is not None:
        return fit(False, "judges components the register does not list; this one it lists")
    if rule.type is RuleType.VULNERABILITY_SEVERITY and component.version is None:
        return fit(
            True,
            "in scope; without an exact version it has no findings to judge (the "
            "unassessed-component rules judge it instead)",
        )
    return fit(True, f"in scope ({_scope_text(rule)})")


def _scope_text(rule: Rule) -> str:
    return describe(rule.scope)
