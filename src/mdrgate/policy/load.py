"""Policy files → one composed ``Policy``.

Files compose in the order given (organisation default first, product overrides last): a rule in a
later file replaces the rule with the same id from an earlier file, wholesale, and
``{id: X, enabled: false}`` switches rule X off. The evidence records every file with its digest.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, assert_never

from mdrgate.documents import Document, parse_yaml
from mdrgate.errors import UsageError
from mdrgate.model import Action, ComponentClass, PolicyRef, SafetyClass
from mdrgate.policy.rules import (
    Ban,
    BannedComponentRule,
    EvidenceConflictRule,
    RegisterField,
    Rule,
    RuleType,
    Scope,
    SoupEndOfSupportRule,
    SoupLevelOfSupportRule,
    SoupNotEvidencedRule,
    SoupRegisterFieldsRule,
    SoupUndeclaredRule,
    SoupVersionDriftRule,
    UnassessedComponentRule,
    VulnerabilitySeverityRule,
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
    scope_raw = raw.get("scope", {})
    common: dict[str, Any] = {
        "id": raw["id"],
        "action": Action(raw["action"]),
        "source": source,
        "clause": raw.get("clause"),
        "description": raw.get("description"),
        "scope": Scope(
            component_classes=frozenset(
                ComponentClass(c) for c in scope_raw.get("component_class", [])
            ),
            safety_classes=frozenset(SafetyClass(c) for c in scope_raw.get("safety_class", [])),
        ),
    }
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
        return SoupEndOfSupportRule(**common, warn_within_days=raw.get("warn_within_days"))
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
    if rule_type is RuleType.SOUP_NOT_EVIDENCED:
        return SoupNotEvidencedRule(**common)
    if rule_type is RuleType.EVIDENCE_CONFLICT:
        return EvidenceConflictRule(**common)
    assert_never(rule_type)


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
