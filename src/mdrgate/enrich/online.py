"""``check --online``: the OSV API's advisories for the inventory, matched like the local ones.

Every component a matcher covers (an ecosystem with a version scheme, an exact version) is asked
about — by its purl when it has one, else by ecosystem, name and version. Components no matcher
covers stay unassessed, exactly as offline.

The records the API lists for a component are evaluated by the component's own matcher, so an
online finding carries the same affected ranges, fixed versions and notes as a local one. When
the API lists an advisory for a component but mdrgate's evaluation of the record does not confirm
it (a version the scheme cannot parse, commit-only ranges, a disagreement), the advisory is still
reported, with a note saying so: the safer reading for a gate. Merging with the local database
(one finding per advisory id, the source named) happens in :func:`mdrgate.enrich.match_inventory`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, cast

from packageurl import PackageURL

from mdrgate.enrich.matchers import Matcher, matcher_for
from mdrgate.identifiers import normalize_name, parse_purl
from mdrgate.model.advisory import Advisory, AffectedPackage
from mdrgate.model.component import Component, Inventory
from mdrgate.model.diagnostic import Diagnostic
from mdrgate.model.finding import Finding
from mdrgate.model.run import DbProvenance
from mdrgate.vulndb.osv_api import OsvApi, OsvQuery

if TYPE_CHECKING:
    from mdrgate.vulndb.store import VulnDb


@dataclass(frozen=True, slots=True)
class OnlineMatches:
    """The online source's findings per component (bom-ref), and what it covered."""

    findings: Mapping[str, tuple[Finding, ...]]
    diagnostics: tuple[Diagnostic, ...]
    ecosystems: frozenset[str]
    """Ecosystems whose components were asked about: the local database need not cover them."""
    provenance: DbProvenance

    def for_component(self, bom_ref: str) -> tuple[Finding, ...]:
        return self.findings.get(bom_ref, ())


def match_online(inventory: Inventory, api: OsvApi, *, now: datetime) -> OnlineMatches:
    """Ask the API about every covered component and evaluate what it lists."""
    covered: list[tuple[Component, Matcher, OsvQuery]] = []
    for component in inventory.components:
        matcher = matcher_for(component.ecosystem)
        if matcher is not None and component.version is not None:
            covered.append((component, matcher, query_for(component)))
    answer = api.query([query for _, _, query in covered], now=now)
    findings: dict[str, tuple[Finding, ...]] = {}
    diagnostics: list[Diagnostic] = []
    for component, matcher, query in covered:
        listed = answer.advisories[query]
        if not listed:
            continue
        found, problems = matcher.match(component, cast("VulnDb", _Listed(listed)))
        confirmed = {finding.advisory.id for finding in found}
        found.extend(
            _unconfirmed(component, advisory)
            for advisory in listed
            if advisory.id not in confirmed and advisory.withdrawn is None
        )
        findings[component.bom_ref] = tuple(found)
        diagnostics.extend(problems)
    return OnlineMatches(
        findings=findings,
        diagnostics=tuple(sorted(set(diagnostics))),
        ecosystems=frozenset(matcher.ecosystem for _, matcher, _ in covered),
        provenance=answer.provenance,
    )


def query_for(component: Component) -> OsvQuery:
    """The API query for a component (whose version is set): its purl, at its version, without
    qualifiers; ecosystem, name and version when it has no purl."""
    assert component.version is not None
    if component.purl:
        try:
            purl = parse_purl(component.purl)
        except ValueError:
            pass
        else:
            exact = PackageURL(
                type=purl.type, namespace=purl.namespace, name=purl.name, version=component.version
            )
            return OsvQuery(version=component.version, purl=exact.to_string())
    return OsvQuery(version=component.version, ecosystem=component.ecosystem, name=component.name)


class _Listed:
    """The advisories the API listed for one component, read as the matcher reads the database.

    The matcher asks only for ``affected(ecosystem, name)``; answering from these records alone
    keeps an online finding to what the API reported for this very component.
    """

    def __init__(self, advisories: Sequence[Advisory]) -> None:
        self._advisories = advisories

    def affected(self, ecosystem: str, name: str) -> list[tuple[Advisory, AffectedPackage]]:
        base = ecosystem.split(":", 1)[0]
        key = normalize_name(base, name)
        hits: list[tuple[str, str, int, Advisory, AffectedPackage]] = []
        for advisory in self._advisories:
            for position, package in enumerate(advisory.affected):
                same_ecosystem = package.ecosystem == ecosystem or package.ecosystem.startswith(
                    ecosystem + ":"
                )
                if same_ecosystem and normalize_name(base, package.name) == key:
                    hits.append((advisory.id, advisory.source, position, advisory, package))
        hits.sort(key=lambda hit: hit[:3])
        return [(advisory, package) for *_, advisory, package in hits]


def _unconfirmed(component: Component, advisory: Advisory) -> Finding:
    severities = tuple(
        dict.fromkeys((*advisory.severities, *(s for p in advisory.affected for s in p.severities)))
    )
    note = (
        f"the OSV API lists {advisory.id} for {component.display}, but mdrgate's evaluation of "
        "the record's versions and ranges does not confirm it; reported all the same (the safer "
        "reading) — assess by hand"
    )
    return Finding(
        component_ref=component.bom_ref,
        advisory=advisory,
        severities=severities,
        notes=(note,),
    )
