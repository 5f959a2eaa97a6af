"""How old the vulnerability data is, and whether it is too old to gate on.

A source's age runs from when its publisher produced the data (``captured_at``: the NVD feed's
timestamp, the KEV catalog's release, the EPSS score date, or what ``db import --captured-at``
was told) or, when that is unknown, from its newest record change (an OSV export states no
capture time). The import date says nothing about how old the data was when imported. When
``db update`` last confirmed the data is the publisher's current version (``checked_at``: it
downloaded it, or the server answered *304 Not Modified*), the age runs from then if that is
later: a catalog nobody changed for ten days is ten days old but not out of date. A source whose
age cannot be told counts as too old: fail closed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from mdrgate.model.run import DbProvenance

DEFAULT_MAX_AGE_DAYS = 7.0
"""``check``'s default limit: a week-old database is refused (OSV and NVD change daily)."""


def age_days(source: DbProvenance, now: datetime) -> float | None:
    """Days the data is old at ``now`` (see the module); ``None`` if unknown."""

    def days(text: str | None) -> float | None:
        when = moment(text)
        return None if when is None else round((now - when).total_seconds() / 86400, 1)

    return combined_age(
        days(source.captured_at), days(source.newest_modified), days(source.checked_at)
    )


def combined_age(
    captured: float | None, newest_record: float | None, checked: float | None
) -> float | None:
    """The capture's age, else the newest record's; the last confirmation's when younger."""
    age = captured if captured is not None else newest_record
    if checked is not None and (age is None or checked < age):
        return checked
    return age


def too_old(sources: Iterable[DbProvenance], now: datetime, max_days: float) -> tuple[str, ...]:
    """A sentence per source older than ``max_days`` (or of unknown age), in source order."""
    found = (age_problem(s.source, age_days(s, now), max_days) for s in sources)
    return tuple(problem for problem in found if problem is not None)


def age_problem(source: str, age: float | None, max_days: float) -> str | None:
    """Why a source of this age is too old, or ``None`` when it is recent enough."""
    if age is None:
        return f"{source}: the age of its data is unknown"
    if age > max_days:
        return f"{source}: its data is {age:.0f} days old (maximum {max_days:g})"
    return None


def moment(text: str | None) -> datetime | None:
    """A stored timestamp; ``None`` if absent, unparsable, zone-less or the ``0001`` placeholder."""
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    return None if when.year <= 1 or when.tzinfo is None else when
