"""Version schemes, one per versioning convention, and the ecosystem each one serves."""

from __future__ import annotations

from mdrgate.versioning.base import Comparable, VersionScheme
from mdrgate.versioning.generic import GENERIC, Generic, GenericVersion, parse_generic
from mdrgate.versioning.go import GO, Go, PseudoVersion, parse_go, pseudo_version
from mdrgate.versioning.maven import MAVEN, Maven, MavenVersion, parse_maven
from mdrgate.versioning.pep440 import PEP440, Pep440, parse_pep440
from mdrgate.versioning.semantic import (
    NPM_SEMVER,
    SEMVER,
    SemanticVersion,
    SemVer,
    parse_semver,
)

# OSV ecosystem name → the scheme its versions follow. An ecosystem absent here has no matcher
# yet: its components are reported as not assessed instead of being silently passed.
# GENERIC serves no OSV ecosystem: it orders firmware and CPE versions (NVD matching).
SCHEMES: dict[str, VersionScheme] = {
    "PyPI": PEP440,
    "npm": NPM_SEMVER,
    "crates.io": SEMVER,
    "Go": GO,
    "Maven": MAVEN,
}


def scheme_for_ecosystem(ecosystem: str | None) -> VersionScheme | None:
    """The scheme of an OSV ecosystem, ``None`` when mdrgate cannot compare its versions yet."""
    if ecosystem is None:
        return None
    return SCHEMES.get(ecosystem)


__all__ = [
    "GENERIC",
    "GO",
    "MAVEN",
    "NPM_SEMVER",
    "PEP440",
    "SCHEMES",
    "SEMVER",
    "Comparable",
    "Generic",
    "GenericVersion",
    "Go",
    "Maven",
    "MavenVersion",
    "Pep440",
    "PseudoVersion",
    "SemVer",
    "SemanticVersion",
    "VersionScheme",
    "parse_generic",
    "parse_go",
    "parse_maven",
    "parse_pep440",
    "parse_semver",
    "pseudo_version",
    "scheme_for_ecosystem",
]
