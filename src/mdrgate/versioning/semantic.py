"""SemVer 2.0.0 versions (npm, crates.io), parsed and ordered by the ``semver`` package.

Precedence is semver.org §11: major, minor and patch numerically; a pre-release sorts before its
release; pre-release identifiers compare one by one, numeric ones numerically and below
alphanumeric ones (compared in ASCII order), a longer list above its own prefix. Build metadata
(``+build.5``) takes no part in precedence or equality: ``1.0.0+a == 1.0.0+b``.

npm's own implementation (node-semver) also accepts a leading ``v`` (``v1.2.3``); Cargo does not.
Each ecosystem gets a scheme that reads what its tools read and nothing else: anything outside the
grammar (``1.2``, ``01.2.3``, ``1.2.3-01``) is not a version here.

The ``semver`` package validates and splits the text; the parsed value carries a precedence key
built from its fields (as ``packaging`` keys PEP 440 versions), because matching compares every
installed version with many bounds and the library's own comparison costs about 1.3 µs a call
against 0.05 µs for comparing keys. Tests check the key against an independent transcription of
§11 and the accuracy benchmark against node-semver.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from semver import Version

from mdrgate.versioning.base import VersionScheme


@dataclass(frozen=True, slots=True, order=True)
class SemanticVersion:
    """A parsed SemVer 2.0.0 version, ordered and compared by precedence (build ignored)."""

    key: tuple[Any, ...] = field(repr=False)
    version: Version = field(compare=False)
    """The ``semver`` package's value: fields, build metadata, the text as written."""

    def __str__(self) -> str:
        return str(self.version)


def _precedence(version: Version) -> tuple[Any, ...]:
    """semver.org §11: a release ranks above its pre-releases; pre-release identifiers compare
    numerically when all digits, below alphanumeric ones (ASCII order), shorter lists first."""
    core = (version.major, version.minor, version.patch)
    if not version.prerelease:
        return (core, 1, ())
    ids = tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in version.prerelease.split(".")
    )
    return (core, 0, ids)


@lru_cache(maxsize=65536)
def parse_semver(text: str) -> SemanticVersion | None:
    """The SemVer 2.0.0 value of ``text`` exactly as written, ``None`` when it is not one.

    Cached: advisories repeat the same bounds for every component they are matched against.
    """
    try:
        version = Version.parse(text)
    except (TypeError, ValueError):
        return None
    return SemanticVersion(_precedence(version), version)


class SemVer(VersionScheme):
    """SemVer 2.0.0 precedence; ``v_prefix`` accepts ``v1.2.3`` as npm does."""

    def __init__(self, name: str, *, v_prefix: bool) -> None:
        self.name = name
        self._v_prefix = v_prefix

    def parse(self, text: str) -> SemanticVersion | None:
        text = text.strip()
        if self._v_prefix and text.startswith("v"):
            text = text[1:]
        return parse_semver(text)


SEMVER = SemVer("SemVer 2.0", v_prefix=False)
"""Strict SemVer 2.0.0, as Cargo reads versions (crates.io)."""
NPM_SEMVER = SemVer("SemVer 2.0 (npm)", v_prefix=True)
"""SemVer 2.0.0 with node-semver's optional leading ``v``."""
