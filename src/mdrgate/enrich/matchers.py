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

import gc
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import unquote

from mdrgate.enrich.osv_eval import EntryMatch, PreparedEntry, git_verdict, prepared_entry
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

    def match_many(
        self, components: Sequence[Component], db: VulnDb
    ) -> list[tuple[list[Finding], list[Diagnostic]]]:
        """:meth:`match` of each component, in order; a matcher overrides it to share the work
        components of one package have in common."""
        return [self.match(component, db) for component in components]


Matched = tuple[list[Finding], list[Diagnostic]]
_T = TypeVar("_T")
_Candidate = tuple[Advisory, AffectedPackage, PreparedEntry]


@dataclass(frozen=True, slots=True)
class OsvMatcher(Matcher):
    """Evaluates the OSV ``affected[]`` entries of an ecosystem with its version scheme."""

    ecosystem: str
    scheme: VersionScheme

    def match(self, component: Component, db: VulnDb) -> Matched:
        entries = db.affected(self.ecosystem, osv_package_name(component))
        return self._match(component, self._candidates(entries, prepared=prepared_entry))

    def match_many(self, components: Sequence[Component], db: VulnDb) -> list[Matched]:
        """One database query for all the components, and each advisory entry read once for all
        the components of its package, however many versions of it the inventory holds."""
        names = [osv_package_name(component) for component in components]
        entries = db.affected_many(self.ecosystem, names)
        candidates = {name: self._candidates(found) for name, found in entries.items()}
        return [
            self._match(component, candidates[name])
            for component, name in zip(components, names, strict=True)
        ]

    def _candidates(
        self,
        entries: list[tuple[Advisory, AffectedPackage]],
        prepared: Callable[[AffectedPackage, VersionScheme], PreparedEntry] = PreparedEntry,
    ) -> list[_Candidate]:
        """The entries of advisories still in force, prepared for this scheme."""
        return [
            (advisory, package, prepared(package, self.scheme))
            for advisory, package in entries
            if advisory.withdrawn is None
        ]

    def _match(self, component: Component, candidates: list[_Candidate]) -> Matched:
        assert component.version is not None
        version = component.version
        commit = component_commit(component)
        diagnostics: list[Diagnostic] = []
        if self.scheme.parse(version) is None:
            diagnostics.append(_unparsable(component, self.scheme))
        if not candidates:
            return [], diagnostics
        matching = self.scheme.for_matching(version)
        matched: dict[str, tuple[Advisory, list[EntryMatch], list[SeverityVector]]] = {}
        for advisory, package, entry in candidates:
            if not entry.decidable and not _decided_by_commit(package, commit):
                diagnostics.append(_not_evaluable(component, advisory, self.scheme, commit))
                continue
            result = entry.judge(version, matching, commit)
            if not result.affected:
                continue
            key = f"{advisory.source}\0{advisory.id}"
            found = matched.setdefault(key, (advisory, [], []))
            found[1].append(result)
            found[2].extend(package.severities)
        findings = [
            _finding(component, advisory, results, severities)
            for advisory, results, severities in matched.values()
        ]
        return findings, diagnostics


def match_components(pairs: Sequence[tuple[Component, Matcher]], db: VulnDb) -> list[Matched]:
    """:meth:`Matcher.match` of every (component, its matcher) pair, in order, each matcher
    given all its components at once (:meth:`Matcher.match_many`)."""
    by_matcher: dict[Matcher, list[int]] = {}
    for index, (_, matcher) in enumerate(pairs):
        by_matcher.setdefault(matcher, []).append(index)
    results: dict[int, Matched] = {}
    with collector_paused():
        for matcher, indexes in by_matcher.items():
            found = matcher.match_many([pairs[i][0] for i in indexes], db)
            results.update(zip(indexes, found, strict=True))
    return [results[index] for index in range(len(pairs))]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off for the block, as it was after it.

    Matching builds hundreds of thousands of long-lived objects (advisories, parsed versions,
    findings) and no reference cycles; with the collector on, each full collection re-scans all
    of them, and a few happen while the heap grows: a third of the time of matching 10,000
    components (benchmarks/bench_match.py). Objects are still freed by reference counting.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _decided_by_commit(package: AffectedPackage, commit: str | None) -> bool:
    """A GIT range of the entry decides about the component's commit."""
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
    severities = _unique(
        (*advisory.severities, *package_severities) if package_severities else advisory.severities
    )
    notes: tuple[str, ...]
    ranges: tuple[str, ...]
    fixed: tuple[str, ...]
    if len(results) == 1:  # the common case: the entry's own tuples, shared rather than copied
        (result,) = results
        notes, ranges, fixed = result.notes, result.ranges, result.fixed
        if result.listed is not None and not ranges:
            ranges = (f"listed version {result.listed}",)
    else:
        notes = tuple(note for result in results for note in result.notes)
        ranges = tuple(
            text
            for result in results
            for text in (
                result.ranges
                if result.ranges or result.listed is None
                else (f"listed version {result.listed}",)
            )
        )
        fixed = tuple(text for result in results for text in result.fixed)
    reasons = tuple(
        reason
        for severity in severities
        if severity.score is None and (reason := score_vector(severity.type, severity.vector)[1])
    )
    return Finding(
        component_ref=component.bom_ref,
        advisory=advisory,
        severities=severities,
        affected_ranges=_unique(ranges),
        fixed_versions=_unique(fixed),
        notes=_unique((*notes, *reasons) if reasons else notes),
    )


def _unique(items: tuple[_T, ...]) -> tuple[_T, ...]:
    """The items without repeats, first occurrences kept: ``items`` itself when it has none."""
    if len(items) < 2:
        return items
    unique = tuple(dict.fromkeys(items))
    return items if len(unique) == len(items) else unique


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
