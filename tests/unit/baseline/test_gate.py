"""The gate with a baseline: it excuses exactly the carried-over failures, one for one, no more."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from mdrgate.errors import ExitCode
from mdrgate.gate import counted_failures, exit_code, gate_status
from mdrgate.model import (
    Inventory,
    OutcomeStatus,
    Product,
    RuleOutcome,
    RunResult,
    Verdict,
    VerdictStatus,
)
from mdrgate.model.baseline import (
    BaselineComparison,
    BaselineFailure,
    BaselineSource,
    CarriedOver,
    MatchedBy,
)

NOW = datetime(2026, 11, 28, tzinfo=UTC)
SOURCE = BaselineSource("b.json", "0" * 64, "1.2", "0", "p", "1", "t0", "t1", "fail", ())
A = RuleOutcome("R-1", "t", OutcomeStatus.FAIL, "pkg:pypi/a@1", "a 1", "m")
B = RuleOutcome("R-1", "t", OutcomeStatus.FAIL, "pkg:pypi/b@1", "b 1", "m")
WAS = BaselineFailure("R-1", "pkg:pypi/a@1", "a 1", None, "m")


def _result(outcomes: list[RuleOutcome], carried: list[RuleOutcome]) -> RunResult:
    comparison = BaselineComparison(
        SOURCE,
        new=(),
        carried_over=tuple(CarriedOver(o, WAS, MatchedBy.SAME) for o in carried),
        resolved=(),
    )
    verdict = replace(Verdict.from_outcomes(outcomes), baseline=comparison)
    return RunResult(
        product=Product("p", "1"),
        inventory=Inventory(),
        findings=(),
        diagnostics=(),
        verdict=verdict,
        inputs=(),
        policies=(),
        database=(),
        database_path=None,
        started_at=NOW,
        finished_at=NOW,
        tool_version="0",
    )


def test_only_carried_over_failures_pass() -> None:
    result = _result([A], [A])
    assert result.verdict.status is VerdictStatus.FAIL  # the policy still fails
    assert gate_status(result.verdict) is VerdictStatus.PASS
    assert exit_code(result) is ExitCode.PASS


def test_a_failure_the_comparison_does_not_list_fails() -> None:
    # Even a comparison whose ``new`` is empty cannot excuse what it does not name.
    result = _result([A, B], [A])
    assert counted_failures(result.verdict) == (B,)
    assert exit_code(result) is ExitCode.POLICY_VIOLATED


def test_one_carried_over_entry_excuses_one_outcome() -> None:
    result = _result([A, A], [A])
    assert counted_failures(result.verdict) == (A,)
    assert exit_code(result) is ExitCode.POLICY_VIOLATED


def test_an_entry_for_an_outcome_not_in_the_run_excuses_nothing() -> None:
    result = _result([A], [B])
    assert exit_code(result) is ExitCode.POLICY_VIOLATED


def test_without_baseline_the_verdict_decides() -> None:
    verdict = Verdict.from_outcomes([A])
    assert verdict.baseline is None
    assert counted_failures(verdict) == (A,)
    assert gate_status(verdict) is VerdictStatus.FAIL
