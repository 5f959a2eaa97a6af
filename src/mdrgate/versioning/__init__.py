"""Version schemes, one per versioning convention, and the ecosystem each one serves."""

from __future__ import annotations

from mdrgate.versioning.base import Comparable, VersionScheme
from mdrgate.versioning.pep440 import PEP440, Pep440, parse_pep440

# OSV ecosystem name → the scheme its versions follow. An ecosystem absent here has no matcher
# yet: its components are reported as not assessed instead of being silently passed.
SCHEMES: dict[str, VersionScheme] = {"PyPI": PEP440}


def scheme_for_ecosystem(ecosystem: str | None) -> VersionScheme | None:
    """The scheme of an OSV ecosystem, ``None`` when mdrgate cannot compare its versions yet."""
    if ecosystem is None:
        return None
    return SCHEMES.get(ecosystem)


__all__ = [
    "PEP440",
    "SCHEMES",
    "Comparable",
    "Pep440",
    "VersionScheme",
    "parse_pep440",
    "scheme_for_ecosystem",
]
