"""Apply the policy's rules to the inventory and findings; the result is a ``Verdict`` value.

Each rule yields one outcome per subject it looks at, passes included, so the evidence shows what
was checked and not only what failed. Subjects a rule cannot judge are not passed silently: a
component without a version, for example, is left to the ``unassessed-component`` rule, and any
error-level diagnostic fails the run through a built-in rule that no policy can switch off.
"""

from __future__ import annotations

import fnmatch
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import assert_never

from packaging.specifiers import SpecifierSet
from packaging.version import InvalidVersion, Version

from mdrgate.identifiers import normalize_name, purl_without_version
from mdrgate.model import (
    UNASSESSED_CODES,
    Action,
    Component,
    Diagnostic,
    DiagnosticLevel,
    Finding,
    Inventory,
    OutcomeStatus,
    Product,
    Rating,
    RuleOutcome,
    Verdict,
)
from mdrgate.model.support import SupportFacts
from mdrgate.policy.load import Policy
from mdrgate.policy.rules import (
    Ban,
    BannedComponentRule,
    EvidenceConflictRule,
    RegisterField,
    Rule,
    RuleBase,
    RuleType,
    SoupEndOfSupportRule,
    SoupLevelOfSupportRule,
    SoupNotEvidencedRule,
    SoupRegisterFieldsRule,
    SoupUndeclaredRule,
    SoupVersionDriftRule,
    UnassessedComponentRule,
    VulnerabilitySeverityRule,
)

ERRORS_RULE_ID = "MDRGATE-ERRORS"
"""Built-in rule: error-level diagnostics always fail the gate."""

EMPTY_RULE_ID = "MDRGATE-EMPTY"
"""Built-in rule: an empty inventory fails the gate — nothing assessed is not a pass."""

UNJUDGED_RULE_ID = "MDRGATE-UNJUDGED"
"""Built-in rule: a finding or an unassessed component that no policy rule judged fails."""


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


def evaluate(policy: Policy, ctx: EvaluationContext) -> Verdict:
    outcomes: list[RuleOutcome] = []
    for rule in policy.rules:
        if rule.scope.safety_classes and ctx.product.safety_class not in rule.scope.safety_classes:
            continue
        outcomes.extend(_evaluate_rule(rule, ctx))
    outcomes.extend(_error_diagnostics(ctx))
    outcomes.extend(_unjudged(outcomes, ctx))
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
            )
        )
    return Verdict.from_outcomes(outcomes)


def _evaluate_rule(rule: Rule, ctx: EvaluationContext) -> Iterator[RuleOutcome]:
    if isinstance(rule, VulnerabilitySeverityRule):
        yield from _vulnerability_severity(rule, ctx)
    elif isinstance(rule, BannedComponentRule):
        yield from _banned(rule, ctx)
    elif isinstance(rule, SoupEndOfSupportRule):
        yield from _end_of_support(rule, ctx)
    elif isinstance(rule, SoupLevelOfSupportRule):
        yield from _level_of_support(rule, ctx)
    elif isinstance(rule, SoupRegisterFieldsRule):
        yield from _register_fields(rule, ctx)
    elif isinstance(rule, UnassessedComponentRule):
        yield from _unassessed(rule, ctx)
    elif isinstance(rule, SoupUndeclaredRule):
        yield from _undeclared(rule, ctx)
    elif isinstance(rule, SoupVersionDriftRule):
        yield from _flagged(
            rule, ctx, "soup-version-drift", _register_entries, "no other version was found"
        )
    elif isinstance(rule, SoupNotEvidencedRule):
        yield from _flagged(rule, ctx, "soup-not-evidenced", _evidenced_entries, "evidenced")
    elif isinstance(rule, EvidenceConflictRule):
        yield from _flagged(
            rule, ctx, "conflicting-evidence", _found_components, "found at one version"
        )
    else:
        assert_never(rule)


def _in_scope(rule: RuleBase, component: Component) -> bool:
    classes = rule.scope.component_classes
    return not classes or component.component_class in classes


def _outcome(
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


def _declared_at(component: Component) -> list[str]:
    return [f"declared in {origin}" for origin in component.origins]


def _status(action: Action | None) -> OutcomeStatus:
    return OutcomeStatus.PASS if action is None else OutcomeStatus.for_action(action)


def _unassessed_refs(ctx: EvaluationContext) -> dict[str, list[Diagnostic]]:
    refs: dict[str, list[Diagnostic]] = defaultdict(list)
    for diag in ctx.diagnostics:
        if diag.component and diag.code in UNASSESSED_CODES:
            refs[diag.component].append(diag)
    return refs


# --- vulnerabilities -------------------------------------------------------------------------


def _vulnerability_severity(
    rule: VulnerabilitySeverityRule, ctx: EvaluationContext
) -> Iterator[RuleOutcome]:
    by_component: dict[str, list[Finding]] = defaultdict(list)
    for finding in ctx.findings:
        by_component[finding.component_ref].append(finding)
    unassessed = _unassessed_refs(ctx)
    sources = ", ".join(ctx.sources) or "the vulnerability database"
    for component in ctx.inventory.components:
        if not _in_scope(rule, component):
            continue
        findings = by_component.get(component.bom_ref, [])
        if not findings:
            if component.bom_ref in unassessed:
                continue  # not judged here: the unassessed-component rule reports it
            yield _outcome(
                rule,
                component,
                OutcomeStatus.PASS,
                f"no known vulnerabilities in {sources}",
            )
            continue
        by_id = {f.advisory.id: f for f in findings}
        for finding in sorted(findings, key=lambda f: f.advisory.id):
            aliases = [by_id[i] for i in finding.same_as if i in by_id]
            yield _finding_outcome(rule, component, finding, aliases)


def _judged_score(finding: Finding, aliases: Sequence[Finding]) -> tuple[float | None, str]:
    """The score a finding is judged by, and where it comes from.

    One vulnerability has one severity whichever record describes it: when advisories that are
    aliases of each other (a PYSEC and a GHSA record of one CVE) disagree or one has no score,
    the highest published score of the group is used — the conservative choice.
    """
    best: tuple[float | None, str] = (finding.score, "")
    for alias in aliases:
        if alias.score is not None and (best[0] is None or alias.score > best[0]):
            best = (alias.score, f" (score of alias {alias.advisory.id})")
    return best


def _finding_outcome(
    rule: VulnerabilitySeverityRule,
    component: Component,
    finding: Finding,
    aliases: Sequence[Finding] = (),
) -> RuleOutcome:
    advisory = finding.advisory
    score, origin = _judged_score(finding, aliases)
    rating = Rating.from_score(score).value
    if score is None:
        status = OutcomeStatus.for_action(rule.unknown_severity)
        judged = "severity unknown (no CVSS score published)"
    elif score >= rule.min_cvss:
        status = OutcomeStatus.for_action(rule.action)
        judged = f"CVSS {score:.1f} ({rating}){origin} ≥ {rule.min_cvss:.1f}"
    else:
        status = _status(rule.below_threshold)
        judged = f"CVSS {score:.1f} ({rating}){origin} < {rule.min_cvss:.1f}"
    also = f" ({', '.join(advisory.aliases)})" if advisory.aliases else ""
    fix = (
        f"; fixed in {', '.join(finding.fixed_versions)}"
        if finding.fixed_versions
        else "; no fixed version known"
    )
    evidence = [f"{advisory.id}{also}: {advisory.title}"]
    evidence += [f"affected: {r}" for r in finding.affected_ranges]
    evidence += [f"{s.type} {s.vector}" for s in finding.severities]
    evidence += list(finding.notes)
    evidence += _declared_at(component)
    return _outcome(
        rule,
        component,
        status,
        f"{advisory.id} affects {component.display}: {judged}{fix}",
        advisory=advisory.id,
        evidence=evidence,
    )


# --- banned components -----------------------------------------------------------------------


def _banned(rule: BannedComponentRule, ctx: EvaluationContext) -> Iterator[RuleOutcome]:
    for component in ctx.inventory.components:
        if not _in_scope(rule, component):
            continue
        hits = [(ban, note) for ban in rule.bans if (note := _ban_matches(ban, component))]
        if not hits:
            yield _outcome(rule, component, OutcomeStatus.PASS, "not on the banned list")
            continue
        for ban, note in hits:
            label = ban.purl or ban.name or "?"
            evidence = [f"ban: {label} {ban.versions or '(all versions)'}: {ban.reason}"]
            if ban.reference:
                evidence.append(f"reference: {ban.reference}")
            evidence += _declared_at(component)
            yield _outcome(
                rule,
                component,
                OutcomeStatus.for_action(rule.action),
                f"{component.display} is banned ({note}): {ban.reason}",
                evidence=evidence,
            )


def _ban_matches(ban: Ban, component: Component) -> str | None:
    """Why ``ban`` applies to ``component`` (text for the outcome), or ``None``."""
    if ban.name is not None:
        pattern = normalize_name(component.ecosystem, ban.name).lower()
        if not fnmatch.fnmatchcase(
            normalize_name(component.ecosystem, component.package_name).lower(), pattern
        ):
            return None
    if ban.purl is not None:
        if component.purl is None:
            return None
        if not fnmatch.fnmatchcase(purl_without_version(component.purl), ban.purl):
            return None
    if ban.versions is None:
        return "every version"
    if component.version is None:
        return f"version unknown, so {ban.versions} cannot be excluded"
    try:
        version = Version(component.version)
    except InvalidVersion:
        return f"version {component.version!r} cannot be compared with {ban.versions}"
    if SpecifierSet(ban.versions).contains(version, prereleases=True):
        return f"version {component.version} matches {ban.versions}"
    return None


# --- SOUP register ---------------------------------------------------------------------------


def _soup_components(rule: RuleBase, ctx: EvaluationContext) -> Iterator[Component]:
    for component in ctx.inventory.components:
        if component.soup is not None and _in_scope(rule, component):
            yield component


EOL_DIAGNOSTICS = frozenset({"eol-product-ambiguous"})
"""Diagnostics (from :mod:`mdrgate.enrich.end_of_life`) that explain a component's missing
endoflife.date facts; the end-of-support outcome quotes them."""


def _end_of_support(rule: SoupEndOfSupportRule, ctx: EvaluationContext) -> Iterator[RuleOutcome]:
    """Every register entry, and every other component endoflife.date data covers.

    Host packages from lock files are SOUP too, declared or not: when public data says their
    release cycle has ended, that is as relevant as for a register entry. Components neither in
    the register nor named by an endoflife.date product have no end-of-support facts to judge.
    """
    facts = {f.component: f for f in ctx.support}
    explained: dict[str, list[Diagnostic]] = defaultdict(list)
    for diag in ctx.diagnostics:
        if diag.component and diag.code in EOL_DIAGNOSTICS:
            explained[diag.component].append(diag)
    for component in ctx.inventory.components:
        if not _in_scope(rule, component):
            continue
        ref = component.bom_ref
        if component.soup is None and ref not in facts and ref not in explained:
            continue
        yield _support_outcome(rule, ctx, component, facts.get(ref), explained.get(ref, []))


@dataclass(frozen=True, slots=True)
class _End:
    """One source's statement of when support ends."""

    register: bool
    """The SOUP register's ``end_of_support`` (else the endoflife.date cycle's ``eol``)."""
    day: date | None
    """Register: the last day of support. endoflife.date: the end-of-life day (the cycle is past
    end of life on it, as endoflife.date reads it). ``None``: ended, no date published."""
    label: str

    def over(self, today: date) -> bool:
        if self.day is None:
            return True
        return self.day < today if self.register else self.day <= today

    def ended_text(self, today: date) -> str:
        if self.day is None:
            return f"{self.label} has reached end of life (no date published)"
        ago = _ago((today - self.day).days)
        if self.register:
            return f"supplier support ended {self.day.isoformat()} ({ago})"
        return f"{self.label} reached end of life on {self.day.isoformat()} ({ago})"

    def upcoming_text(self) -> str:
        assert self.day is not None
        if self.register:
            return f"the SOUP register states support until {self.day.isoformat()}"
        return f"{self.label} lists end of life on {self.day.isoformat()}"

    def ends_text(self, today: date) -> str:
        assert self.day is not None
        days = (self.day - today).days
        when = "today" if days == 0 else "in 1 day" if days == 1 else f"in {days} days"
        if self.register:
            return f"supplier support ends {self.day.isoformat()} ({when})"
        return f"{self.label} reaches end of life on {self.day.isoformat()} ({when})"


def _ends(component: Component, fact: SupportFacts | None) -> list[_End]:
    ends: list[_End] = []
    declared = component.soup.end_of_support if component.soup else None
    if declared is not None:
        ends.append(_End(register=True, day=declared, label="the SOUP register"))
    if fact is not None and fact.cycle is not None:
        if fact.eol is True:
            ends.append(_End(register=False, day=None, label=fact.label))
        elif fact.eol_date is not None:
            ends.append(_End(register=False, day=fact.eol_date, label=fact.label))
    return ends


def _ago(days: int) -> str:
    return "today" if days == 0 else "1 day ago" if days == 1 else f"{days} days ago"


def _support_outcome(
    rule: SoupEndOfSupportRule,
    ctx: EvaluationContext,
    component: Component,
    fact: SupportFacts | None,
    explained: Sequence[Diagnostic],
) -> RuleOutcome:
    """The register's date and the endoflife.date cycle are both judged: the earlier end counts,
    and a disagreement between them is shown, never resolved silently."""
    today = ctx.today
    ends = _ends(component, fact)
    evidence: list[str] = []
    declared = component.soup.end_of_support if component.soup else None
    if declared is not None:
        evidence.append(f"end_of_support: {declared.isoformat()}")
    if fact is not None:
        evidence += [fact.describe(), fact.matched_text(), *fact.notes]
    evidence += [f"{d.code}: {_without_subject(d.message, component)}" for d in sorted(explained)]
    if len(ends) == 2 and ends[0].day != ends[1].day:
        eol = ends[1].day.isoformat() if ends[1].day else "reached, no date published"
        evidence.append(
            f"the SOUP register (end_of_support {ends[0].day}) and {ends[1].label} "
            f"(eol {eol}) disagree: the earlier end is judged"
        )
    evidence += _declared_at(component)

    ended = [e for e in ends if e.over(today)]
    upcoming = sorted((e for e in ends if not e.over(today)), key=lambda e: (e.day, e.register))
    if ended:
        parts = [e.ended_text(today) for e in ended]
        parts += [f"although {e.upcoming_text()}" for e in upcoming]
        if fact is not None and fact.cycle is not None and fact.eol is False:
            parts.append(f"although {fact.label} announces no end of life")
        return _outcome(
            rule,
            component,
            OutcomeStatus.for_action(rule.action),
            f"{component.display}: " + "; ".join(parts),
            evidence=evidence,
        )
    if upcoming:
        first = upcoming[0]
        assert first.day is not None
        within = rule.warn_within_days
        if within is not None and (first.day - today).days <= within:
            return _outcome(
                rule,
                component,
                OutcomeStatus.WARN,
                f"{component.display}: {first.ends_text(today)}, within the {within}-day "
                "warning period",
                evidence=evidence,
            )
    return _outcome(
        rule,
        component,
        OutcomeStatus.PASS,
        _support_pass_message(ctx, component, fact, upcoming, explained),
        evidence=evidence,
    )


def _support_pass_message(
    ctx: EvaluationContext,
    component: Component,
    fact: SupportFacts | None,
    upcoming: Sequence[_End],
    explained: Sequence[Diagnostic],
) -> str:
    """What a passing outcome rests on; "unknown" said plainly when nothing was stated."""
    said: list[str] = []
    with_cycle = fact is not None and fact.cycle is not None
    for end in upcoming:
        assert end.day is not None
        if end.register:
            said.append(
                f"supported until {end.day.isoformat()}"
                + (" (SOUP register)" if with_cycle else "")
            )
        else:
            said.append(f"{end.label}: end of life on {end.day.isoformat()}")
    if fact is not None and fact.cycle is not None and fact.eol is False:
        said.append(f"{fact.label}: no end of life announced")
    if said:
        if fact is not None and fact.cycle is None:
            said.append(fact.describe())
        return "; ".join(said)
    unknown: list[str] = []
    if component.soup is not None:
        unknown.append("no end-of-support date stated in the register")
    unknown.append(_no_eol_reason(ctx, component, fact, explained))
    return "end of support unknown: " + "; ".join(unknown)


def _no_eol_reason(
    ctx: EvaluationContext,
    component: Component,
    fact: SupportFacts | None,
    explained: Sequence[Diagnostic],
) -> str:
    if fact is not None:
        if fact.cycle is None:
            return fact.notes[-1] if fact.notes else f"{fact.label}: release cycle unknown"
        return f"{fact.label} states no end of life"
    if explained:
        return "; ".join(sorted({_without_subject(d.message, component) for d in explained}))
    if not ctx.support_sources:
        return "no endoflife.date data was consulted"
    if not component.purl and not component.cpes:
        return "it has no purl or CPE by which to find its endoflife.date product"
    return "no endoflife.date product lists its purl or CPE"


def _level_of_support(
    rule: SoupLevelOfSupportRule, ctx: EvaluationContext
) -> Iterator[RuleOutcome]:
    """Judges the level the register states; where endoflife.date says the component's cycle
    has ended (or is still supported), the outcome says so next to the stated level, so a
    register that calls an ended cycle "actively-maintained" does not go unremarked."""
    facts = {f.component: f for f in ctx.support}
    for component in _soup_components(rule, ctx):
        assert component.soup is not None
        level = component.soup.level_of_support
        stated = level.value if level is not None else "unstated"
        fact = facts.get(component.bom_ref)
        public = _public_support(fact, ctx.today)
        also = f" ({public})" if public else ""
        evidence = [f"level_of_support: {stated}"]
        if fact is not None and fact.cycle is not None:
            evidence.append(fact.describe())
        if stated in rule.levels:
            yield _outcome(
                rule,
                component,
                OutcomeStatus.for_action(rule.action),
                f"{component.display}: level of support is {stated}{also}",
                evidence=[*evidence, *_declared_at(component)],
            )
        else:
            yield _outcome(
                rule,
                component,
                OutcomeStatus.PASS,
                f"level of support: {stated}{also}",
                evidence=evidence if public else (),
            )


def _public_support(fact: SupportFacts | None, today: date) -> str | None:
    """What endoflife.date says of the cycle's support on ``today``, in a few words."""
    if fact is None or fact.cycle is None:
        return None
    if fact.eol_on(today):
        when = f" on {fact.eol_date.isoformat()}" if fact.eol_date else ""
        return f"{fact.label} reached end of life{when}"
    if fact.eol_on(today) is False:
        if fact.support is False or (isinstance(fact.support, date) and fact.support <= today):
            return f"{fact.label}: security fixes only, active support has ended"
        return f"{fact.label} is supported"
    return None


def _register_fields(rule: SoupRegisterFieldsRule, ctx: EvaluationContext) -> Iterator[RuleOutcome]:
    required = rule.fields_for(ctx.product.safety_class)
    for component in _soup_components(rule, ctx):
        missing = [f for f in required if not _has_field(component, f)]
        if not missing:
            yield _outcome(
                rule,
                component,
                OutcomeStatus.PASS,
                f"all {len(required)} fields required for class {ctx.product.safety_class} present",
            )
            continue
        names = ", ".join(f.value for f in missing)
        yield _outcome(
            rule,
            component,
            OutcomeStatus.for_action(rule.action),
            f"{component.display}: SOUP register entry lacks {names} "
            f"(required for safety class {ctx.product.safety_class})",
            evidence=[f"missing {f.value}: {f.clause}" for f in missing] + _declared_at(component),
        )


def _has_field(component: Component, field: RegisterField) -> bool:
    soup = component.soup
    assert soup is not None
    present = {
        RegisterField.NAME: bool(component.name),
        RegisterField.VERSION: component.version is not None,
        RegisterField.SUPPLIER: bool(component.supplier),
        RegisterField.LICENSE: bool(component.licenses),
        RegisterField.IDENTIFIER: bool(component.purl or component.cpes),
        RegisterField.LEVEL_OF_SUPPORT: soup.level_of_support is not None,
        RegisterField.END_OF_SUPPORT: soup.end_of_support is not None,
        RegisterField.REQUIREMENTS: bool(soup.requirements),
        RegisterField.PREREQUISITES: bool(soup.prerequisites),
        RegisterField.ANOMALY_LIST_EVALUATED: soup.anomaly_list_evaluated is not None,
    }
    return present[field]


# --- the SOUP register against the findings (see collect/reconcile.py) -------------------------


def _found_components(rule: RuleBase, ctx: EvaluationContext) -> Iterator[Component]:
    for component in ctx.inventory.components:
        if _in_scope(rule, component) and component.found:
            yield component


def _register_entries(rule: RuleBase, ctx: EvaluationContext) -> Iterator[Component]:
    yield from _soup_components(rule, ctx)


def _evidenced_entries(rule: RuleBase, ctx: EvaluationContext) -> Iterator[Component]:
    """Register entries that an evidence input could have shown: found ones, and flagged ones."""
    flagged = {d.component for d in ctx.diagnostics if d.code == "soup-not-evidenced"}
    for component in _soup_components(rule, ctx):
        if component.found or component.bom_ref in flagged:
            yield component


def _flagged(
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
            yield _outcome(rule, component, OutcomeStatus.PASS, pass_message)
            continue
        yield _outcome(
            rule,
            component,
            OutcomeStatus.for_action(rule.action),
            "; ".join(sorted({d.message for d in diags})),
            evidence=[d.location() for d in sorted(diags) if d.location()]
            + _declared_at(component),
        )


def _undeclared(rule: SoupUndeclaredRule, ctx: EvaluationContext) -> Iterator[RuleOutcome]:
    if any(d.code == "no-soup-register" for d in ctx.diagnostics):
        yield _outcome(
            rule,
            None,
            _status(rule.without_register),
            "no SOUP register was read: none of the components found is declared",
        )
        return
    yield from _flagged(
        rule, ctx, "undeclared-soup", _found_components, "listed in the SOUP register"
    )


# --- unassessed components and errors --------------------------------------------------------


def _unassessed(rule: UnassessedComponentRule, ctx: EvaluationContext) -> Iterator[RuleOutcome]:
    by_ref: dict[str, list[Diagnostic]] = defaultdict(list)
    for diag in ctx.diagnostics:
        if diag.component and diag.code in rule.reasons:
            by_ref[diag.component].append(diag)
    for component in ctx.inventory.components:
        if not _in_scope(rule, component):
            continue
        diags = by_ref.get(component.bom_ref)
        if not diags:
            yield _outcome(rule, component, OutcomeStatus.PASS, "assessed")
            continue
        reasons = "; ".join(sorted({_without_subject(d.message, component) for d in diags}))
        yield _outcome(
            rule,
            component,
            OutcomeStatus.for_action(rule.action),
            f"{component.display} cannot be assessed: {reasons}",
            evidence=[
                f"{d.code}: {d.location()}" if d.location() else d.code for d in sorted(diags)
            ]
            + _declared_at(component),
        )


def _unjudged(outcomes: Sequence[RuleOutcome], ctx: EvaluationContext) -> Iterator[RuleOutcome]:
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
    for ref, diags in sorted(_unassessed_refs(ctx).items()):
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


def _without_subject(message: str, component: Component) -> str:
    """A diagnostic's message without its leading "name version:" (the outcome names it)."""
    for prefix in (f"{component.display}: ", f"{component.name}: "):
        if message.startswith(prefix):
            return message[len(prefix) :]
    return message


def _error_diagnostics(ctx: EvaluationContext) -> Iterator[RuleOutcome]:
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
