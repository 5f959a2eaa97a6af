"""What public end-of-life data says about a component's support: its endoflife.date release cycle.

One value per component that an endoflife.date product names (by purl or CPE), built by
:mod:`mdrgate.enrich.support`. The policy's end-of-support rule judges it next to the SOUP
register's own statement, and the evidence keeps it, so an auditor can see which product and
cycle a date came from and how the component was tied to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

DateOrFlag = date | bool
"""endoflife.date's way of stating a moment: a date, or only whether it has passed (``True``)."""

EOL_SITE = "endoflife.date"


class MatchedBy(StrEnum):
    """Which of the component's identifiers named the product."""

    PURL = "purl"
    CPE = "cpe"


@dataclass(frozen=True, slots=True, order=True)
class ProductMatch:
    """One identifier of the component that a product's ``identifiers`` list: ``purl`` with the
    versionless purl, or ``cpe`` with ``vendor:product``."""

    by: MatchedBy
    key: str

    def __str__(self) -> str:
        return f"{self.by.value} {self.key}"


@dataclass(frozen=True, slots=True)
class SupportFacts:
    """A component's endoflife.date product and, when its version belongs to one, release cycle.

    ``cycle`` is ``None`` when the version (or the lack of one) fits none of the product's
    cycles: the product is known, the support dates are not, and ``notes`` says why. Dates and
    flags are as endoflife.date publishes them: ``eol`` is the date support ends (the cycle is
    past end of life *on* that day), ``True`` when ended without a date, ``False`` when no end is
    announced; ``support`` is the end of active support (``True`` = still active);
    ``extended_support`` the end of (often paid) extended support.
    """

    component: str
    """The component's bom-ref."""
    product: str
    """endoflife.date product name (``openssl``, ``python``)."""
    product_title: str | None
    matched: tuple[ProductMatch, ...]
    """The component identifiers that named ``product``, sorted."""
    source: str
    """The vulnerability-database source the data came from (``eol``)."""
    cycle: str | None
    version: str | None
    """The component version the cycle was chosen for."""
    eol: DateOrFlag | None = None
    support: DateOrFlag | None = None
    extended_support: DateOrFlag | None = None
    lts: DateOrFlag | None = None
    release_date: date | None = None
    latest: str | None = None
    latest_release_date: date | None = None
    codename: str | None = None
    link: str | None = None
    notes: tuple[str, ...] = ()
    """How the choice was made when it was not plain (other products named, no cycle found)."""

    @property
    def cycle_known(self) -> bool:
        return self.cycle is not None

    @property
    def eol_date(self) -> date | None:
        """The end-of-life date when one is published."""
        return self.eol if isinstance(self.eol, date) else None

    def eol_on(self, day: date) -> bool | None:
        """Whether the cycle is past end of life on ``day``; ``None`` when the data does not say
        (no cycle, or no ``eol`` published)."""
        if self.cycle is None:
            return None
        if isinstance(self.eol, bool):
            return self.eol
        if isinstance(self.eol, date):
            return day >= self.eol
        return None

    @property
    def label(self) -> str:
        """``endoflife.date openssl cycle 1.1.1`` (or just the product when no cycle is known)."""
        base = f"{EOL_SITE} {self.product}"
        return f"{base} cycle {self.cycle}" if self.cycle is not None else base

    def describe(self) -> str:
        """One evidence line: ``endoflife.date openssl cycle 1.1.1: eol 2023-09-11``."""
        if self.cycle is None:
            return f"{self.label}: no release cycle for {self._version_text()}"
        parts = [
            f"eol {_moment(self.eol, true='reached (no date published)', false='not announced')}"
        ]
        if self.support is not None:
            parts.append(
                "active support "
                + _moment(self.support, true="ongoing", false="ended", prefix="until ")
            )
        if self.extended_support is True or isinstance(self.extended_support, date):
            parts.append(
                "extended support "
                + _moment(self.extended_support, true="ongoing", false="", prefix="until ")
            )
        if isinstance(self.lts, date):
            parts.append(f"LTS from {self.lts.isoformat()}")
        elif self.lts:
            parts.append("LTS")
        if self.latest:
            when = f" ({self.latest_release_date.isoformat()})" if self.latest_release_date else ""
            parts.append(f"latest {self.latest}{when}")
        return f"{self.label}: {', '.join(parts)}"

    def matched_text(self) -> str:
        """``matched by cpe python:python`` for the evidence."""
        return "matched by " + ", ".join(str(m) for m in self.matched)

    def _version_text(self) -> str:
        return f"version {self.version}" if self.version else "an unknown version"


def _moment(value: DateOrFlag | None, *, true: str, false: str, prefix: str = "") -> str:
    """A date or flag as text, with the field's own words for ``True`` and ``False``."""
    if isinstance(value, bool):
        return true if value else false
    if isinstance(value, date):
        return f"{prefix}{value.isoformat()}"
    return "not stated"
