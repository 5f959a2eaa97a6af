"""Apply the policy's rules to the inventory and findings; the result is a ``Verdict`` value.

Each rule yields one outcome per subject it looks at, passes included, so the evidence shows what
was checked and not only what failed. Subjects a rule cannot judge are not passed silently: a
component without a version, for example, is left to the ``unassessed-component`` rule, and any
error-level diagnostic fails the run through a built-in rule that no policy can switch off.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import assert_never

from mdrgate.model import (
    OutcomeStatus,
    RuleOutcome,
    Verdict,
)
from mdrgate.policy.assessment_rules import (
    apply_assessments,
    assessment_outcomes,
    match_assessments,
)
from mdrgate.policy.component_rules import banned
from mdrgate.policy.context import (
    EvaluationContext,
)
from mdrgate.policy.evaluation_ids import EMPTY_RULE_ID, ERRORS_RULE_ID, UNJUDGED_RULE_ID
from mdrgate.policy.licence_rules import licence
from mdrgate.policy.load import Policy
from mdrgate.policy.register_rules import (
    evidenced_entries,
    flagged,
    found_components,
    register_entries,
    undeclared,
)
from mdrgate.policy.rules import (
    VULNERABILITY_RULE_TYPES,
    BannedComponentRule,
    EvidenceConflictRule,
    LicenceRule,
    Rule,
    SbomKnownUnknownsRule,
    SbomNtiaElementsRule,
    SoupAnomalyListRule,
    SoupEndOfSupportRule,
    SoupLevelOfSupportRule,
    SoupNoReleaseRule,
    SoupNotEvidencedRule,
    SoupRegisterFieldsRule,
    SoupUndeclaredRule,
    SoupVersionDriftRule,
    UnassessedComponentRule,
    VulnerabilitySeverityRule,
)
from mdrgate.policy.sbom_rules import known_unknowns_limit, ntia_elements
from mdrgate.policy.support_rules import (
    anomaly_list,
    end_of_support,
    level_of_support,
    no_release,
    register_fields,
)
from mdrgate.policy.unassessed_rules import error_diagnostics, unassessed, unjudged
from mdrgate.policy.vulnerability_rules import judge_vulnerabilities, vulnerability_severity

__all__ = ["EMPTY_RULE_ID", "ERRORS_RULE_ID", "UNJUDGED_RULE_ID", "EvaluationContext", "evaluate"]


def evaluate(policy: Policy, ctx: EvaluationContext) -> Verdict:
    # Waivers and VEX statements are matched first, so rules can see which findings are assessed;
    # they are applied to the rules' outcomes before the fail-closed rules run, which they never
    # touch; their own outcomes (expired, unused, unmatched, not applicable) come last.
    matches = match_assessments(ctx.assessments, ctx.inventory, ctx.findings, ctx.today)
    ctx = replace(ctx, assessed=ctx.assessed | matches.assessed)
    outcomes: list[RuleOutcome] = []
    for rule in policy.rules:
        if rule.scope.safety_classes and ctx.product.safety_class not in rule.scope.safety_classes:
            continue
        outcomes.extend(_evaluate_rule(rule, ctx))
    outcomes = apply_assessments(outcomes, matches)
    outcomes.extend(error_diagnostics(ctx))
    outcomes.extend(unjudged(outcomes, ctx))
    outcomes.extend(assessment_outcomes(matches, ctx.inventory, ctx.today))
    if not ctx.inventory.components:
        outcomes.append(
            RuleOutcome(
                rule_id=EMPTY_RULE_ID,
                rule_type="empty-inventory",
                status=OutcomeStatus.FAIL,
                subject="inventory",
                subject_name="inventory",
                message="the inputs yielded no components: nothing was assessed",
                clause="fail closed: a gate that checked nothing must not pass",
                evidence=(
                    "to pass: name the device's inputs (lock files, the SOUP register, firmware "
                    "sources or images, SBOMs) under 'inputs:' in the configuration or as paths",
                ),
            )
        )
    return Verdict.from_outcomes(outcomes)


def _evaluate_rule(rule: Rule, ctx: EvaluationContext) -> Iterator[RuleOutcome]:
    if isinstance(rule, VulnerabilitySeverityRule):
        yield from vulnerability_severity(rule, ctx)
    elif isinstance(rule, BannedComponentRule):
        yield from banned(rule, ctx)
    elif isinstance(rule, SoupEndOfSupportRule):
        yield from end_of_support(rule, ctx)
    elif isinstance(rule, SoupLevelOfSupportRule):
        yield from level_of_support(rule, ctx)
    elif isinstance(rule, SoupRegisterFieldsRule):
        yield from register_fields(rule, ctx)
    elif isinstance(rule, UnassessedComponentRule):
        yield from unassessed(rule, ctx)
    elif isinstance(rule, SoupUndeclaredRule):
        yield from undeclared(rule, ctx)
    elif isinstance(rule, SoupAnomalyListRule):
        yield from anomaly_list(rule, ctx)
    elif isinstance(rule, SoupNoReleaseRule):
        yield from no_release(rule, ctx)
    elif isinstance(rule, SoupVersionDriftRule):
        yield from flagged(
            rule, ctx, "soup-version-drift", register_entries, "no other version was found"
        )
    elif isinstance(rule, SoupNotEvidencedRule):
        yield from flagged(rule, ctx, "soup-not-evidenced", evidenced_entries, "evidenced")
    elif isinstance(rule, EvidenceConflictRule):
        yield from flagged(
            rule, ctx, "conflicting-evidence", found_components, "found at one version"
        )
    elif isinstance(rule, VULNERABILITY_RULE_TYPES):
        yield from judge_vulnerabilities(rule, ctx)
    elif isinstance(rule, LicenceRule):
        yield from licence(rule, ctx)
    elif isinstance(rule, SbomNtiaElementsRule):
        yield from ntia_elements(rule, ctx)
    elif isinstance(rule, SbomKnownUnknownsRule):
        yield from known_unknowns_limit(rule, ctx)
    else:
        assert_never(rule)
