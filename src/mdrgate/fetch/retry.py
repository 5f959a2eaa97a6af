"""When to try an HTTP request again, and how long to wait first.

Pure functions of the attempt number, the status and the ``Retry-After`` header, so the policy can
be tested without a network and without waiting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

NOT_TRANSIENT_5XX = frozenset({501, 505})
"""Server errors that say "never" (not implemented, HTTP version not supported), not "later"."""

TRANSIENT_4XX = frozenset({408, 425, 429})
"""Request timeout, too early, too many requests: the same request may succeed later."""


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how patiently a request is repeated.

    ``attempts`` counts every try, the first included. ``max_wait`` bounds the time spent waiting
    between attempts over the whole request, so a request never hangs for long on a server that
    keeps failing; a ``Retry-After`` longer than what is left of it ends the request at once.
    """

    attempts: int = 5
    backoff: float = 1.0
    """The wait after the first failure; it doubles with every further failure."""
    backoff_max: float = 30.0
    max_wait: float = 120.0

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("a request needs at least one attempt")
        if self.backoff < 0 or self.backoff_max < 0 or self.max_wait < 0:
            raise ValueError("waits cannot be negative")

    def backoff_delay(self, failures: int, jitter: float) -> float:
        """The wait after the ``failures``-th failure (1-based), with ``jitter`` in [0, 1).

        Exponential, capped, and "equal jitter": half of the step is fixed and half random, so
        clients that failed together do not come back together, yet never retry at once.
        """
        step = min(self.backoff_max, self.backoff * 2.0 ** (failures - 1))
        return step / 2 + step / 2 * min(max(jitter, 0.0), 1.0)


def is_transient(status: int) -> bool:
    """Whether an HTTP status is worth a retry (429, 408, 425 and 5xx but 501 and 505)."""
    if status in TRANSIENT_4XX:
        return True
    return 500 <= status <= 599 and status not in NOT_TRANSIENT_5XX


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait according to a ``Retry-After`` header (RFC 9110 section 10.2.3).

    The header is either a number of seconds or an HTTP-date; a date in the past means "now".
    ``None`` when the header is absent or unreadable: the caller falls back to its backoff.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if text.isdigit():
        return float(int(text))
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())
