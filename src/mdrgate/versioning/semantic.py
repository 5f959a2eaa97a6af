"""SemVer 2.0.0 versions (npm, crates.io), parsed and ordered by the ``semver`` package.

Precedence is semver.org §11: major, minor and patch numerically; a pre-release sorts before its
release; pre-release identifiers compare one by one, numeric ones numerically and below
alphanumeric ones (compared in ASCII order), a longer list above its own prefix. Build metadata
(``+build.5``) takes no part in precedence or equality: ``1.0.0+a == 1.0.0+b``.

npm's own implementation (node-semver) also accepts a leading ``v`` (``v1.2.3``); Cargo does not.
Each ecosystem gets a scheme that reads what its tools read and nothing else: anything outside the
grammar (``1.2``, ``01.2.3``, ``1.2.3-01``) is not a version here.
"""

from __future__ import annotations

from functools import lru_cache

from semver import Version

from mdrgate.versioning.base import VersionScheme


@lru_cache(maxsize=65536)
def parse_semver(text: str) -> Version | None:
    """The SemVer 2.0.0 value of ``text`` exactly as written, ``None`` when it is not one.

    Cached: advisories repeat the same bounds for every component they are matched against.
    """
    try:
        return Version.parse(text)
    except (TypeError, ValueError):
        return None


class SemVer(VersionScheme):
    """SemVer 2.0.0 precedence; ``v_prefix`` accepts ``v1.2.3`` as npm does."""

    def __init__(self, name: str, *, v_prefix: bool) -> None:
        self.name = name
        self._v_prefix = v_prefix

    def parse(self, text: str) -> Version | None:
        text = text.strip()
        if self._v_prefix and text.startswith("v"):
            text = text[1:]
        return parse_semver(text)


SEMVER = SemVer("SemVer 2.0", v_prefix=False)
"""Strict SemVer 2.0.0, as Cargo reads versions (crates.io)."""
NPM_SEMVER = SemVer("SemVer 2.0 (npm)", v_prefix=True)
"""SemVer 2.0.0 with node-semver's optional leading ``v``."""
