"""The ``licence`` rule: each component's declared licences against allow/deny patterns.

One outcome per component in scope, passes included. The judgement itself is
:func:`mdrgate.policy.licences.judge_licences` (SPDX expressions, alternatives, ``WITH``
exceptions); this module turns it into outcomes. A component that declares nothing, or an
expression that cannot be read, gets its own stated outcome: neither passes by default.
"""

from __future__ import annotations

from collections.abc import Iterator

from mdrgate.model import Component, OutcomeStatus, RuleOutcome
from mdrgate.policy.context import EvaluationContext, declared_at, in_scope, outcome, status_for
from mdrgate.policy.licences import LicenceJudgement, LicenceTerms, LicenceVerdict, judge_licences
from mdrgate.policy.rules import LicenceRule


def licence(rule: LicenceRule, ctx: EvaluationContext) -> Iterator[RuleOutcome]:
    terms = LicenceTerms(allow=rule.allow, deny=rule.deny)
    for component in ctx.inventory.components:
        if in_scope(rule, component):
            yield _judged(rule, component, judge_licences(component.licenses, terms))


def _judged(rule: LicenceRule, component: Component, judgement: LicenceJudgement) -> RuleOutcome:
    verdict = judgement.verdict
    evidence = [f"declared licence: {judgement.expression or 'none'}", *_terms(rule)]
    evidence += declared_at(component)
    if verdict is LicenceVerdict.ALLOWED:
        return outcome(
            rule,
            component,
            OutcomeStatus.PASS,
            f"licence {judgement.expression}: {judgement.reason}",
            evidence=evidence,
        )
    if verdict is LicenceVerdict.UNDECLARED:
        status = status_for(rule.undeclared)
        message = "no licence is declared: its terms cannot be checked"
        remedy = (
            "state the licence (SPDX id or expression) in the SOUP register's 'license' field "
            "or in the component's SBOM entry"
        )
    elif verdict is LicenceVerdict.UNREADABLE:
        status = OutcomeStatus.for_action(rule.unreadable or rule.action)
        message = f"licence {judgement.expression!r} cannot be judged: {judgement.reason}"
        remedy = (
            "write the licence as an SPDX expression (e.g. 'MIT OR Apache-2.0'; "
            "LicenseRef-NAME for a licence without an SPDX id)"
        )
    else:
        status = OutcomeStatus.for_action(rule.action)
        message = f"licence {judgement.expression}: {judgement.reason}"
        remedy = (
            "replace the component, obtain it under an allowed licence, or allow the licence "
            "for this scope in a product policy composed after this one, with the decision "
            "documented"
        )
    if status is not OutcomeStatus.PASS:
        evidence.append("to pass: " + remedy)
    return outcome(rule, component, status, message, evidence=evidence)


def _terms(rule: LicenceRule) -> list[str]:
    lines = []
    if rule.allow:
        lines.append(f"allowed: {', '.join(rule.allow)}")
    if rule.deny:
        lines.append(f"denied: {', '.join(rule.deny)}")
    return lines
