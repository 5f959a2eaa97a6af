"""A match of an advisory against a component."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from mdrgate.model.advisory import Advisory, SeverityVector
from mdrgate.model.exploitation import EpssScore, KevEntry


class Rating(StrEnum):
    """Qualitative severity (CVSS v3/v4 bands); ``unknown`` when no usable score exists."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    NONE = "none"
    UNKNOWN = "unknown"

    @classmethod
    def from_score(cls, score: float | None) -> Rating:
        if score is None:
            return cls.UNKNOWN
        if score >= 9.0:
            return cls.CRITICAL
        if score >= 7.0:
            return cls.HIGH
        if score >= 4.0:
            return cls.MEDIUM
        if score > 0.0:
            return cls.LOW
        return cls.NONE


@dataclass(frozen=True, slots=True)
class Finding:
    """An advisory that affects a component at its exact version.

    ``score`` is the highest base score among the advisory's (and the affected entry's) vectors:
    the conservative choice when several CVSS versions or sources disagree. ``notes`` say when the
    match was decided conservatively (an unparsable range bound, for example).
    """

    component_ref: str
    advisory: Advisory
    severities: tuple[SeverityVector, ...]
    affected_ranges: tuple[str, ...] = ()
    fixed_versions: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    same_as: tuple[str, ...] = ()
    """Ids of other findings of this component for the same vulnerability (advisories that are
    aliases of each other, e.g. a PYSEC and a GHSA record of one CVE), merged into this one."""
    kev: KevEntry | None = None
    """The CISA KEV entry of one of the vulnerability's CVE ids: exploited in the wild."""
    epss: EpssScore | None = None
    """FIRST's EPSS score of the vulnerability's CVE (the highest when it has several)."""

    @property
    def cve_ids(self) -> tuple[str, ...]:
        """The CVE ids naming this vulnerability: the advisory's id, aliases and merged ids."""
        names = (self.advisory.id, *self.advisory.aliases, *self.same_as)
        return tuple(sorted({n.strip().upper() for n in names if n.upper().startswith("CVE-")}))

    @property
    def score(self) -> float | None:
        scores = [s.score for s in self.severities if s.score is not None]
        return max(scores) if scores else None

    @property
    def rating(self) -> Rating:
        return Rating.from_score(self.score)

    @property
    def key(self) -> tuple[str, str]:
        return (self.component_ref, self.advisory.id)
