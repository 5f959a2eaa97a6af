"""The CVSS assessments of an NVD CVE record, for findings whose own record gives no severity.

An NVD record's ``metrics`` hold one list per CVSS version (``cvssMetricV40``, ``V31``, ``V30``,
``V2``). Each entry is ``Primary`` (NVD's own analysis, source ``nvd@nist.gov``) or ``Secondary``
(the CNA's or another contributor's). The Primary entries are used when the record has any,
the Secondary ones only otherwise: NVD's analysis is made by one party for every CVE, so scores
from it are comparable across findings. Every CVSS version of the chosen kind is kept (as an
OSV record lists several vectors), and, as for OSV vectors, a finding's score is the highest.

Scores are computed from the vectors (:func:`mdrgate.vulndb.severity.score_vector`), never
copied from the record's ``baseScore``; the published score is kept beside it for comparison.
Other keys of ``metrics`` (``ssvcV203``) are ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mdrgate.model.advisory import SeverityVector
from mdrgate.vulndb.severity import score_vector

_VERSIONS = (
    ("cvssMetricV40", "CVSS_V4", "4.0"),
    ("cvssMetricV31", "CVSS_V3", "3.1"),
    ("cvssMetricV30", "CVSS_V3", "3.0"),
    ("cvssMetricV2", "CVSS_V2", "2.0"),
)


class MetricsError(ValueError):
    """``metrics`` that do not have the NVD JSON 2.0 shape; the message gives the path."""


@dataclass(frozen=True, slots=True)
class NvdCvss:
    """One CVSS assessment taken from an NVD record, with where it came from."""

    cve: str
    severity: SeverityVector
    cvss_version: str
    """``4.0``, ``3.1``, ``3.0`` or ``2.0``."""
    source: str
    """Who assessed it: ``nvd@nist.gov`` for NVD, a CNA's address or identifier otherwise."""
    primary: bool
    published_score: float | None = None
    """The record's ``baseScore``, when it gives one."""

    def describe(self) -> str:
        """``CVE-2015-10085 CVSS 3.1 7.5 (Primary, nvd@nist.gov)``."""
        score = self.severity.score
        shown = "no valid score" if score is None else f"{score:.1f}"
        kind = "Primary" if self.primary else "Secondary"
        return f"{self.cve} CVSS {self.cvss_version} {shown} ({kind}, {self.source})"


def nvd_cvss(cve: str, metrics: object, *, where: str = "metrics") -> tuple[NvdCvss, ...]:
    """The assessments a finding takes from the record: Primary ones if any, newest CVSS first.

    An absent ``metrics`` (``None``) gives none; a malformed one raises MetricsError.
    """
    if metrics is None:
        return ()
    if not isinstance(metrics, Mapping):
        raise MetricsError(f"{cve}: {where}: expected an object, found {type(metrics).__name__}")
    found: list[NvdCvss] = []
    for key, kind, version in _VERSIONS:
        entries = metrics.get(key)
        if entries is None:
            continue
        if not isinstance(entries, list):
            raise MetricsError(f"{cve}: {where}.{key}: expected a list")
        for i, entry in enumerate(entries):
            found.append(_assessment(cve, entry, kind, version, f"{where}.{key}[{i}]"))
    primary = [a for a in found if a.primary]
    chosen = primary or found
    return tuple(dict.fromkeys(chosen))


def _assessment(cve: str, raw: object, kind: str, version: str, path: str) -> NvdCvss:
    if not isinstance(raw, Mapping):
        raise MetricsError(f"{cve}: {path}: expected an object")
    role = raw.get("type")
    if role not in ("Primary", "Secondary"):
        raise MetricsError(f"{cve}: {path}.type: expected 'Primary' or 'Secondary', found {role!r}")
    source = raw.get("source")
    if not isinstance(source, str) or not source:
        raise MetricsError(f"{cve}: {path}.source: expected a string, found {source!r}")
    data = raw.get("cvssData")
    vector = data.get("vectorString") if isinstance(data, Mapping) else None
    if not isinstance(vector, str) or not vector:
        raise MetricsError(f"{cve}: {path}.cvssData.vectorString: expected a CVSS vector")
    published = data.get("baseScore") if isinstance(data, Mapping) else None
    score, _ = score_vector(kind, vector)
    return NvdCvss(
        cve=cve,
        severity=SeverityVector(kind, vector, score),
        cvss_version=version,
        source=source,
        primary=role == "Primary",
        published_score=float(published) if isinstance(published, int | float) else None,
    )
