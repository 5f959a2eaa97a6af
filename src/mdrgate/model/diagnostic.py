"""Non-fatal problems met on the way, kept as data: reports show them and policy gates on them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

UNASSESSED_CODES = frozenset(
    {
        "no-exact-version",
        "unparsable-version",
        "no-vulnerability-source",
        "advisory-not-evaluable",
    }
)
"""Diagnostic codes meaning a component was not (fully) matched against vulnerability data
("cannot be assessed", or an advisory names it but cannot be decided for it); policy gates on
them and reports list the components concerned."""


class DiagnosticLevel(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A problem that degrades the result without aborting it.

    ``code`` is stable (policy rules and tests refer to it); ``message`` is for people.
    ``component`` is the bom-ref of the component concerned, if any.
    """

    code: str
    message: str
    level: DiagnosticLevel = DiagnosticLevel.WARNING
    path: str | None = None
    line: int | None = None
    component: str | None = None

    def sort_key(self) -> tuple[str, str, str, str, int, str]:
        level = self.level.value
        return (
            self.code,
            self.message,
            level,
            self.path or "",
            self.line or 0,
            self.component or "",
        )

    def __lt__(self, other: Diagnostic) -> bool:
        return self.sort_key() < other.sort_key()

    def location(self) -> str:
        if self.path and self.line:
            return f"{self.path}:{self.line}"
        return self.path or ""
