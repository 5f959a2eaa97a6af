"""The interface every version scheme implements, so matchers stay independent of version syntax.

An ecosystem's versions are compared by exactly one scheme (PEP 440 for PyPI; SemVer, Go, Maven
and firmware schemes can follow). A scheme only parses: ordering and equality come from the parsed
values, and text it cannot parse yields ``None`` so that callers decide, visibly, what to assume.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Protocol


class Comparable(Protocol):
    """A parsed version: totally ordered among the values of its own scheme."""

    def __lt__(self, other: Any, /) -> bool: ...

    def __le__(self, other: Any, /) -> bool: ...

    def __gt__(self, other: Any, /) -> bool: ...

    def __ge__(self, other: Any, /) -> bool: ...


class VersionScheme(ABC):
    """Parses the version strings of one ecosystem into comparable values."""

    name: str
    """A short name (``PEP 440``) used in notes and diagnostics."""

    @abstractmethod
    def parse(self, text: str) -> Comparable | None:
        """The comparable value of ``text``, or ``None`` when ``text`` is not a version here."""

    def for_matching(self, text: str) -> tuple[Comparable | None, str | None]:
        """The value an installed version is matched as, and a note when it was adjusted.

        Plain :meth:`parse` by default; a scheme overrides it where the conservative reading of an
        installed version differs from its parsed value (PEP 440 local labels, for instance).
        """
        return self.parse(text), None

    def equal(self, a: str, b: str) -> bool:
        """Scheme equality when both sides parse, exact string equality otherwise."""
        pa, pb = self.parse(a), self.parse(b)
        if pa is not None and pb is not None:
            return pa == pb
        return a == b
