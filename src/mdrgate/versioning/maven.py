"""Maven versions, ordered as Maven's ``ComparableVersion`` orders them.

The algorithm (Maven POM reference, "Version Order Specification", and the ComparableVersion
documentation), written here from that description and checked against maven-artifact 3.8.7:

- the text is lower-cased and split into items at ``.``, at ``-`` and at every change between
  digits and letters; ``-`` and a letter→digit change open a nested list, so ``1.0-rc1`` is
  ``[1, [rc, [1]]]``; an empty item is ``0``; a qualifier that follows a dot, like ``1.0.RC1``,
  is treated as if a hyphen preceded it;
- numbers compare numerically (any size); qualifiers by a fixed rank —
  ``alpha`` (``a1``) < ``beta`` (``b1``) < ``milestone`` (``m1``) < ``rc`` = ``cr`` <
  ``snapshot`` < the release (``""`` = ``ga`` = ``final`` = ``release``) < ``sp`` — and unknown
  qualifiers after all of them, alphabetically;
- "null" items (``0``, the release qualifier, an empty list) are dropped from the end of every
  list, so ``1`` = ``1.0`` = ``1.0.0`` = ``1-ga`` = ``1.final``;
- item kinds rank ``qualifier < list < number`` at the same position (``1-sp < 1-1 < 1.1``), and
  a missing item compares as the "null" of its partner's kind (``1-snapshot < 1 < 1-sp``,
  ``1 < 1.1``).

Every text with a digit is a Maven version; text without one (``LATEST``, ``RELEASE``, an empty
string) is not a version to match and parses to ``None``, as does text with whitespace.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeAlias

from mdrgate.versioning.base import VersionScheme

Item: TypeAlias = int | str | tuple["Item", ...]

_QUALIFIER_RANK = {
    "alpha": 0,
    "beta": 1,
    "milestone": 2,
    "rc": 3,
    "snapshot": 4,
    "": 5,
    "sp": 6,
}
_RELEASE = (5, "")
_UNKNOWN_RANK = 7
_ALIASES = {"ga": "", "final": "", "release": "", "cr": "rc"}
_SHORT = {"a": "alpha", "b": "beta", "m": "milestone"}
_MAX_LENGTH = 256
"""Longer text is no version: nesting (one list per digit/letter change) stays bounded."""


def _qualifier(text: str, *, followed_by_digit: bool) -> str:
    if followed_by_digit and text in _SHORT:
        text = _SHORT[text]
    return _ALIASES.get(text, text)


def _qualifier_key(qualifier: str) -> tuple[int, str]:
    rank = _QUALIFIER_RANK.get(qualifier)
    return (rank, "") if rank is not None else (_UNKNOWN_RANK, qualifier)


def _is_null(item: Any) -> bool:
    if isinstance(item, int):
        return item == 0
    if isinstance(item, str):
        return item == ""
    return not item


def _normalize(items: list[Any]) -> None:
    """Drop trailing nulls, looking through (non-null) nested lists at the end."""
    for i in range(len(items) - 1, -1, -1):
        if _is_null(items[i]):
            del items[i]
        elif not isinstance(items[i], list):
            break


def _freeze(items: list[Any]) -> tuple[Item, ...]:
    return tuple(_freeze(i) if isinstance(i, list) else i for i in items)


def _tokenize(version: str) -> tuple[Item, ...]:
    root: list[Any] = []
    lists = [root]
    current = root

    def open_list() -> None:
        nonlocal current
        nested: list[Any] = []
        current.append(nested)
        lists.append(nested)
        current = nested

    def item(text: str, digits: bool) -> int | str:
        return int(text) if digits else _qualifier(text, followed_by_digit=False)

    digits = False
    start = 0
    for i, char in enumerate(version):
        if char in ".-":
            current.append(0 if i == start else item(version[start:i], digits))
            start = i + 1
            if char == "-":
                open_list()
        elif char.isdecimal():
            if not digits and i > start:
                if current:  # "1.0.RC1" reads as "1.0-RC1"
                    open_list()
                current.append(_qualifier(version[start:i], followed_by_digit=True))
                start = i
                open_list()
            digits = True
        else:
            if digits and i > start:
                current.append(int(version[start:i]))
                start = i
                open_list()
            digits = False
    if len(version) > start:
        if not digits and current:
            open_list()
        current.append(item(version[start:], digits))
    for nested in reversed(lists):
        _normalize(nested)
    return _freeze(root)


def _compare(left: Item | None, right: Item | None) -> int:
    """-1, 0 or 1; ``None`` is the missing item a shorter list is padded with."""
    if left is None:
        return 0 if right is None else -_compare(right, None)
    if isinstance(left, int):
        if right is None:
            return 1 if left else 0
        if isinstance(right, int):
            return (left > right) - (left < right)
        return 1
    if isinstance(left, str):
        key = _qualifier_key(left)
        if right is None:
            return (key > _RELEASE) - (key < _RELEASE)
        if isinstance(right, str):
            other = _qualifier_key(right)
            return (key > other) - (key < other)
        return -1
    if right is None:
        for element in left:
            result = _compare(element, None)
            if result:
                return result
        return 0
    if isinstance(right, int):
        return -1
    if isinstance(right, str):
        return 1
    for i in range(max(len(left), len(right))):
        result = _compare(left[i] if i < len(left) else None, right[i] if i < len(right) else None)
        if result:
            return result
    return 0


def _canonical(items: tuple[Item, ...]) -> str:
    text = ""
    for element in items:
        if text:  # as Maven prints it: no separator after a leading empty qualifier
            text += "-" if isinstance(element, tuple) else "."
        text += _canonical(element) if isinstance(element, tuple) else str(element)
    return text


@dataclass(frozen=True, slots=True)
class MavenVersion:
    """A parsed Maven version; equal when Maven's comparison says so (``1.0 == 1-ga``)."""

    items: tuple[Item, ...]
    text: str = field(compare=False)

    def __str__(self) -> str:
        return self.text

    @property
    def canonical(self) -> str:
        """The normalised spelling Maven prints for it (``1.0.RC1`` → ``1-rc-1``)."""
        return _canonical(self.items)

    def _cmp(self, other: object) -> int:
        if not isinstance(other, MavenVersion):
            raise TypeError(f"cannot compare a Maven version with {type(other).__name__}")
        return _compare(self.items, other.items)

    def __lt__(self, other: object) -> bool:
        return self._cmp(other) < 0

    def __le__(self, other: object) -> bool:
        return self._cmp(other) <= 0

    def __gt__(self, other: object) -> bool:
        return self._cmp(other) > 0

    def __ge__(self, other: object) -> bool:
        return self._cmp(other) >= 0


@lru_cache(maxsize=65536)
def parse_maven(text: str) -> MavenVersion | None:
    """The Maven value of ``text``, ``None`` when it holds no digit, whitespace or is too long."""
    text = text.strip()
    if (
        not text
        or len(text) > _MAX_LENGTH
        or any(char.isspace() for char in text)
        or not any(char.isdecimal() for char in text)
    ):
        return None
    return MavenVersion(_tokenize(text.lower()), text)


class Maven(VersionScheme):
    """Maven ``ComparableVersion`` ordering."""

    name = "Maven version"

    def parse(self, text: str) -> MavenVersion | None:
        return parse_maven(text)


MAVEN = Maven()
