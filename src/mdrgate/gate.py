"""The one place that turns what happened into an exit code.

A verdict maps to 0 or 1; an expected failure to its documented code; anything unexpected to 70.
Keeping this in one function makes the exit-code table testable as a whole, and guarantees that a
crash can never be read as "the gate passed" nor as "the gate failed".
"""

from __future__ import annotations

from mdrgate.errors import ExitCode, MdrgateError
from mdrgate.model import RunResult, VerdictStatus


def exit_code(outcome: RunResult | BaseException) -> ExitCode:
    """The process exit code for a finished run or for the exception that ended it."""
    if isinstance(outcome, RunResult):
        if outcome.verdict.status is VerdictStatus.PASS:
            return ExitCode.PASS
        return ExitCode.POLICY_VIOLATED
    if isinstance(outcome, MdrgateError):
        code = outcome.exit_code
        # A subclass misconfigured to claim a verdict would turn an error into a gate result.
        return code if code not in (ExitCode.PASS, ExitCode.POLICY_VIOLATED) else ExitCode.INTERNAL
    if isinstance(outcome, KeyboardInterrupt):
        return ExitCode.INTERRUPTED
    return ExitCode.INTERNAL
