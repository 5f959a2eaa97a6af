"""A small version-range language, one for every version scheme (waivers and selectors use it).

A waiver must say which versions it covers; "this package" alone would carry an exception over to
every later release without anyone deciding so. The language::

    range  := group ( "||" group )*        any group holds (OR)
    group  := clause ( "," clause )*       every clause holds (AND)
    clause := op version                   op is one of == != < <= > >=

``>=2.0,<2.31.0``, ``==1.26.4``, ``<1.0 || >=1.2,<1.3``. Blanks around operators and separators
are ignored; a version holds no blank, ``,`` or ``|``. There is no "any version", no wildcard
(``==1.*``), no ``~=``, ``^`` or ``~``: each would widen a range beyond what its words show.

Versions are compared by the component's scheme (:mod:`mdrgate.versioning`). On PyPI each clause
is a PEP 440 version specifier and means what PEP 440 says (``packaging``, as pip does), including
its two exclusions: ``<V`` takes in no pre-release of V itself, ``>V`` no post-release of V;
pre-releases between the bounds are in the range (a range is an interval, not an installer's
preference) and ``==V`` holds for V's local builds (``1.0+deb1``). On ordinary releases this
agrees with the other schemes, where ``<``, ``==``… are the scheme's own order and equality.

A bound or a version the scheme cannot read makes the question undecidable: :meth:`contains`
raises :class:`RangeError` instead of answering, so that no caller mistakes "cannot say" for
"outside" or "inside".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from packaging.specifiers import InvalidSpecifier, Specifier

from mdrgate.versioning.base import Comparable, VersionScheme
from mdrgate.versioning.pep440 import Pep440

OPERATORS = ("==", "!=", "<", "<=", ">", ">=")

_CLAUSE = re.compile(r"(==|!=|<=|>=|<|>)\s*(\S+)")
_FOREIGN = re.compile(r"(===|~=|\^|~|=>|=<|=(?!=))")
_INSTEAD = {
    "===": "'==' (the scheme's equality)",
    "=": "'==' for one version",
    "=>": "'>='",
    "=<": "'<='",
    "~=": "both bounds: '>=2.25,<3' for '~=2.25'",
}


class RangeError(ValueError):
    """A range that cannot be read, or not compared in a scheme; the message says why."""


@dataclass(frozen=True, slots=True)
class Clause:
    op: str
    version: str

    def __str__(self) -> str:
        return f"{self.op}{self.version}"


@dataclass(frozen=True, slots=True)
class VersionRange:
    """Groups of clauses: a version is in the range when every clause of some group holds."""

    groups: tuple[tuple[Clause, ...], ...]

    def __str__(self) -> str:
        return " || ".join(",".join(str(c) for c in group) for group in self.groups)

    @property
    def clauses(self) -> tuple[Clause, ...]:
        return tuple(c for group in self.groups for c in group)

    def check(self, scheme: VersionScheme) -> None:
        """RangeError naming the first bound ``scheme`` cannot read."""
        for clause in self.clauses:
            _bound(clause, scheme)

    def contains(self, version: str, scheme: VersionScheme) -> bool:
        """Whether ``version`` is in the range; RangeError when the scheme cannot decide."""
        bounds = [[(c, _bound(c, scheme)) for c in group] for group in self.groups]
        if isinstance(scheme, Pep440):
            if scheme.parse(version) is None:
                raise RangeError(f"{version!r} is {not_a_version(scheme)}")
            return any(
                all(spec.contains(version, prereleases=True) for _, spec in group)
                for group in bounds
            )
        value = scheme.parse(version)
        if value is None:
            raise RangeError(f"{version!r} is {not_a_version(scheme)}")
        return any(all(_holds(c.op, value, bound) for c, bound in group) for group in bounds)


def version_words(scheme: VersionScheme) -> str:
    """``PEP 440 version``, ``firmware version``: what a version of the scheme is called."""
    return scheme.name if scheme.name.endswith("version") else f"{scheme.name} version"


def not_a_version(scheme: VersionScheme) -> str:
    return f"not a valid {version_words(scheme)}"


def _bound(clause: Clause, scheme: VersionScheme) -> Any:
    """The clause's bound as ``scheme`` reads it (a PEP 440 Specifier on PyPI)."""
    if isinstance(scheme, Pep440):
        try:
            return Specifier(str(clause))
        except InvalidSpecifier:
            raise RangeError(
                f"{str(clause)!r} is not a valid {scheme.name} version specifier"
            ) from None
    value = scheme.parse(clause.version)
    if value is None:
        raise RangeError(f"{clause.version!r} in {str(clause)!r} is {not_a_version(scheme)}")
    return value


def _holds(op: str, value: Comparable, bound: Comparable) -> bool:
    if op == "==":
        return value == bound
    if op == "!=":
        return value != bound
    if op == "<":
        return value < bound
    if op == "<=":
        return value <= bound
    if op == ">":
        return value > bound
    return value >= bound


@lru_cache(maxsize=4096)
def parse_range(text: str) -> VersionRange:
    """The range ``text`` states; RangeError saying what is wrong and how to write it."""
    if not text.strip():
        raise RangeError("the range is empty; state the versions, e.g. '==1.2.3' or '>=1.0,<2.0'")
    groups: list[tuple[Clause, ...]] = []
    for group_text in text.split("||"):
        if not group_text.strip():
            raise RangeError(f"{text!r}: '||' needs a group of clauses on both sides")
        clauses: list[Clause] = []
        for clause_text in group_text.split(","):
            clauses.append(_clause(clause_text.strip(), text))
        groups.append(tuple(clauses))
    return VersionRange(tuple(groups))


def _clause(clause_text: str, whole: str) -> Clause:
    if not clause_text:
        raise RangeError(f"{whole!r}: an empty clause (two commas, or a comma at an end)")
    if "|" in clause_text:
        raise RangeError(f"{whole!r}: write '||' to join alternatives, not a single '|'")
    foreign = _FOREIGN.match(clause_text)
    match = None if foreign else _CLAUSE.fullmatch(clause_text)
    if match is None:
        if foreign is not None:
            instead = _INSTEAD.get(foreign[1], "bounds: '>=1.2,<2'")
            raise RangeError(
                f"{whole!r}: the operator {foreign[1]!r} is not part of the range language "
                f"({' '.join(OPERATORS)}); write {instead}"
            )
        if clause_text[:1].isalnum():
            raise RangeError(
                f"{whole!r}: {clause_text!r} has no operator; write '=={clause_text}' for "
                "that version only"
            )
        raise RangeError(f"{whole!r}: {clause_text!r} is not an operator and a version")
    op, version = match[1], match[2]
    if version[:1] in "=<>!":
        raise RangeError(f"{whole!r}: {clause_text!r} has no valid operator")
    if "*" in version:
        raise RangeError(
            f"{whole!r}: wildcards are not part of the range language; write bounds instead "
            "(e.g. '>=1.2,<1.3' for 1.2.*)"
        )
    return Clause(op, version)
