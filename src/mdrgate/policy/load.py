"""Policy files → one composed ``Policy``.

Files compose in the order given (organisation default first, product overrides last): a rule in a
later file replaces the rule with the same id from an earlier file, wholesale, and
``{id: X, enabled: false}`` switches rule X off. The evidence records every file with its digest.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Any

from mdrgate.documents import Document, parse_yaml
from mdrgate.errors import UsageError
from mdrgate.model import Action, ComponentClass, PolicyRef, Rating, SafetyClass
from mdrgate.policy.rules import (
    DEFAULT_CLAUSES,
    Ban,
    BannedComponentRule,
    CvssVersion,
    DataFreshnessRule,
    EvidenceConflictRule,
    FixState,
    LicenceRule,
    NtiaElementName,
    RegisterField,
    Rule,
    RuleType,
    SbomKnownUnknownsRule,
    SbomNtiaElementsRule,
    Scope,
    SoupAnomalyListRule,
    SoupEndOfSupportRule,
    SoupLevelOfSupportRule,
    SoupNoReleaseRule,
    SoupNotEvidencedRule,
    SoupRegisterFieldsRule,
    SoupUndeclaredRule,
    SoupVersionDriftRule,
    UnassessedComponentRule,
    VulnerabilityAgeRule,
    VulnerabilityCvssRule,
    VulnerabilityEpssRule,
    VulnerabilityFixRule,
    VulnerabilityKevRule,
    VulnerabilityRatingRule,
    VulnerabilitySeverityRule,
    VulnerabilityUnassessedRule,
)
from mdrgate.textfiles import read_text
from mdrgate.validation import validate

BUILTIN_PREFIX = "builtin:"


@dataclass(frozen=True, slots=True)
class Policy:
    """The rules in force (in order of first definition) and the files they came from."""

    rules: tuple[Rule, ...]
    sources: tuple[PolicyRef, ...]


POLICY_SCHEMA = ("policies", "schema", "policy.schema.json")


def builtin_policies() -> list[str]:
    folder = resources.files("mdrgate").joinpath("policies")
    return sorted(p.name[: -len(".yml")] for p in folder.iterdir() if p.name.endswith(".yml"))


def read_policy(ref: str, *, cwd: Path) -> tuple[str, str]:
    """(display name, text) of a policy reference: a path or ``builtin:NAME``."""
    if ref.startswith(BUILTIN_PREFIX):
        name = ref[len(BUILTIN_PREFIX) :]
        resource = resources.files("mdrgate").joinpath("policies", f"{name}.yml")
        if not resource.is_file():
            known = ", ".join(BUILTIN_PREFIX + n for n in builtin_policies())
            raise UsageError(f"no built-in policy named {name!r}", hint=f"built-in: {known}")
        return ref, resource.read_text(encoding="utf-8")
    path = Path(ref)
    try:
        shown = path.resolve().relative_to(cwd.resolve()).as_posix()
    except ValueError:
        shown = str(path)
    if not path.exists():
        raise UsageError("policy file not found", source=shown)
    return shown, read_text(path, display=shown, error=UsageError)


def load_policies(refs: Sequence[str], *, cwd: Path) -> Policy:
    """Load and compose policy files; any invalid file is a usage error (exit 2)."""
    if not refs:
        raise UsageError("no policy given", hint="use --policy FILE or builtin:mdr-default")
    rules: dict[str, Rule] = {}
    order: list[str] = []
    sources: list[PolicyRef] = []
    for ref in refs:
        shown, text = read_policy(ref, cwd=cwd)
        doc = parse_yaml(text, display=shown, error=UsageError)
        validate(doc, POLICY_SCHEMA, what="policy")
        meta = doc.data["metadata"]
        sources.append(
            PolicyRef(
                path=shown,
                name=meta["name"],
                version=meta["version"],
                sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            )
        )
        seen_here: set[str] = set()
        for index, raw in enumerate(doc.data["rules"]):
            rule_id = raw["id"]
            if rule_id in seen_here:
                raise doc.error(("rules", index, "id"), f"rule id {rule_id!r} is used twice")
            seen_here.add(rule_id)
            if raw.get("enabled", True) is False:
                rules.pop(rule_id, None)
                continue
            rules[rule_id] = _rule(doc, index, raw, shown)
            if rule_id not in order:
                order.append(rule_id)
    kept = tuple(rules[i] for i in order if i in rules)
    return Policy(kept, tuple(sources))


def _rule(doc: Document, index: int, raw: dict[str, Any], source: str) -> Rule:
    rule_type = RuleType(raw["type"])
    common: dict[str, Any] = {
        "id": raw["id"],
        "action": Action(raw["action"]),
        "source": source,
        "clause": raw.get("clause", DEFAULT_CLAUSES.get(rule_type)),
        "description": raw.get("description"),
        "scope": _scope(doc, ("rules", index, "scope"), raw.get("scope", {})),
    }
    if rule_type in _FAMILY:
        return _FAMILY[rule_type](doc, ("rules", index), raw, common)
    if rule_type is RuleType.VULNERABILITY_SEVERITY:
        below = raw.get("below_threshold", "pass")
        return VulnerabilitySeverityRule(
            **common,
            min_cvss=float(raw["min_cvss"]),
            unknown_severity=Action(raw["unknown_severity"]),
            below_threshold=None if below == "pass" else Action(below),
        )
    if rule_type is RuleType.BANNED_COMPONENT:
        bans = []
        for j, ban in enumerate(raw["components"]):
            versions = ban.get("versions")
            if versions is not None:
                _check_specifier(doc, ("rules", index, "components", j, "versions"), versions)
            purl = ban.get("purl")
            if purl is not None:
                purl = _ban_purl(doc, ("rules", index, "components", j, "purl"), purl)
            bans.append(
                Ban(
                    reason=ban["reason"],
                    name=ban.get("name"),
                    purl=purl,
                    versions=versions,
                    reference=ban.get("reference"),
                )
            )
        return BannedComponentRule(**common, bans=tuple(bans))
    if rule_type is RuleType.SOUP_END_OF_SUPPORT:
        unknown = raw.get("unknown", "pass")
        return SoupEndOfSupportRule(
            **common,
            warn_within_days=raw.get("warn_within_days"),
            unknown=None if unknown == "pass" else Action(unknown),
        )
    if rule_type is RuleType.SOUP_LEVEL_OF_SUPPORT:
        return SoupLevelOfSupportRule(**common, levels=frozenset(raw["levels"]))
    if rule_type is RuleType.SOUP_REGISTER_FIELDS:
        required = tuple(
            (SafetyClass(cls), tuple(RegisterField(f) for f in fields))
            for cls, fields in sorted(raw["required"].items())
        )
        return SoupRegisterFieldsRule(**common, required=required)
    if rule_type is RuleType.UNASSESSED_COMPONENT:
        return UnassessedComponentRule(**common, reasons=frozenset(raw["reasons"]))
    if rule_type is RuleType.SOUP_UNDECLARED:
        without = raw.get("without_register", "warn")
        return SoupUndeclaredRule(
            **common, without_register=None if without == "pass" else Action(without)
        )
    if rule_type is RuleType.SOUP_VERSION_DRIFT:
        return SoupVersionDriftRule(**common)
    if rule_type is RuleType.SOUP_ANOMALY_LIST:
        return SoupAnomalyListRule(**common)
    if rule_type is RuleType.SOUP_NO_RELEASE:
        return SoupNoReleaseRule(**common, within_days=int(raw["within_days"]))
    if rule_type is RuleType.SOUP_NOT_EVIDENCED:
        return SoupNotEvidencedRule(**common)
    if rule_type is RuleType.EVIDENCE_CONFLICT:
        return EvidenceConflictRule(**common)
    raise AssertionError(f"rule type {rule_type} has no reader")  # the schema lists the types


def _scope(doc: Document, key: tuple[str | int, ...], raw: dict[str, Any]) -> Scope:
    from mdrgate.identifiers import PURL_TYPE_TO_ECOSYSTEM
    from mdrgate.policy.assessments import parse_purl_pattern
    from mdrgate.policy.scope import check_purl_pattern

    purls = []
    for j, text in enumerate(raw.get("purl", [])):
        problem = check_purl_pattern(text)
        if problem is not None:
            raise doc.error(
                (*key, "purl", j),
                problem,
                hint="write a package URL without version, e.g. pkg:pypi/requests or "
                "pkg:github/freertos/*",
            )
        purls.append(text)
    ecosystems = frozenset(raw.get("ecosystem", []))
    if ecosystems:
        for j, text in enumerate(purls):
            purl_type = parse_purl_pattern(text).type
            if PURL_TYPE_TO_ECOSYSTEM.get(purl_type) not in ecosystems:
                raise doc.error(
                    (*key, "purl", j),
                    f"{text!r} can match no component of ecosystem "
                    f"{', '.join(sorted(ecosystems))}: pkg:{purl_type} packages are "
                    f"{PURL_TYPE_TO_ECOSYSTEM.get(purl_type) or 'of no ecosystem'}",
                    hint="drop the ecosystem selector or the pattern, or give the rule two "
                    "scopes as two rules",
                )
    relevant = raw.get("soup_safety_relevant")
    return Scope(
        component_classes=frozenset(ComponentClass(c) for c in raw.get("component_class", [])),
        safety_classes=frozenset(SafetyClass(c) for c in raw.get("safety_class", [])),
        ecosystems=ecosystems,
        purls=tuple(purls),
        soup_safety_relevant=relevant if isinstance(relevant, bool) else None,
    )


def _outcome_choice(value: str) -> Action | None:
    """``pass`` or an action, as the ``unscored``/``below_threshold``-style keys write it."""
    return None if value == "pass" else Action(value)


_Key = tuple[str | int, ...]


_STRICTNESS = {None: 0, Action.INFO: 1, Action.WARN: 2, Action.FAIL: 3}


def _below(doc: Document, key: _Key, raw: dict[str, Any], action: Action) -> Action | None:
    """``below_threshold``, refused when it is stricter than what reaching the threshold does."""
    below = _outcome_choice(raw.get("below_threshold", "pass"))
    if _STRICTNESS[below] > _STRICTNESS[action]:
        raise doc.error(
            (*key, "below_threshold"),
            f"findings below the threshold would get {raw['below_threshold']!r}, stricter than "
            f"the rule's action {action.value!r} for findings at or above it",
            hint="lower below_threshold or raise the action (e.g. action: fail, "
            "below_threshold: warn)",
        )
    return below


def _cvss_rule(doc: Document, key: _Key, raw: dict[str, Any], common: dict[str, Any]) -> Rule:
    thresholds = tuple(sorted((CvssVersion(v), float(t)) for v, t in raw["cvss"].items()))
    return VulnerabilityCvssRule(
        **common,
        thresholds=thresholds,
        unscored=_outcome_choice(raw["unscored"]),
        below_threshold=_below(doc, key, raw, common["action"]),
    )


def _rating_rule(doc: Document, key: _Key, raw: dict[str, Any], common: dict[str, Any]) -> Rule:
    return VulnerabilityRatingRule(
        **common,
        min_rating=Rating(raw["min_rating"]),
        unscored=_outcome_choice(raw["unscored"]),
        below_threshold=_below(doc, key, raw, common["action"]),
    )


def _kev_rule(doc: Document, key: _Key, raw: dict[str, Any], common: dict[str, Any]) -> Rule:
    return VulnerabilityKevRule(
        **common, without_catalog=_outcome_choice(raw.get("without_catalog", "warn"))
    )


def _epss_rule(doc: Document, key: _Key, raw: dict[str, Any], common: dict[str, Any]) -> Rule:
    return VulnerabilityEpssRule(
        **common,
        min_epss=raw.get("min_epss"),
        min_percentile=raw.get("min_percentile"),
        unscored=_outcome_choice(raw["unscored"]),
    )


def _fix_rule(doc: Document, key: _Key, raw: dict[str, Any], common: dict[str, Any]) -> Rule:
    return VulnerabilityFixRule(**common, fix=FixState(raw["fix"]))


def _age_rule(doc: Document, key: _Key, raw: dict[str, Any], common: dict[str, Any]) -> Rule:
    grace = raw["grace_days"]
    ordered = tuple(
        (Rating(name), int(grace[name])) for name in _RATINGS_DESCENDING if name in grace
    )
    # A stricter rating with a longer grace period than a milder one is a contradiction.
    for (stricter, days), (milder, milder_days) in pairwise(ordered):
        if stricter is Rating.UNKNOWN or milder is Rating.UNKNOWN:
            continue
        if days > milder_days:
            raise doc.error(
                (*key, "grace_days", stricter.value),
                f"{stricter.value} findings get {days} days, longer than {milder.value} "
                f"findings ({milder_days} days): a more severe vulnerability must not wait "
                "longer",
                hint=f"give {stricter.value} at most {milder_days} days (IEC 81001-5-1 6.1.1 "
                "timeframes shorten with severity)",
            )
    return VulnerabilityAgeRule(
        **common, grace_days=ordered, undated=_outcome_choice(raw.get("undated", "warn"))
    )


_RATINGS_DESCENDING = ("critical", "high", "medium", "low", "none", "unknown")


def _unassessed_rule(doc: Document, key: _Key, raw: dict[str, Any], common: dict[str, Any]) -> Rule:
    return VulnerabilityUnassessedRule(**common)


def _freshness_rule(doc: Document, key: _Key, raw: dict[str, Any], common: dict[str, Any]) -> Rule:
    unknown = raw.get("unknown_age")
    return DataFreshnessRule(
        **common,
        max_age_days=float(raw["max_age_days"]),
        sources=tuple(raw.get("sources", ())),
        unknown_age=None if unknown is None else Action(unknown),
    )


def _licence_rule(doc: Document, key: _Key, raw: dict[str, Any], common: dict[str, Any]) -> Rule:
    from mdrgate.policy.licences import canonical_pattern

    # Deprecated SPDX ids as the expressions are read: GPL-2.0 is GPL-2.0-only.
    allow = tuple(canonical_pattern(p) for p in raw.get("allow", ()))
    deny = tuple(canonical_pattern(p) for p in raw.get("deny", ()))
    # A pattern on both lists: deny decides, so the allow entry is dead (and probably a mistake).
    # "X WITH exception" allowed by name is the exception to a deny of X: that one is meant.
    for j, pattern in enumerate(allow):
        if " with " in pattern.casefold():
            continue
        for denied in deny:
            if fnmatchcase(pattern.casefold(), denied.casefold()):
                raise doc.error(
                    (*key, "allow", j),
                    f"{pattern!r} is allowed, but the deny pattern {denied!r} covers it: "
                    "deny decides, so the licence would never be allowed",
                    hint="remove it from one of the lists, or narrow the deny pattern",
                )
    unreadable = raw.get("unreadable")
    return LicenceRule(
        **common,
        allow=allow,
        deny=deny,
        undeclared=_outcome_choice(raw["undeclared"]),
        unreadable=None if unreadable is None else Action(unreadable),
    )


def _ntia_rule(doc: Document, key: _Key, raw: dict[str, Any], common: dict[str, Any]) -> Rule:
    names = raw.get("elements")
    elements = tuple(NtiaElementName) if names is None else tuple(NtiaElementName(n) for n in names)
    return SbomNtiaElementsRule(**common, elements=elements)


def _unknowns_rule(doc: Document, key: _Key, raw: dict[str, Any], common: dict[str, Any]) -> Rule:
    ratio = raw.get("max_unknown_ratio")
    return SbomKnownUnknownsRule(
        **common,
        max_unknown=raw.get("max_unknown"),
        max_unknown_ratio=None if ratio is None else float(ratio),
    )


_FAMILY = {
    RuleType.VULNERABILITY_CVSS: _cvss_rule,
    RuleType.VULNERABILITY_RATING: _rating_rule,
    RuleType.VULNERABILITY_KEV: _kev_rule,
    RuleType.VULNERABILITY_EPSS: _epss_rule,
    RuleType.VULNERABILITY_FIX: _fix_rule,
    RuleType.VULNERABILITY_AGE: _age_rule,
    RuleType.VULNERABILITY_UNASSESSED: _unassessed_rule,
    RuleType.DATA_FRESHNESS: _freshness_rule,
    RuleType.LICENCE: _licence_rule,
    RuleType.SBOM_NTIA_ELEMENTS: _ntia_rule,
    RuleType.SBOM_KNOWN_UNKNOWNS: _unknowns_rule,
}
"""Readers of the vulnerability, licence and SBOM-quality rule types (parameters the schema has
already checked)."""


def _ban_purl(doc: Document, key: tuple[str | int, ...], text: str) -> str:
    """A ban's purl pattern, canonical so that it matches the purls collectors write.

    A ban names a package, not a release: the version belongs under ``versions:``.
    """
    from mdrgate.identifiers import canonical_purl, parse_purl

    wildcard = any(ch in text for ch in "*?[")
    try:
        parsed = parse_purl(text.replace("*", "x").replace("?", "x") if wildcard else text)
    except ValueError as exc:
        raise doc.error(key, f"not a valid package URL: {exc}") from None
    if parsed.version or parsed.qualifiers or parsed.subpath:
        raise doc.error(
            key,
            f"a ban's purl names a package without version, qualifiers or subpath, got {text!r}",
            hint="write the banned versions under 'versions:' (e.g. versions: '==2.8.0')",
        )
    if wildcard:
        return text.lower() if parsed.type == "pypi" else text
    return canonical_purl(parsed).to_string()


def _check_specifier(doc: Document, key: tuple[str | int, ...], text: str) -> None:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        SpecifierSet(text)
    except InvalidSpecifier:
        raise doc.error(
            key,
            f"expected a version specifier such as '<2.0' or '==1.4.2, ==1.4.3', got {text!r}",
        ) from None
