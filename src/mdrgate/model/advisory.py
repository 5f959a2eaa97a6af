"""Vulnerability advisories as the local database holds them (OSV-shaped)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class RangeEvent:
    """One OSV range event: ``kind`` is introduced, fixed, last_affected or limit."""

    kind: str
    version: str


@dataclass(frozen=True, slots=True)
class AffectedRange:
    """An OSV range: ``type`` is ECOSYSTEM, SEMVER or GIT; ``repo`` only for GIT."""

    type: str
    events: tuple[RangeEvent, ...]
    repo: str | None = None

    def describe(self) -> str:
        return ", ".join(f"{e.kind} {e.version}" for e in self.events)


@dataclass(frozen=True, slots=True)
class AffectedPackage:
    """One ``affected[]`` entry of an advisory."""

    ecosystem: str
    name: str
    purl: str | None
    ranges: tuple[AffectedRange, ...]
    versions: tuple[str, ...]
    severities: tuple[SeverityVector, ...] = ()


@dataclass(frozen=True, slots=True)
class SeverityVector:
    """A severity as published: ``type`` as in OSV (``CVSS_V3``...), the vector and its base score.

    ``score`` is computed from the vector by a CVSS library; ``None`` when the vector is not valid.
    """

    type: str
    vector: str
    score: float | None


@dataclass(frozen=True, slots=True)
class Reference:
    type: str
    url: str


@dataclass(frozen=True, slots=True)
class Advisory:
    """A vulnerability record. ``source`` names the database source it was imported from."""

    id: str
    source: str
    aliases: tuple[str, ...] = ()
    summary: str | None = None
    details: str | None = None
    published: datetime | None = None
    modified: datetime | None = None
    withdrawn: datetime | None = None
    severities: tuple[SeverityVector, ...] = ()
    references: tuple[Reference, ...] = ()
    affected: tuple[AffectedPackage, ...] = ()

    @property
    def title(self) -> str:
        """A one-line title: the summary, else the first line of the details."""
        if self.summary:
            return self.summary
        if self.details:
            first = self.details.strip().splitlines()[0] if self.details.strip() else ""
            return first if len(first) <= 160 else first[:157] + "..."
        return self.id
