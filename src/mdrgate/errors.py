"""The root error type and the exit codes every failure maps to.

Every expected failure is an ``MdrgateError`` subclass that carries its exit code, so the CLI can
catch one type in one place. Anything else that escapes is a bug and exits 70: it must never look
like a pass (0) nor like a policy verdict (1).
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes; the README's table is generated from these docstrings' meaning."""

    PASS = 0
    """The gate passed: no policy rule failed."""
    POLICY_VIOLATED = 1
    """At least one policy rule failed; the evidence was still written."""
    USAGE = 2
    """The command line, the configuration or a policy file is invalid."""
    INPUT_UNREADABLE = 3
    """An input (lock file, register, feed) could not be read or parsed, or output not written."""
    DATA_UNUSABLE = 4
    """Vulnerability data is missing, empty, of another schema version or lacks an ecosystem."""
    VERIFICATION_FAILED = 5
    """Signing or verification of evidence failed."""
    INTERNAL = 70
    """An internal error (a bug): nothing can be concluded about the gate."""
    INTERRUPTED = 130
    """Interrupted (SIGINT, Ctrl-C): nothing can be concluded about the gate."""


class MdrgateError(Exception):
    """An expected failure with a message for people, the file it concerns and a hint."""

    exit_code: ExitCode = ExitCode.INTERNAL

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        location: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.location = location
        self.hint = hint

    def where(self) -> str:
        """``file:line`` or ``file: key.path`` prefix, empty when the error concerns no file."""
        if self.source and self.location:
            sep = ":" if self.location[:1].isdigit() else ": "
            return f"{self.source}{sep}{self.location}"
        return self.source or self.location or ""

    def diagnostics(self) -> str:
        """The full text shown to the user: where, what, and what to do about it."""
        where = self.where()
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text

    def __str__(self) -> str:
        return self.diagnostics()


class UsageError(MdrgateError):
    """The command line or a configuration/policy document is invalid."""

    exit_code = ExitCode.USAGE


class InputError(MdrgateError):
    """An input file exists (or should) but cannot be read or parsed."""

    exit_code = ExitCode.INPUT_UNREADABLE


class OutputError(MdrgateError):
    """Evidence or another output could not be written."""

    exit_code = ExitCode.INPUT_UNREADABLE


class DataError(MdrgateError):
    """The vulnerability database is missing, empty, stale or of another schema version."""

    exit_code = ExitCode.DATA_UNUSABLE


class VerificationError(MdrgateError):
    """Evidence could not be signed or did not verify."""

    exit_code = ExitCode.VERIFICATION_FAILED
