"""Match an inventory against the vulnerability database: findings plus what could not be assessed.

Two ways in. A component of an ecosystem with a version scheme (PyPI, npm, crates.io, Go, Maven)
is matched against the OSV records of its package (:mod:`mdrgate.enrich.matchers`); a component
with a CPE name (firmware, SOUP) against the NVD's CVE configurations
(:mod:`mdrgate.enrich.nvd_matcher`); a component with both, both ways.

Nothing passes silently. A component a matcher covers but for which the database holds no data at
all (no export of its ecosystem, no NVD records for CPE-named components) stops the run
(DataError, exit 4): "no findings" would be a claim the data cannot support. A component neither
way covers becomes a ``no-vulnerability-source`` diagnostic naming its identifiers, one without an
exact version a ``no-exact-version`` diagnostic (unless its collector already said so), so
reports and policy show it as unassessed.

One vulnerability, one finding. When two imported sources hold the same advisory id, the most
recently modified copy is kept and the other source is noted. Advisories that describe the same
vulnerability (a PYSEC and a GHSA record and the NVD's CVE: they list each other as aliases) are
merged per component by :func:`mdrgate.enrich.aliases.merge_by_alias`: the most specific record
leads, the others are named in ``same_as`` and in a note, and an OSV record without severity takes
the NVD's CVSS of its CVE. (KEV and EPSS are attached afterwards, by
:mod:`mdrgate.enrich.exploitation`.)

Online (``check --online``): the OSV API's findings (:mod:`mdrgate.enrich.online`) join each
component's local ones before the rules above, so an advisory found both locally and online is one
finding whose note names the other source; ecosystems the API was asked about need no local export.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from mdrgate.enrich.aliases import cve_ids, merge_by_alias
from mdrgate.enrich.matchers import Matcher, collector_paused, match_components, matcher_for
from mdrgate.enrich.nvd_cvss import MetricsError, NvdCvss, nvd_cvss
from mdrgate.enrich.nvd_matcher import NVD_KIND, NvdMatcher, has_cpe_identity
from mdrgate.errors import DataError
from mdrgate.model.component import Component, Inventory
from mdrgate.model.diagnostic import UNASSESSED_CODES, Diagnostic, DiagnosticLevel
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
    Runs with the cycle collector paused: matching and merging build long-lived objects and no
    cycles, and full collections re-scanning them cost as much as the merging itself.
    """
    with collector_paused():
        return _match(inventory, db, online)


def _match(
    inventory: Inventory, db: VulnDb, online: OnlineMatches | None
) -> tuple[tuple[Finding, ...], tuple[Diagnostic, ...]]:
    diagnostics: list[Diagnostic] = [*online.diagnostics] if online is not None else []
    by_package: list[tuple[Component, Matcher]] = []
    by_cpe: list[Component] = []
    flagged = {d.component for d in inventory.diagnostics if d.code in UNASSESSED_CODES}
    for component in inventory.components:
        matcher = matcher_for(component.ecosystem)
        named_by_cpe = has_cpe_identity(component)
        if matcher is None and not named_by_cpe:
            diagnostics.append(_no_source(component))
        elif component.version is None:
            # Ecosystem collectors report their own unversioned components; CPE-only ones here.
            if matcher is None and component.bom_ref not in flagged:
                diagnostics.append(_no_version(component))
        else:
            if matcher is not None:
                by_package.append((component, matcher))
            if named_by_cpe:
                by_cpe.append(component)
    kinds = db.kinds()
    required = {matcher.ecosystem for _, matcher in by_package}
    _require_data(db, required - online.ecosystems if online is not None else required)
    if by_cpe and NVD_KIND not in kinds:
        raise DataError(
            f"the database holds no NVD data, and {len(by_cpe)} components are identified by CPE "
            f"({', '.join(c.display for c in by_cpe[:3])}{', ...' if len(by_cpe) > 3 else ''}) "
            "and would otherwise pass unchecked",
            source=str(db.path),
            hint="mdrgate db import <NVD CVE JSON 2.0 feed files or API answers>",
        )
    osv_findings: list[Finding] = []
    matched = match_components(by_package, db)  # each matcher given all its components at once
    for (component, _), (local, problems) in zip(by_package, matched, strict=True):
        found = local if online is None else [*local, *online.for_component(component.bom_ref)]
        diagnostics.extend(problems)
        osv_findings.extend(_one_per_id(found))
    nvd_findings: list[Finding] = []
    if by_cpe:
        nvd = NvdMatcher(db)
        for component in by_cpe:
            found, problems = nvd.match(component)
            nvd_findings.extend(found)
            diagnostics.extend(problems)
    fallback = _nvd_severities(db, osv_findings) if NVD_KIND in kinds else {}
    findings = merge_by_alias(osv_findings, nvd_findings, fallback)
    return findings, tuple(sorted(set(diagnostics)))


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
            note = f"the same advisory is also in source {also}"
            best = replace(best, notes=tuple(dict.fromkeys((*best.notes, note))))
        kept.append(best)
    return kept


def _nvd_severities(db: VulnDb, findings: Sequence[Finding]) -> dict[str, tuple[NvdCvss, ...]]:
    """The NVD's CVSS assessments of the CVEs behind OSV findings that state no severity."""
    wanted = cve_ids(f for f in findings if not f.severities)
    if not wanted:
        return {}
    found: dict[str, tuple[NvdCvss, ...]] = {}
    for cve, record in db.nvd_cves(wanted).items():
        try:
            found[cve] = nvd_cvss(cve, record.metrics)
        except MetricsError:
            continue  # the finding keeps "no severity": rated unknown, which policy judges
    return found


def _no_version(component: Component) -> Diagnostic:
    origin = component.origins[0] if component.origins else None
    return Diagnostic(
        code="no-exact-version",
        message=(
            f"{component.display}: no exact version is known, so it cannot be checked for known "
            "vulnerabilities"
        ),
        level=DiagnosticLevel.WARNING,
        path=origin.path if origin else None,
        line=origin.line if origin else None,
        component=component.bom_ref,
    )


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
