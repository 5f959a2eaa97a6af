"""Go module versions: SemVer 2.0 with Go's spellings, ordered as the go command orders them.

What Go adds to SemVer (https://go.dev/ref/mod#versions):

- a ``v`` prefix (``v1.2.3``); the Go vulnerability database writes its bounds without it
  (``1.2.3``), go.mod and go.sum with it, so both spellings are one version here;
- ``vMAJOR`` and ``vMAJOR.MINOR`` as shorthands of ``vMAJOR.0.0`` and ``vMAJOR.MINOR.0`` (as
  ``golang.org/x/mod/semver`` compares them; they carry no pre-release or build suffix);
- ``+incompatible`` on a v2+ release of a module without a go.mod file: build metadata, so
  ``v10.5.0+incompatible`` ranks equal to ``10.5.0``;
- pseudo-versions (``v0.0.0-20191109021931-daa7c04131f5``, ``v1.2.4-0.2019...``,
  ``v1.2.3-pre.0.2019...``) name a commit; they are SemVer pre-releases whose precedence already
  orders them after the release they build on, before the next one, and by commit time;
- the Go toolchain's own tags (the ``stdlib`` and ``toolchain`` packages): ``go1.21.3``,
  ``go1.21`` (= 1.21.0), ``go1.21rc2`` (= 1.21.0-rc.2), ``go1.9beta1`` (= 1.9.0-beta.1), the
  conversion the Go vulnerability database applies to its own bounds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from mdrgate.versioning.base import VersionScheme
from mdrgate.versioning.semantic import SemanticVersion, parse_semver

_NUMBER = r"(?:0|[1-9][0-9]*)"
_SHORTHAND = re.compile(rf"v?({_NUMBER})(?:\.({_NUMBER}))?")
_TOOLCHAIN = re.compile(rf"go({_NUMBER})(?:\.({_NUMBER}))?(?:\.({_NUMBER}))?(?:(beta|rc)([0-9]+))?")
_PSEUDO = re.compile(
    r"v?(?P<major>[0-9]+)\.(?P<minor>[0-9]+)\.(?P<patch>[0-9]+)-"
    r"(?:(?P<pre>.+)\.0\.|(?P<zero>0)\.)?"
    r"(?P<time>[0-9]{14})-(?P<revision>[0-9A-Za-z]+)"
    r"(?:\+[0-9A-Za-z.-]+)?"
)


@dataclass(frozen=True, slots=True)
class PseudoVersion:
    """What a Go pseudo-version says: the tagged version it follows, the commit time, the commit."""

    base: str | None
    """``v1.2.3`` (or ``v1.2.3-pre``) the commit comes after; ``None`` when no tag precedes it."""
    timestamp: str
    """The commit time, UTC, ``yyyymmddhhmmss``."""
    revision: str
    """The abbreviated commit (12 hexadecimal digits for git)."""


def pseudo_version(text: str) -> PseudoVersion | None:
    """The parts of a Go pseudo-version, ``None`` for any other text (a release, a tag...)."""
    text = text.strip()
    match = _PSEUDO.fullmatch(text)
    if match is None or parse_go(text) is None:
        return None
    major, minor, patch = (int(match[part]) for part in ("major", "minor", "patch"))
    if match["pre"] is not None:
        base: str | None = f"v{major}.{minor}.{patch}-{match['pre']}"
    elif match["zero"] is not None:
        if patch == 0:
            return None  # vX.Y.0-0.<time>-<rev> cannot follow any vX.Y.(-1)
        base = f"v{major}.{minor}.{patch - 1}"
    elif minor == 0 and patch == 0:
        base = None
    else:
        return None  # vX.Y.Z-<time>-<rev> with Y or Z set is no pseudo-version form
    return PseudoVersion(base, match["time"], match["revision"])


@lru_cache(maxsize=65536)
def parse_go(text: str) -> SemanticVersion | None:
    """The SemVer value of a Go version as go.mod, go.sum or the Go vulnerability database spell
    it, ``None`` when Go would not accept it (cached, like :func:`parse_semver`)."""
    text = text.strip()
    toolchain = _TOOLCHAIN.fullmatch(text)
    if toolchain is not None:
        major, minor, patch, kind, number = toolchain.groups()
        core = f"{major}.{minor or 0}.{patch or 0}"
        if kind is not None:
            if patch is not None:
                return None  # go1.21.1rc1 is no Go release name
            core += f"-{kind}.{int(number)}"
        return parse_semver(core)
    shorthand = _SHORTHAND.fullmatch(text)
    if shorthand is not None:
        major, minor = shorthand.groups()
        return parse_semver(f"{major}.{minor or 0}.0")
    return parse_semver(text[1:] if text.startswith("v") else text)


class Go(VersionScheme):
    """Go module and toolchain versions (``v1.2.3``, ``1.2.3``, ``v2.0.0+incompatible``,
    pseudo-versions, ``go1.21.3``)."""

    name = "Go module version"

    def parse(self, text: str) -> SemanticVersion | None:
        return parse_go(text)


GO = Go()
