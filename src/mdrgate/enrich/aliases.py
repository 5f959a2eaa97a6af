"""One finding per vulnerability: a component's OSV and NVD findings merged by alias.

The same vulnerability reaches a component under several ids: a PyPA (``PYSEC-``), Go (``GO-``)
or RustSec (``RUSTSEC-``) record, a GitHub advisory (``GHSA-``), and the NVD's CVE record,
matched by CPE. Records list each other in ``aliases``; findings whose ids and aliases connect
(directly or through a chain) describe one vulnerability and become one finding.

The merged finding keeps, as its advisory, the record with the most specific data: an OSV record
before the NVD's (OSV ranges are per package, NVD configurations per product), and among OSV
records the ecosystem's own database before the GitHub advisory before a CVE-named record, then
by id. Nothing is dropped: the affected ranges and notes of every member are kept (fixed
versions: the OSV records' when there are any, as an NVD fix is a version of the CPE product),
and the other members' ids are listed in ``same_as`` and in a note.

Severity: the OSV members' vectors when any has one; otherwise the NVD CVSS of the group's CVE
ids — from the NVD findings, or from ``nvd_cvss`` (the NVD records of the CVE aliases, looked up
for findings that matched by package only) — with a note naming the NVD assessment used
(:mod:`mdrgate.enrich.nvd_cvss`: NVD's Primary assessment preferred).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from mdrgate.enrich.nvd_cvss import NvdCvss
from mdrgate.model.advisory import SeverityVector
from mdrgate.model.finding import Finding

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class _Member:
    finding: Finding
    from_nvd: bool

    @property
    def names(self) -> frozenset[str]:
        advisory = self.finding.advisory
        return frozenset(_key(i) for i in (advisory.id, *advisory.aliases))


def merge_by_alias(
    osv: Iterable[Finding],
    nvd: Iterable[Finding] = (),
    nvd_cvss: Mapping[str, Sequence[NvdCvss]] | None = None,
) -> tuple[Finding, ...]:
    """One finding per component and vulnerability, ordered by (component, advisory id).

    ``osv``: findings from OSV records; ``nvd``: findings from NVD CVE records (CPE matches);
    ``nvd_cvss``: NVD assessments by CVE id, for OSV findings without severity.
    """
    # Findings are wrapped per component while it is merged, not all at once: at 100,000
    # components a wrapper per finding held for the whole call weighs on matching's peak memory.
    osv_of: dict[str, list[Finding]] = defaultdict(list)
    for finding in osv:
        osv_of[finding.component_ref].append(finding)
    nvd_of: dict[str, list[Finding]] = defaultdict(list)
    for finding in nvd:
        nvd_of[finding.component_ref].append(finding)
    cvss = nvd_cvss or {}
    merged: list[Finding] = []
    for ref in sorted(osv_of.keys() | nvd_of.keys()):
        members = [_Member(f, False) for f in osv_of.get(ref, ())]
        members += [_Member(f, True) for f in nvd_of.get(ref, ())]
        merged.extend(
            sorted((_merge(group, cvss) for group in _groups(members)), key=lambda f: f.advisory.id)
        )
    return tuple(merged)


def cve_ids(findings: Iterable[Finding]) -> tuple[str, ...]:
    """The CVE ids the findings name (ids and aliases): the NVD records to fetch for severity."""
    found = {
        name.upper()
        for finding in findings
        for name in (finding.advisory.id, *finding.advisory.aliases)
        if name.upper().startswith("CVE-")
    }
    return tuple(sorted(found))


def _key(identifier: str) -> str:
    return identifier.strip().upper()


def _groups(members: list[_Member]) -> list[list[_Member]]:
    """Members connected by a shared id or alias (union-find)."""
    parent = list(range(len(members)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    holder: dict[str, int] = {}
    for i, member in enumerate(members):
        for name in member.names:
            if name in holder:
                parent[root(i)] = root(holder[name])
            else:
                holder[name] = i
    groups: dict[int, list[_Member]] = defaultdict(list)
    for i, member in enumerate(members):
        groups[root(i)].append(member)
    return list(groups.values())


def _rank(member: _Member) -> tuple[bool, int, str, str]:
    ident = member.finding.advisory.id
    upper = ident.upper()
    kind = 2 if upper.startswith("CVE-") else 1 if upper.startswith("GHSA-") else 0
    return (member.from_nvd, kind, upper, member.finding.advisory.source)


def _merge(group: list[_Member], nvd_cvss: Mapping[str, Sequence[NvdCvss]]) -> Finding:
    if len(group) == 1 and _complete(group[0], nvd_cvss):
        return group[0].finding  # nothing to merge, no severity to borrow: most findings
    group = sorted(group, key=_rank)
    primary, others = group[0], group[1:]
    findings = [m.finding for m in group]
    severities, severity_note = _severities(group, nvd_cvss)
    notes: list[str] = [n for f in findings for n in f.notes]
    if severity_note:
        notes.append(severity_note)
    for other in others:
        advisory = other.finding.advisory
        where = "the NVD's CPE configurations" if other.from_nvd else f"source {advisory.source}"
        notes.append(f"also published as {advisory.id} ({where}); reported once")
    same_as = sorted(
        {m.finding.advisory.id for m in others} | set(primary.finding.same_as),
        key=str.upper,
    )
    return replace(
        primary.finding,
        severities=severities,
        affected_ranges=_union(f.affected_ranges for f in findings),
        fixed_versions=_fixed(group),
        notes=tuple(dict.fromkeys(notes)),
        same_as=tuple(s for s in same_as if s != primary.finding.advisory.id),
    )


def _severities(
    group: list[_Member], nvd_cvss: Mapping[str, Sequence[NvdCvss]]
) -> tuple[tuple[SeverityVector, ...], str | None]:
    osv = _union(m.finding.severities for m in group if not m.from_nvd)
    if osv:
        return osv, None
    cves = sorted({n for m in group for n in m.names if n.startswith("CVE-")})
    assessments = [a for cve in cves for a in nvd_cvss.get(cve, ())]
    from_findings = _union(m.finding.severities for m in group if m.from_nvd)
    vectors = _union([from_findings, tuple(a.severity for a in assessments)])
    if not vectors:
        return (), None
    has_osv = any(not m.from_nvd for m in group)
    used = "; ".join(a.describe() for a in assessments) or ", ".join(
        m.finding.advisory.id for m in group if m.from_nvd
    )
    if has_osv:
        return vectors, f"severity from the NVD ({used}): the OSV records give none"
    return vectors, f"severity from the NVD ({used})" if assessments else None


def _fixed(group: list[_Member]) -> tuple[str, ...]:
    """The package's fixed versions when an OSV record states the package's ranges: an NVD
    record's fix is a version of the CPE product, which for a package that bundles it (a crate
    carrying SQLite) is not a version of the package."""
    osv = [m.finding for m in group if not m.from_nvd]
    return _union(f.fixed_versions for f in (osv or [m.finding for m in group]))


def _complete(member: _Member, nvd_cvss: Mapping[str, Sequence[NvdCvss]]) -> bool:
    """A lone OSV finding that merging would return unchanged (an equal value, not a copy)."""
    finding = member.finding
    if member.from_nvd or finding.same_as:
        return False
    if not finding.severities and any(nvd_cvss.get(name) for name in member.names):
        return False
    return all(
        len(set(part)) == len(part)
        for part in (finding.affected_ranges, finding.fixed_versions, finding.notes)
    )


def _union(parts: Iterable[Iterable[_T]]) -> tuple[_T, ...]:
    return tuple(dict.fromkeys(item for part in parts for item in part))
