"""The values the database hands out for NVD, KEV, EPSS and endoflife.date data.

Frozen and typed, built only by :class:`mdrgate.vulndb.store.VulnDb`. NVD records also carry
their ``configurations`` and ``metrics`` in NVD's own JSON 2.0 shape (unknown keys dropped), which
is what :mod:`mdrgate.enrich.nvd_configurations` (``match_cve``) and
:mod:`mdrgate.enrich.nvd_cvss` (``nvd_cvss``) read; the typed fields are for everything else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from mdrgate.model.advisory import Advisory, Reference, SeverityVector
from mdrgate.model.exploitation import EpssScore, KevEntry
from mdrgate.vulndb.severity import score_vector

__all__ = [
    "CvssMetric",
    "DateOrFlag",
    "EolCycle",
    "EolProduct",
    "EpssScore",
    "KevEntry",
    "NvdCve",
    "NvdReference",
]

DateOrFlag = date | bool
"""endoflife.date's way of stating a moment: a date, or only whether it has passed."""

_CVSS_KEYS = (
    ("cvssMetricV40", "CVSS_V4"),
    ("cvssMetricV31", "CVSS_V3"),
    ("cvssMetricV30", "CVSS_V3"),
    ("cvssMetricV2", "CVSS_V2"),
)


@dataclass(frozen=True, slots=True)
class CvssMetric:
    """One CVSS assessment of an NVD record."""

    version: str
    """``4.0``, ``3.1``, ``3.0`` or ``2.0``."""
    vector: str
    base_score: float
    """The score the record publishes (NVD's, not recomputed here)."""
    source: str
    """Who assessed it: ``nvd@nist.gov`` or a CNA's address or identifier."""
    primary: bool
    """``type: Primary`` (the NVD's own analysis) rather than ``Secondary``."""

    @property
    def osv_type(self) -> str:
        """The OSV severity type of the vector: ``CVSS_V2``, ``CVSS_V3`` or ``CVSS_V4``."""
        return {"4": "CVSS_V4", "3": "CVSS_V3"}.get(self.version[:1], "CVSS_V2")


@dataclass(frozen=True, slots=True)
class NvdReference:
    url: str
    source: str | None
    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NvdCve:
    """An NVD CVE record as imported (one copy: the newest when several sources hold it)."""

    id: str
    source: str
    """The database source it came from (``nvd/2015``)."""
    published: datetime | None
    last_modified: datetime | None
    vuln_status: str | None
    """``Analyzed``, ``Modified``, ``Deferred``, ``Rejected``, ``Awaiting Analysis``..."""
    descriptions: tuple[tuple[str, str], ...]
    """(language, text) in record order."""
    cvss: tuple[CvssMetric, ...]
    """Every CVSS assessment, newest CVSS version first, in record order within a version."""
    weaknesses: tuple[str, ...]
    """CWE ids (or NVD's ``NVD-CWE-Other``/``NVD-CWE-noinfo``), each once, in record order."""
    references: tuple[NvdReference, ...]
    configurations: list[Any] = field(compare=False)
    """NVD JSON 2.0 ``configurations`` (the input of ``match_cve``); empty when NVD gives none."""
    metrics: dict[str, Any] = field(compare=False)
    """NVD JSON 2.0 ``metrics`` reduced to the CVSS lists (the input of ``nvd_cvss``)."""

    @property
    def rejected(self) -> bool:
        """A rejected CVE id: kept so that it is known, never to be reported as a finding."""
        return self.vuln_status == "Rejected"

    @property
    def description(self) -> str | None:
        """The English description, else the first one."""
        for lang, text in self.descriptions:
            if lang == "en":
                return text
        return self.descriptions[0][1] if self.descriptions else None

    def advisory(self) -> Advisory:
        """The record as an :class:`Advisory` (no ``affected``: NVD states configurations).

        Severities: every CVSS vector with its computed score, Primary assessments first; a
        rejected CVE is ``withdrawn`` at its last modification.
        """
        ordered = sorted(self.cvss, key=lambda m: not m.primary)
        severities = tuple(
            dict.fromkeys(
                SeverityVector(m.osv_type, m.vector, score_vector(m.osv_type, m.vector)[0])
                for m in ordered
            )
        )
        return Advisory(
            id=self.id,
            source=self.source,
            details=self.description,
            published=self.published,
            modified=self.last_modified,
            withdrawn=self.last_modified if self.rejected else None,
            severities=severities,
            references=tuple(
                Reference(",".join(r.tags) if r.tags else "WEB", r.url) for r in self.references
            ),
        )


@dataclass(frozen=True, slots=True)
class EolCycle:
    """One release cycle of an endoflife.date product."""

    product: str
    cycle: str
    codename: str | None
    release_date: date | None
    eol: DateOrFlag | None
    """End of life: a date, ``True`` (ended, date unknown), ``False`` (not announced)."""
    support: DateOrFlag | None
    """End of active support: a date, or ``True`` = still supported / ``False`` = not."""
    extended_support: DateOrFlag | None
    lts: DateOrFlag | None
    """Long-term support: a flag, or the date it became LTS."""
    discontinued: DateOrFlag | None
    latest: str | None
    latest_release_date: date | None
    link: str | None

    def eol_on(self, day: date) -> bool | None:
        """Whether the cycle is past end of life on ``day``; ``None`` if the data does not say."""
        if isinstance(self.eol, bool):
            return self.eol
        if isinstance(self.eol, date):
            return day >= self.eol
        return None


@dataclass(frozen=True, slots=True)
class EolProduct:
    """An endoflife.date product with its cycles, newest first as published."""

    name: str
    title: str | None
    category: str | None
    identifiers: tuple[tuple[str, str], ...]
    """(type, value): ``("purl", "pkg:pypi/django")``, ``("cpe", "cpe:2.3:a:...")``."""
    cycles: tuple[EolCycle, ...]
    source: str


def nvd_time(text: str | None) -> datetime | None:
    """NVD timestamps are UTC without a zone (``2024-01-31T08:15:42.220``)."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text[:26] if "." in text else text)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def cvss_metrics(metrics: dict[str, Any]) -> tuple[CvssMetric, ...]:
    out: list[CvssMetric] = []
    for key, _ in _CVSS_KEYS:
        for entry in metrics.get(key, ()):
            data = entry["cvssData"]
            out.append(
                CvssMetric(
                    version=data["version"],
                    vector=data["vectorString"],
                    base_score=float(data["baseScore"]),
                    source=entry["source"],
                    primary=entry["type"] == "Primary",
                )
            )
    return tuple(out)


def date_or_flag(text: str | None) -> DateOrFlag | None:
    if text is None:
        return None
    if text in ("true", "false"):
        return text == "true"
    return date.fromisoformat(text)


def day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
