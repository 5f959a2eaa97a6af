"""One matcher per ecosystem behind one interface; today every matcher reads OSV data.

A component is covered when its ecosystem has a version scheme (:mod:`mdrgate.versioning`):
adding SemVer or Maven there adds npm or Maven matching here without touching the pipeline.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from mdrgate.enrich.osv_eval import EVALUATED_RANGE_TYPES, EntryMatch, evaluate
from mdrgate.model.advisory import Advisory, SeverityVector
from mdrgate.model.component import Component
from mdrgate.model.diagnostic import Diagnostic, DiagnosticLevel
from mdrgate.model.finding import Finding
from mdrgate.versioning import VersionScheme, scheme_for_ecosystem
from mdrgate.vulndb.severity import score_vector
from mdrgate.vulndb.store import VulnDb


class Matcher(ABC):
    """Finds the advisories that affect one component of its ecosystem at its exact version."""

    ecosystem: str

    @abstractmethod
    def match(self, component: Component, db: VulnDb) -> tuple[list[Finding], list[Diagnostic]]:
        """Findings for ``component`` (whose ``version`` is set) and problems met on the way."""


@dataclass(frozen=True, slots=True)
class OsvMatcher(Matcher):
    """Evaluates the OSV ``affected[]`` entries of an ecosystem with its version scheme."""

    ecosystem: str
    scheme: VersionScheme

    def match(self, component: Component, db: VulnDb) -> tuple[list[Finding], list[Diagnostic]]:
        assert component.version is not None
        version = component.version
        diagnostics: list[Diagnostic] = []
        if self.scheme.parse(version) is None:
            diagnostics.append(_unparsable(component, self.scheme))
        matched: dict[str, tuple[Advisory, list[EntryMatch], list[SeverityVector]]] = {}
        for advisory, package in db.affected(self.ecosystem, component.package_name):
            if advisory.withdrawn is not None:
                continue
            if not package.versions and not any(
                r.type in EVALUATED_RANGE_TYPES for r in package.ranges
            ):
                diagnostics.append(_not_evaluable(component, advisory, self.scheme))
                continue
            result = evaluate(package, version, self.scheme)
            if not result.affected:
                continue
            key = f"{advisory.source}\0{advisory.id}"
            entry = matched.setdefault(key, (advisory, [], []))
            entry[1].append(result)
            entry[2].extend(package.severities)
        findings = [
            _finding(component, advisory, results, severities)
            for advisory, results, severities in matched.values()
        ]
        return findings, diagnostics


def matcher_for(ecosystem: str | None) -> Matcher | None:
    """The matcher covering an ecosystem, ``None`` when mdrgate cannot assess it yet."""
    scheme = scheme_for_ecosystem(ecosystem)
    if ecosystem is None or scheme is None:
        return None
    return OsvMatcher(ecosystem, scheme)


def _finding(
    component: Component,
    advisory: Advisory,
    results: list[EntryMatch],
    package_severities: list[SeverityVector],
) -> Finding:
    severities = tuple(dict.fromkeys((*advisory.severities, *package_severities)))
    notes: list[str] = []
    ranges: list[str] = []
    fixed: list[str] = []
    for result in results:
        notes.extend(result.notes)
        ranges.extend(result.ranges)
        if result.listed is not None and not result.ranges:
            ranges.append(f"listed version {result.listed}")
        fixed.extend(result.fixed)
    for severity in severities:
        if severity.score is None:
            reason = score_vector(severity.type, severity.vector)[1]
            if reason:
                notes.append(reason)
    return Finding(
        component_ref=component.bom_ref,
        advisory=advisory,
        severities=severities,
        affected_ranges=tuple(dict.fromkeys(ranges)),
        fixed_versions=tuple(dict.fromkeys(fixed)),
        notes=tuple(dict.fromkeys(notes)),
    )


def _not_evaluable(component: Component, advisory: Advisory, scheme: VersionScheme) -> Diagnostic:
    """An advisory names the package but gives only commit ranges: no version can be judged."""
    origin = component.origins[0] if component.origins else None
    return Diagnostic(
        code="advisory-not-evaluable",
        message=(
            f"{component.display}: {advisory.id} names this package but publishes no "
            f"{scheme.name} versions or ranges (only commit ranges); whether version "
            f"{component.version} is affected must be assessed by hand"
        ),
        level=DiagnosticLevel.WARNING,
        path=origin.path if origin else None,
        line=origin.line if origin else None,
        component=component.bom_ref,
    )


def _unparsable(component: Component, scheme: VersionScheme) -> Diagnostic:
    origin = component.origins[0] if component.origins else None
    return Diagnostic(
        code="unparsable-version",
        message=(
            f"{component.display}: version {component.version!r} is not a valid {scheme.name} "
            "version; version ranges could not be evaluated, only advisories that list this "
            "exact version were matched"
        ),
        level=DiagnosticLevel.WARNING,
        path=origin.path if origin else None,
        line=origin.line if origin else None,
        component=component.bom_ref,
    )
