"""Rules about SOUP support: end of support (register and endoflife.date), level of support,
and the IEC 62304 register fields a safety class requires.

Every outcome that does not pass says in its evidence what would make it pass (``to pass: …``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from mdrgate.model import (
    Component,
    Diagnostic,
    Finding,
    LevelOfSupport,
    OutcomeStatus,
    RuleOutcome,
)
from mdrgate.model.support import SupportFacts
from mdrgate.policy.context import (
    EvaluationContext,
    declared_at,
    in_scope,
    outcome,
    soup_components,
    without_subject,
)
from mdrgate.policy.register_rules import register_entry
from mdrgate.policy.rules import (
    RegisterField,
    SoupAnomalyListRule,
    SoupEndOfSupportRule,
    SoupLevelOfSupportRule,
    SoupNoReleaseRule,
    SoupRegisterFieldsRule,
)

# --- SOUP register ---------------------------------------------------------------------------


EOL_DIAGNOSTICS = frozenset({"eol-product-ambiguous"})
"""Diagnostics (from :mod:`mdrgate.enrich.end_of_life`) that explain a component's missing
endoflife.date facts; the end-of-support outcome quotes them."""


def end_of_support(rule: SoupEndOfSupportRule, ctx: EvaluationContext) -> Iterator[RuleOutcome]:
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
        if not in_scope(rule, component):
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
    evidence += [f"{d.code}: {without_subject(d.message, component)}" for d in sorted(explained)]
    if len(ends) == 2 and ends[0].day != ends[1].day:
        eol = ends[1].day.isoformat() if ends[1].day else "reached, no date published"
        evidence.append(
            f"the SOUP register (end_of_support {ends[0].day}) and {ends[1].label} "
            f"(eol {eol}) disagree: the earlier end is judged"
        )
    evidence += declared_at(component)

    ended = [e for e in ends if e.over(today)]
    upcoming = sorted((e for e in ends if not e.over(today)), key=lambda e: (e.day, e.register))
    if ended:
        parts = [e.ended_text(today) for e in ended]
        parts += [f"although {e.upcoming_text()}" for e in upcoming]
        if fact is not None and fact.cycle is not None and fact.eol is False:
            parts.append(f"although {fact.label} announces no end of life")
        return outcome(
            rule,
            component,
            OutcomeStatus.for_action(rule.action),
            f"{component.display}: " + "; ".join(parts),
            evidence=_with_remedy(evidence, _ended_remedy(component, fact, ended)),
        )
    if upcoming:
        first = upcoming[0]
        assert first.day is not None
        within = rule.warn_within_days
        if within is not None and (first.day - today).days <= within:
            return outcome(
                rule,
                component,
                OutcomeStatus.WARN,
                f"{component.display}: {first.ends_text(today)}, within the {within}-day "
                "warning period",
                evidence=_with_remedy(evidence, _ending_remedy(component, fact, first, within)),
            )
    message = _support_pass_message(ctx, component, fact, upcoming, explained)
    if rule.unknown is not None and message.startswith(_UNKNOWN):
        return outcome(
            rule,
            component,
            OutcomeStatus.for_action(rule.unknown),
            f"{component.display}: {message}",
            evidence=_with_remedy(evidence, _unknown_remedy(component)),
        )
    return outcome(rule, component, OutcomeStatus.PASS, message, evidence=evidence)


_UNKNOWN = "end of support unknown: "


def _unknown_remedy(component: Component) -> str:
    if component.soup is not None:
        return (
            "state the supplier's end_of_support date (or level_of_support) in "
            f"{register_entry(component)}, or give the item a purl or CPE that endoflife.date "
            "covers"
        )
    return f"declare {component.display} in the SOUP register with its end_of_support date"


def _with_remedy(evidence: list[str], remedy: str) -> list[str]:
    """The evidence with ``to pass: …`` before the declaration sites, as the other rules put it."""
    declared = [e for e in evidence if e.startswith("declared in ")]
    rest = [e for e in evidence if not e.startswith("declared in ")]
    return [*rest, "to pass: " + remedy, *declared]


def _ended_remedy(component: Component, fact: SupportFacts | None, ended: Sequence[_End]) -> str:
    """Upgrading is the remedy; a register date can also be corrected when the supplier extended
    support, an endoflife.date cycle's end cannot (the earlier end counts)."""
    cycle_ended = fact is not None and any(not e.register for e in ended)
    if cycle_ended:
        assert fact is not None
        latest = (
            f" ({fact.latest}, the latest release of cycle {fact.cycle}, is past end of life too)"
            if fact.latest
            else ""
        )
        text = (
            f"upgrade {component.name} to a release whose endoflife.date {fact.product} cycle "
            f"is still supported{latest}, or replace it"
        )
    else:
        text = f"upgrade {component.name} to a supported release or replace it"
    if component.soup is not None:
        keys = "version and end_of_support" if component.soup.end_of_support else "version"
        text += f", and update {keys} in {register_entry(component)}"
    if not cycle_ended:
        text += (
            "; if the supplier has extended support, record the new date as end_of_support "
            "in the register entry"
        )
    return text


def _ending_remedy(
    component: Component, fact: SupportFacts | None, first: _End, within: int
) -> str:
    plan = f"upgrade {component.name} to a release supported for more than {within} days"
    if first.register:
        return (
            f"{plan}, or, if the supplier has extended support, record the later date as "
            f"end_of_support in {register_entry(component)}"
        )
    assert fact is not None
    return f"{plan} (endoflife.date {fact.product} cycle {fact.cycle} ends first)"


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
    return _UNKNOWN + "; ".join(unknown)


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
        return "; ".join(sorted({without_subject(d.message, component) for d in explained}))
    if not ctx.support_sources:
        return "no endoflife.date data was consulted"
    if not component.purl and not component.cpes:
        return "it has no purl or CPE by which to find its endoflife.date product"
    return "no endoflife.date product lists its purl or CPE"


def level_of_support(rule: SoupLevelOfSupportRule, ctx: EvaluationContext) -> Iterator[RuleOutcome]:
    """Judges the level the register states; where endoflife.date says the component's cycle
    has ended (or is still supported), the outcome says so next to the stated level, so a
    register that calls an ended cycle "actively-maintained" does not go unremarked."""
    facts = {f.component: f for f in ctx.support}
    for component in soup_components(rule, ctx):
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
            remedy = _level_remedy(rule, component, stated)
            yield outcome(
                rule,
                component,
                OutcomeStatus.for_action(rule.action),
                f"{component.display}: level of support is {stated}{also}",
                evidence=[*evidence, "to pass: " + remedy, *declared_at(component)],
            )
        else:
            yield outcome(
                rule,
                component,
                OutcomeStatus.PASS,
                f"level of support: {stated}{also}",
                evidence=evidence if public else (),
            )


def _level_remedy(rule: SoupLevelOfSupportRule, component: Component, stated: str) -> str:
    entry = register_entry(component)
    accepted = sorted(level.value for level in LevelOfSupport if level.value not in rule.levels)
    allowed = f" ({', '.join(accepted)})" if accepted else ""
    if stated == "unstated":
        return (
            f"state level_of_support in {entry}, as the supplier's support really is; "
            f"this rule accepts the other levels{allowed}"
        )
    return (
        f"replace {component.name} with a maintained alternative or release, or, if "
        f"{stated} is no longer true, correct level_of_support in {entry}; this rule accepts "
        f"the other levels{allowed}"
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


def register_fields(rule: SoupRegisterFieldsRule, ctx: EvaluationContext) -> Iterator[RuleOutcome]:
    required = rule.fields_for(ctx.product.safety_class)
    for component in soup_components(rule, ctx):
        missing = [f for f in required if not _has_field(component, f)]
        if not missing:
            yield outcome(
                rule,
                component,
                OutcomeStatus.PASS,
                f"all {len(required)} fields required for class {ctx.product.safety_class} present",
            )
            continue
        names = ", ".join(f.value for f in missing)
        yield outcome(
            rule,
            component,
            OutcomeStatus.for_action(rule.action),
            f"{component.display}: SOUP register entry lacks {names} "
            f"(required for safety class {ctx.product.safety_class})",
            evidence=[f"missing {f.value}: {f.clause}" for f in missing]
            + [f"to pass: add {_keys(missing)} to {register_entry(component)}"]
            + declared_at(component),
        )


_FIELD_KEYS = {RegisterField.IDENTIFIER: "purl or cpe", RegisterField.LICENSE: "license"}
"""Register keys of fields whose name is not the key (soup-register.schema.json)."""


def _keys(fields: Sequence[RegisterField]) -> str:
    return ", ".join(_FIELD_KEYS.get(f, f.value) for f in fields)


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


def anomaly_list(rule: SoupAnomalyListRule, ctx: EvaluationContext) -> Iterator[RuleOutcome]:
    """IEC 62304 7.1.3: the register's anomaly-list evaluation must postdate every advisory
    known to affect the item (its publication date, the earliest among merged records)."""
    by_component: dict[str, list[Finding]] = {}
    for finding in ctx.findings:
        by_component.setdefault(finding.component_ref, []).append(finding)
    for component in soup_components(rule, ctx):
        assert component.soup is not None
        evaluated = component.soup.anomaly_list_evaluated
        findings = by_component.get(component.bom_ref, [])
        if evaluated is None:
            yield outcome(
                rule,
                component,
                OutcomeStatus.PASS,
                "no anomaly-list evaluation date stated (soup-register-fields judges that)",
            )
            continue
        later = sorted(
            (published, f.advisory.id)
            for f in findings
            if (published := _published(f)) is not None and published > evaluated
        )
        if not later:
            yield outcome(
                rule,
                component,
                OutcomeStatus.PASS,
                f"anomaly list evaluated {evaluated.isoformat()}, after the publication of every "
                f"advisory known to affect it ({len(findings)})",
            )
            continue
        names = ", ".join(f"{adv} ({day.isoformat()})" for day, adv in later)
        yield outcome(
            rule,
            component,
            OutcomeStatus.for_action(rule.action),
            f"{component.display}: the anomaly list was evaluated {evaluated.isoformat()}, before "
            f"{len(later)} advisor{'y' if len(later) == 1 else 'ies'} affecting it "
            f"{'was' if len(later) == 1 else 'were'} published: {names}",
            evidence=[
                f"anomaly_list_evaluated: {evaluated.isoformat()}",
                *(f"{adv} published {day.isoformat()}" for day, adv in later),
                f"to pass: evaluate the supplier's anomaly list against {later[-1][1]} and later "
                f"advisories and record the date as anomaly_list_evaluated in "
                f"{register_entry(component)}",
                *declared_at(component),
            ],
        )


def _published(finding: Finding) -> date | None:
    moment = finding.advisory.published
    return moment.date() if moment is not None else None


def no_release(rule: SoupNoReleaseRule, ctx: EvaluationContext) -> Iterator[RuleOutcome]:
    """Components whose endoflife.date release cycle states its latest release: the action when
    that release is older than the limit. Components without such facts are not judged here
    (the end-of-support rule says what is unknown about them)."""
    facts = {f.component: f for f in ctx.support}
    for component in ctx.inventory.components:
        fact = facts.get(component.bom_ref)
        if fact is None or not in_scope(rule, component):
            continue
        if fact.latest_release_date is None:
            yield outcome(
                rule, component, OutcomeStatus.PASS, f"{fact.label}: no latest release date"
            )
            continue
        days = (ctx.today - fact.latest_release_date).days
        where = register_entry(component) if component.soup else "the SOUP register"
        latest = f"{fact.latest or 'latest release'} ({fact.latest_release_date.isoformat()})"
        if days <= rule.within_days:
            yield outcome(
                rule,
                component,
                OutcomeStatus.PASS,
                f"{fact.label}: last release {latest}, {days} days ago",
            )
            continue
        yield outcome(
            rule,
            component,
            OutcomeStatus.for_action(rule.action),
            f"{component.display}: {fact.label} has had no release for {days} days (last "
            f"{latest}; limit {rule.within_days})",
            evidence=[
                fact.describe(),
                f"to pass: move {component.display} to a release line that is still maintained, "
                f"or record in {where} why this line needs no further releases (level_of_support)",
                *declared_at(component),
            ],
        )
