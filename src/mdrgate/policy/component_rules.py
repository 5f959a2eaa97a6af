"""Rules about which components may be used at all: banned names, purls and versions.

Every outcome that does not pass says in its evidence what would make it pass (``to pass: …``).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator

from packaging.specifiers import SpecifierSet
from packaging.version import InvalidVersion, Version

from mdrgate.identifiers import normalize_name, purl_without_version
from mdrgate.model import (
    Component,
    OutcomeStatus,
    RuleOutcome,
)
from mdrgate.policy.context import (
    EvaluationContext,
    declared_at,
    in_scope,
    outcome,
)
from mdrgate.policy.rules import (
    Ban,
    BannedComponentRule,
)

# --- banned components -----------------------------------------------------------------------


def banned(rule: BannedComponentRule, ctx: EvaluationContext) -> Iterator[RuleOutcome]:
    for component in ctx.inventory.components:
        if not in_scope(rule, component):
            continue
        hits = [(ban, note) for ban in rule.bans if (note := _ban_matches(ban, component))]
        if not hits:
            yield outcome(rule, component, OutcomeStatus.PASS, "not on the banned list")
            continue
        for ban, note in hits:
            label = ban.purl or ban.name or "?"
            evidence = [f"ban: {label} {ban.versions or '(all versions)'}: {ban.reason}"]
            if ban.reference:
                evidence.append(f"reference: {ban.reference}")
            evidence.append("to pass: " + _unbanned(ban, component))
            evidence += declared_at(component)
            yield outcome(
                rule,
                component,
                OutcomeStatus.for_action(rule.action),
                f"{component.display} is banned ({note}): {ban.reason}",
                evidence=evidence,
            )


def _unbanned(ban: Ban, component: Component) -> str:
    if ban.versions is None:
        return f"remove {component.name} from the device or replace it with another component"
    if component.version is None:
        return (
            f"pin {component.name} to one exact version outside {ban.versions} where it is declared"
        )
    try:
        Version(component.version)
    except InvalidVersion:
        return (
            f"declare {component.name}'s version as a PEP 440 version outside {ban.versions} "
            "(the ban compares PEP 440 versions), or remove it"
        )
    return f"move {component.name} to a version outside {ban.versions}, or remove it"


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
