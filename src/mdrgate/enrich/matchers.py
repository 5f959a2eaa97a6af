"""One matcher per ecosystem behind one interface; today every matcher reads OSV data.

A component is covered when its ecosystem has a version scheme (:mod:`mdrgate.versioning`):
PyPI, npm, crates.io, Go and Maven. The package is looked up by the name its ecosystem's OSV
records use, taken from the purl: ``@scope/name`` for npm, the module path for Go
(``github.com/gorilla/mux``), ``group:artifact`` for Maven.

A component that carries its source commit (the ``mdrgate:vcs:commit`` property collectors set)
also has it looked up in GIT ranges (:func:`mdrgate.enrich.osv_eval.git_verdict`); without one,
GIT ranges never match. An entry that only has GIT ranges and no enumerated versions, and whose
commits do not name the component's, is reported as not evaluable, never passed.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from urllib.parse import unquote

from mdrgate.enrich.osv_eval import EVALUATED_RANGE_TYPES, EntryMatch, evaluate, git_verdict
from mdrgate.model.advisory import Advisory, AffectedPackage, SeverityVector
from mdrgate.model.component import Component
from mdrgate.model.diagnostic import Diagnostic, DiagnosticLevel
from mdrgate.model.finding import Finding
from mdrgate.versioning import VersionScheme, scheme_for_ecosystem
from mdrgate.vulndb.severity import score_vector
from mdrgate.vulndb.store import VulnDb

COMMIT_PROPERTY = "mdrgate:vcs:commit"
"""The component property holding the commit its sources were taken at (firmware manifests)."""


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
        commit = component_commit(component)
        diagnostics: list[Diagnostic] = []
        if self.scheme.parse(version) is None:
            diagnostics.append(_unparsable(component, self.scheme))
        matched: dict[str, tuple[Advisory, list[EntryMatch], list[SeverityVector]]] = {}
        for advisory, package in db.affected(self.ecosystem, osv_package_name(component)):
            if advisory.withdrawn is not None:
                continue
            if not _evaluable(package, commit):
                diagnostics.append(_not_evaluable(component, advisory, self.scheme, commit))
                continue
            result = evaluate(package, version, self.scheme, commit)
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


def _evaluable(package: AffectedPackage, commit: str | None) -> bool:
    """Versions listed, a version range, or a GIT range that decides about the commit."""
    if package.versions or any(r.type in EVALUATED_RANGE_TYPES for r in package.ranges):
        return True
    return commit is not None and any(git_verdict(r, commit) is not None for r in package.ranges)


def osv_package_name(component: Component) -> str:
    """The name OSV records give the component's package, read from its purl when it has one.

    Plain string work on the purl (type/namespace/name@version?qualifiers#subpath): parsing
    every component's purl with packageurl costs more than the rest of its matching.
    """
    purl = component.purl
    if not purl or not purl.startswith("pkg:"):
        return component.name
    path = purl[4:].split("?", 1)[0].split("#", 1)[0].strip("/")
    at = path.rfind("@")
    if at > path.rfind("/"):
        path = path[:at]
    kind, _, rest = path.partition("/")
    parts = [unquote(part) for part in rest.split("/") if part]
    if not parts:
        return component.name
    kind = kind.lower()
    if kind in ("npm", "golang"):
        return "/".join(parts)
    if kind == "maven" and len(parts) > 1:
        return f"{'/'.join(parts[:-1])}:{parts[-1]}"
    return parts[-1]


def component_commit(component: Component) -> str | None:
    """The commit the component's sources come from, when a collector recorded one."""
    for name, value in component.properties:
        if name == COMMIT_PROPERTY and value.strip():
            return value.strip()
    return None


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


def _not_evaluable(
    component: Component, advisory: Advisory, scheme: VersionScheme, commit: str | None
) -> Diagnostic:
    """An advisory names the package but gives only commit ranges: no version can be judged."""
    origin = component.origins[0] if component.origins else None
    why = (
        f"; commit {commit} is none of its range commits, and placing it needs the repository's "
        "history"
        if commit
        else ""
    )
    return Diagnostic(
        code="advisory-not-evaluable",
        message=(
            f"{component.display}: {advisory.id} names this package but publishes no "
            f"{scheme.name} versions or ranges (only commit ranges){why}; whether version "
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
