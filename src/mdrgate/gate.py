"""The one place that turns what happened into an exit code.

A verdict maps to 0 or 1; an expected failure to its documented code; anything unexpected to 70.
Keeping this in one function makes the exit-code table testable as a whole, and guarantees that a
crash can never be read as "the gate passed" nor as "the gate failed".

With a baseline (``check --baseline``) the gate counts only the failures the comparison does not
name as carried over: the comparison can excuse exactly the outcomes it lists, one for one, and
never more, so a failure it missed (or a comparison built for other outcomes) still fails the gate.
"""

from __future__ import annotations

from collections import Counter

from mdrgate.errors import ExitCode, MdrgateError
from mdrgate.model import RuleOutcome, RunResult, Verdict, VerdictStatus


def counted_failures(verdict: Verdict) -> tuple[RuleOutcome, ...]:
    """The failed outcomes the gate acts on: all, or those a baseline did not already have."""
    if verdict.baseline is None:
        return verdict.failures
    excused = Counter(c.outcome for c in verdict.baseline.carried_over)
    counted = []
    for failure in verdict.failures:
        if excused[failure] > 0:
            excused[failure] -= 1
        else:
            counted.append(failure)
    return tuple(counted)


def gate_status(verdict: Verdict) -> VerdictStatus:
    """The status the exit code reflects: the verdict's own, or with a baseline whether any
    failure is new."""
    if verdict.baseline is None:
        return verdict.status
    return VerdictStatus.FAIL if counted_failures(verdict) else VerdictStatus.PASS


def exit_code(outcome: RunResult | BaseException) -> ExitCode:
    """The process exit code for a finished run or for the exception that ended it."""
    if isinstance(outcome, RunResult):
        if gate_status(outcome.verdict) is VerdictStatus.PASS:
            return ExitCode.PASS
        return ExitCode.POLICY_VIOLATED
    if isinstance(outcome, MdrgateError):
        code = outcome.exit_code
        # A subclass misconfigured to claim a verdict would turn an error into a gate result.
        return code if code not in (ExitCode.PASS, ExitCode.POLICY_VIOLATED) else ExitCode.INTERNAL
    if isinstance(outcome, KeyboardInterrupt):
        return ExitCode.INTERRUPTED
    return ExitCode.INTERNAL
