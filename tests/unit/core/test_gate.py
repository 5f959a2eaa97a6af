"""The exit-code table, walked over every outcome kind: one function decides, and a crash is 70."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mdrgate.errors import (
    DataError,
    ExitCode,
    InputError,
    MdrgateError,
    OutputError,
    UsageError,
    VerificationError,
)
from mdrgate.gate import exit_code
from mdrgate.model import (
    Inventory,
    OutcomeStatus,
    Product,
    RuleOutcome,
    RunResult,
    Verdict,
)

NOW = datetime(2026, 11, 28, tzinfo=UTC)


def _result(*statuses: OutcomeStatus) -> RunResult:
    outcomes = [
        RuleOutcome("R-1", "t", status, f"s{i}", f"s{i}", "m") for i, status in enumerate(statuses)
    ]
    return RunResult(
        product=Product("p", "1"),
        inventory=Inventory(),
        findings=(),
        diagnostics=(),
        verdict=Verdict.from_outcomes(outcomes),
        inputs=(),
        policies=(),
        database=(),
        database_path=None,
        started_at=NOW,
        finished_at=NOW,
        tool_version="0",
    )


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ((), ExitCode.PASS),
        ((OutcomeStatus.PASS,), ExitCode.PASS),
        ((OutcomeStatus.WARN, OutcomeStatus.INFO), ExitCode.PASS),
        ((OutcomeStatus.PASS, OutcomeStatus.FAIL), ExitCode.POLICY_VIOLATED),
        ((OutcomeStatus.FAIL,), ExitCode.POLICY_VIOLATED),
    ],
)
def test_verdicts(statuses: tuple[OutcomeStatus, ...], expected: ExitCode) -> None:
    assert exit_code(_result(*statuses)) is expected


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (UsageError("x"), ExitCode.USAGE),
        (InputError("x"), ExitCode.INPUT_UNREADABLE),
        (OutputError("x"), ExitCode.INPUT_UNREADABLE),
        (DataError("x"), ExitCode.DATA_UNUSABLE),
        (VerificationError("x"), ExitCode.VERIFICATION_FAILED),
        (MdrgateError("x"), ExitCode.INTERNAL),
        (RuntimeError("boom"), ExitCode.INTERNAL),
        (KeyError("k"), ExitCode.INTERNAL),
        (KeyboardInterrupt(), ExitCode.INTERRUPTED),
    ],
)
def test_errors(error: BaseException, expected: ExitCode) -> None:
    assert exit_code(error) is expected


def test_an_error_can_never_claim_a_verdict() -> None:
    class Confused(MdrgateError):
        exit_code = ExitCode.POLICY_VIOLATED

    class Optimist(MdrgateError):
        exit_code = ExitCode.PASS

    assert exit_code(Confused("x")) is ExitCode.INTERNAL
    assert exit_code(Optimist("x")) is ExitCode.INTERNAL


def test_codes_are_distinct_and_documented() -> None:
    values = [int(c) for c in ExitCode]
    assert len(values) == len(set(values))
    assert {0, 1, 2, 3, 4, 70} <= set(values)
