"""The retry policy: which statuses are transient, how long to wait, how Retry-After is read."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mdrgate.fetch import RetryPolicy, is_transient, parse_retry_after

NOW = datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "transient"),
    [
        (200, False),
        (304, False),
        (400, False),
        (401, False),
        (403, False),
        (404, False),
        (408, True),
        (425, True),
        (429, True),
        (500, True),
        (501, False),
        (502, True),
        (503, True),
        (504, True),
        (505, False),
        (599, True),
    ],
)
def test_transient_statuses(status: int, transient: bool) -> None:
    assert is_transient(status) is transient


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("120", 120.0),
        (" 0 ", 0.0),
        ("Sat, 28 Nov 2026 12:01:30 GMT", 90.0),  # IMF-fixdate
        ("Saturday, 28-Nov-26 12:00:05 GMT", 5.0),  # obsolete RFC 850 form
        ("Sat Nov 28 12:00:10 2026", 10.0),  # asctime, no zone: GMT by definition
        ("Fri, 27 Nov 2026 12:00:00 GMT", 0.0),  # in the past: now
    ],
)
def test_retry_after_forms(header: str, seconds: float) -> None:
    assert parse_retry_after(header, NOW) == seconds


@pytest.mark.parametrize("header", [None, "", "soon", "-5", "1.5", "Sat, 99 Nov 2026"])
def test_unreadable_retry_after_falls_back(header: str | None) -> None:
    assert parse_retry_after(header, NOW) is None


def test_backoff_doubles_up_to_the_cap() -> None:
    policy = RetryPolicy(backoff=1.0, backoff_max=8.0)
    assert [policy.backoff_delay(n, 0.0) for n in range(1, 7)] == [0.5, 1, 2, 4, 4, 4]
    assert [policy.backoff_delay(n, 0.999) for n in range(1, 5)] == pytest.approx(
        [0.9995, 1.999, 3.998, 7.996]
    )


@given(
    failures=st.integers(min_value=1, max_value=60),
    jitter=st.floats(min_value=0.0, max_value=1.0, exclude_max=True),
    backoff=st.floats(min_value=0.0, max_value=10.0),
    cap=st.floats(min_value=0.0, max_value=120.0),
)
def test_backoff_stays_within_half_and_whole_step(
    failures: int, jitter: float, backoff: float, cap: float
) -> None:
    policy = RetryPolicy(backoff=backoff, backoff_max=cap)
    step = min(cap, backoff * 2.0 ** (failures - 1))
    delay = policy.backoff_delay(failures, jitter)
    assert step / 2 <= delay <= step
    assert delay <= policy.backoff_delay(failures + 1, jitter)


def test_a_policy_needs_an_attempt() -> None:
    with pytest.raises(ValueError, match="at least one attempt"):
        RetryPolicy(attempts=0)
