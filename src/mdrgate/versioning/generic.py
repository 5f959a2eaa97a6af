"""Versions of C components and firmware (NVD CPE versions, vendored libraries, release tags).

No single standard governs them, so this scheme orders only the spellings whose meaning is
clear, and returns ``None`` for the rest (``master``, ``1.2.3-14-gdeadbee``, ``1.0.2k-fips``):

- a tag prefix is not part of the version: ``v10.4.3`` = ``V10.4.3`` = ``10.4.3``, FatFs's
  ``R0.14b`` = ``0.14b`` (the prefixes :func:`mdrgate.identifiers.version_key` strips too);
- the release numbers compare numerically, missing ones as zero: ``2.28`` = ``2.28.0`` <
  ``2.28.3`` < ``2.28.10``; date versions are release numbers (``2023.01`` = ``2023.1`` <
  ``2023.04``; ``2019-09-12`` is read as ``2019.09.12``);
- one or two letters right after the numbers are a later release of the same numbers, as in
  OpenSSL and FatFs: ``1.1.1`` < ``1.1.1a`` < ``1.1.1k`` < ``1.1.2``; ``0.9.8z`` < ``0.9.8za``;
- a ``p``/``pl``/``patch``/``post`` number is a later release (OpenSSH ``9.2`` < ``9.2p1`` <
  ``9.2p2`` < ``9.3``), and so is a bare number after a hyphen (``1.2.3-1``);
- ``dev`` < ``alpha``/``a1`` < ``beta``/``b1`` < ``pre``/``preview`` < ``rc`` come before the
  release (``2023.01-rc2`` < ``2023.01``, ``3.0.0-alpha17`` < ``3.0.0-beta1`` < ``3.0.0``);
- ``final``, ``ga``, ``release``, ``stable`` and ``lts`` name the release itself
  (``5.6.3-stable`` = ``5.6.3``), and build metadata after ``+`` is ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from mdrgate.versioning.base import VersionScheme

_PREFIX = re.compile(r"^(?:v|r|version[-_ ]?|release[-_ ]?)(?=[0-9])")
_DATE = re.compile(r"[0-9]+(?:-[0-9]+)+")
_RELEASE = re.compile(r"[0-9]+(?:\.[0-9]+)*")
_TOKEN = re.compile(r"([._-]?)([a-z]+|[0-9]+)")

# Ranks of what may follow the release numbers; the release itself ranks _FINAL.
_DEV, _ALPHA, _BETA, _PRE, _RC, _FINAL, _LETTER, _POST = range(8)
_WORDS = {
    "dev": _DEV,
    "alpha": _ALPHA,
    "beta": _BETA,
    "pre": _PRE,
    "preview": _PRE,
    "rc": _RC,
    "cr": _RC,
    "p": _POST,
    "pl": _POST,
    "patch": _POST,
    "post": _POST,
}
_SHORT_PRE = {"a": _ALPHA, "b": _BETA}
"""``2.0b1``: a letter and a number is a pre-release; ``0.14b`` alone is a letter release."""
_NUMBERED_ONLY = frozenset({"p", "pl"})
_NEUTRAL = frozenset({"final", "ga", "release", "stable", "lts"})
_END = (_FINAL, 0, "")

Part = tuple[int, int, str]


@dataclass(frozen=True, slots=True, order=True)
class GenericVersion:
    """Release numbers (trailing zeros dropped) and the ranked parts that follow them."""

    release: tuple[int, ...]
    parts: tuple[Part, ...]
    text: str = field(compare=False)

    def __str__(self) -> str:
        return self.text


def _tokens(rest: str) -> list[tuple[str, str]] | None:
    """``-rc.1`` → ``[("-", "rc"), (".", "1")]``: (separator, letters or digits)."""
    tokens: list[tuple[str, str]] = []
    position = 0
    while position < len(rest):
        match = _TOKEN.match(rest, position)
        if match is None:
            return None
        tokens.append((match[1], match[2]))
        position = match.end()
    return tokens


def _parts(rest: str) -> list[Part] | None:
    tokens = _tokens(rest)
    if tokens is None:
        return None
    parts: list[Part] = []
    i = 0
    while i < len(tokens):
        separator, token = tokens[i]
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        number = int(following[1]) if following and following[1].isdigit() else None
        attached = number is not None and following is not None and not following[0]
        if token.isdigit():
            parts.append((_POST, int(token), ""))
            i += 1
            continue
        if token in _NEUTRAL:
            i += 1
            continue
        rank = _WORDS.get(token)
        if rank is None and attached:
            rank = _SHORT_PRE.get(token)
        if token in _NUMBERED_ONLY and number is None:
            rank = None  # OpenSSL 1.0.1p is a letter release, OpenSSH 9.2p1 a patch release
        if rank is None:
            if i == 0 and not separator and len(token) <= 2 and number is None:
                parts.append((_LETTER, 0, token))  # 1.1.1k, 0.14b, 0.9.8za
                i += 1
                continue
            return None
        parts.append((rank, number or 0, ""))
        i += 1 if number is None else 2
    return parts


@lru_cache(maxsize=65536)
def parse_generic(text: str) -> GenericVersion | None:
    """The comparable value of a firmware or C component version, ``None`` when it is unclear."""
    cleaned = text.strip().lower().split("+", 1)[0]
    cleaned = _PREFIX.sub("", cleaned, count=1)
    if _DATE.fullmatch(cleaned):
        cleaned = cleaned.replace("-", ".")
    match = _RELEASE.match(cleaned)
    if match is None:
        return None
    numbers = [int(n) for n in match[0].split(".")]
    while len(numbers) > 1 and numbers[-1] == 0:
        numbers.pop()
    if numbers == [0]:
        numbers = []
    parts = _parts(cleaned[match.end() :])
    if parts is None:
        return None
    return GenericVersion(tuple(numbers), (*parts, _END), text)


class Generic(VersionScheme):
    """Firmware and C component versions (OpenSSL letters, ``v`` tags, dates, ``p`` releases)."""

    name = "firmware version"

    def parse(self, text: str) -> GenericVersion | None:
        return parse_generic(text)


GENERIC = Generic()
