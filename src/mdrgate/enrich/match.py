"""Match an inventory against the vulnerability database: findings plus what could not be assessed.

Nothing passes silently. A component whose ecosystem a matcher covers but for which the database
holds no advisories at all stops the run (DataError, exit 4): "no findings" would be a claim the
data cannot support. A component no matcher covers becomes a ``no-vulnerability-source``
diagnostic naming its identifiers, so reports and policy show it as unassessed.

Duplicates and aliases. Each advisory id is reported once per component: when two imported
sources hold the same id, the most recently modified copy is kept and the other source is noted.
Different advisories that describe the same vulnerability (a PYSEC and a GHSA record of one CVE:
one lists the other, or both list the same alias) are all kept — each carries its own ranges and
severity — and each finding names the others in ``same_as`` and in a note, so a reader or a
policy can count the vulnerability once.

Online (``check --online``): the OSV API's findings (:mod:`mdrgate.enrich.online`) join each
component's local ones before the rules above, so an advisory found both locally and online is one
finding whose note names the other source; ecosystems the API was asked about need no local export.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from mdrgate.enrich.matchers import Matcher, matcher_for
from mdrgate.errors import DataError
from mdrgate.model.component import Component, Inventory
from mdrgate.model.diagnostic import Diagnostic, DiagnosticLevel
from mdrgate.model.finding import Finding
from mdrgate.vulndb.store import VulnDb

if TYPE_CHECKING:
    from mdrgate.enrich.online import OnlineMatches

_EPOCH = datetime.min.replace(tzinfo=UTC)


def match_inventory(
    inventory: Inventory, db: VulnDb, *, online: OnlineMatches | None = None
) -> tuple[tuple[Finding, ...], tuple[Diagnostic, ...]]:
    """All findings of the inventory, ordered by (component, advisory id), and diagnostics.

    ``online``: findings of the OSV API (``check --online``), merged with the local ones.
    """
    diagnostics: list[Diagnostic] = [*online.diagnostics] if online is not None else []
    covered: list[tuple[Component, Matcher]] = []
    for component in inventory.components:
        matcher = matcher_for(component.ecosystem)
        if matcher is None:
            diagnostics.append(_no_source(component))
        elif component.version is not None:
            covered.append((component, matcher))
    required = {matcher.ecosystem for _, matcher in covered}
    _require_data(db, required - online.ecosystems if online is not None else required)
    findings: dict[tuple[str, str], Finding] = {}
    for component, matcher in covered:
        found, problems = matcher.match(component, db)
        if online is not None:
            found = [*found, *online.for_component(component.bom_ref)]
        diagnostics.extend(problems)
        for finding in _link_aliases(_one_per_id(found)):
            findings.setdefault(finding.key, finding)
    ordered = tuple(findings[key] for key in sorted(findings))
    return ordered, tuple(sorted(set(diagnostics)))


def _require_data(db: VulnDb, ecosystems: set[str]) -> None:
    if not ecosystems:
        return
    covered = db.covered_ecosystems()
    for ecosystem in sorted(ecosystems):
        if ecosystem not in covered:
            raise DataError(
                f"the database holds no {ecosystem} export; import the {ecosystem} OSV export "
                f"(the inventory has {ecosystem} components that would otherwise pass unchecked)",
                source=str(db.path),
                hint=f"mdrgate db import <path to {ecosystem}/all.zip>",
            )


def _one_per_id(findings: Iterable[Finding]) -> list[Finding]:
    """Keep one finding per advisory id: the newest copy when several sources hold it."""
    by_id: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_id[finding.advisory.id].append(finding)
    kept: list[Finding] = []
    for copies in by_id.values():
        copies.sort(key=lambda f: (-(f.advisory.modified or _EPOCH).timestamp(), f.advisory.source))
        best, others = copies[0], copies[1:]
        if others:
            also = ", ".join(sorted(f.advisory.source for f in others))
            best = _with(best, notes=(f"the same advisory is also in source {also}",))
        kept.append(best)
    return kept


def _link_aliases(findings: list[Finding]) -> list[Finding]:
    """Name, on each finding, the other findings of the component for the same vulnerability."""
    names = [{f.advisory.id, *f.advisory.aliases} for f in findings]
    holders: dict[str, list[int]] = defaultdict(list)  # an id or alias -> the findings naming it
    for i, known in enumerate(names):
        for name in known:
            holders[name].append(i)
    linked: list[Finding] = []
    for i, finding in enumerate(findings):
        related = {j for name in names[i] for j in holders[name] if j != i}
        same = sorted(findings[j].advisory.id for j in related)
        if not same:
            linked.append(finding)
            continue
        note = f"same vulnerability as {', '.join(same)} (aliases; each reported separately)"
        linked.append(_with(finding, notes=(note,), same_as=tuple(same)))
    return linked


def _with(
    finding: Finding, *, notes: tuple[str, ...], same_as: tuple[str, ...] | None = None
) -> Finding:
    merged = tuple(dict.fromkeys((*finding.notes, *notes)))
    return replace(finding, notes=merged, same_as=finding.same_as if same_as is None else same_as)


def _no_source(component: Component) -> Diagnostic:
    identifiers = []
    if component.purl:
        identifiers.append(f"purl {component.purl}")
    identifiers.extend(f"CPE {cpe}" for cpe in component.cpes)
    known = ", ".join(identifiers) if identifiers else "no purl or CPE"
    why = (
        f"mdrgate has no matcher for the {component.ecosystem} ecosystem yet"
        if component.ecosystem
        else "no vulnerability source in the database covers it"
    )
    origin = component.origins[0] if component.origins else None
    return Diagnostic(
        code="no-vulnerability-source",
        message=(
            f"{component.display}: not checked for known vulnerabilities: {why} "
            f"(identifiers: {known})"
        ),
        level=DiagnosticLevel.WARNING,
        path=origin.path if origin else None,
        line=origin.line if origin else None,
        component=component.bom_ref,
    )
