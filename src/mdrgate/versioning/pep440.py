"""PEP 440 versions (PyPI), parsed by ``packaging`` — the implementation pip itself uses."""

from __future__ import annotations

from functools import lru_cache

from packaging.version import InvalidVersion, Version

from mdrgate.versioning.base import VersionScheme


@lru_cache(maxsize=65536)
def parse_pep440(text: str) -> Version | None:
    """``Version(text)``, or ``None`` when ``text`` is not a valid PEP 440 version.

    Cached: advisories repeat the same bounds and version lists for every component they are
    matched against.
    """
    try:
        return Version(text)
    except InvalidVersion:
        return None


class Pep440(VersionScheme):
    """PEP 440 ordering: ``1.0 == 1.0.0``, ``2.0rc1 < 2.0 < 2.0.post1``."""

    name = "PEP 440"

    def parse(self, text: str) -> Version | None:
        return parse_pep440(text.strip())

    def for_matching(self, text: str) -> tuple[Version | None, str | None]:
        """An installed version is matched as its public release: ``1.11.0+local`` as ``1.11.0``.

        A local label marks a downstream build of that release; PEP 440 orders it above the
        release, which would take ``1.11.0+deb1`` out of a range ending at ``last_affected
        1.11.0``. Matching the public part can only add findings, never hide one.
        """
        version = self.parse(text)
        if version is None or version.local is None:
            return version, None
        public = parse_pep440(version.public)
        return public, (
            f"version {text} was matched as its public release {version.public} "
            "(local label ignored: a downstream build of the same release)"
        )


PEP440 = Pep440()
