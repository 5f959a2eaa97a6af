"""PyPI components as every Python collector builds them, and how one input's duplicates combine.

Within one input, the same package (PEP 503 name and version) declared twice is one component with
all its origins and hashes. The same name at two exact versions stays two components plus a
``conflicting-versions`` warning: which one runs depends on markers or on the order of installation,
and the evidence must show both. A package without an exact version is kept (``version=None``) with
a ``no-exact-version`` warning per declaration, because it cannot be matched against advisories.
"""

from __future__ import annotations

import re
import reprlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from packaging.utils import canonicalize_name

from mdrgate.identifiers import pypi_purl
from mdrgate.model import Component, ComponentClass, Diagnostic, DiagnosticLevel, Hash, Origin

ECOSYSTEM = "PyPI"

# Component properties (CycloneDX name/value pairs); names are part of the SBOM contract.
PROP_MARKER = "mdrgate:python:marker"
"""The PEP 508 environment marker under which the package is installed."""
PROP_EXTRAS = "mdrgate:python:extras"
"""Extras requested, comma-separated, sorted."""
PROP_SOURCE = "mdrgate:python:source"
"""Where the package comes from when not from an index: VCS URL, archive URL or local path."""
PROP_INDEX = "mdrgate:python:index"
"""A package index other than PyPI that the lock file names."""
PROP_GROUPS = "mdrgate:python:groups"
"""Dependency groups / categories the lock file puts the package in (when not only main)."""
PROP_OPTIONAL = "mdrgate:python:optional"
"""``true`` when the package is installed only with an extra of the project."""
PROP_EDITABLE = "mdrgate:python:editable"
"""``true`` for editable (development-mode) installs."""
PROP_PINNED_BY = "mdrgate:python:pinned-by"
"""``file:line`` of the constraint or pin that gave an unpinned requirement its version."""
PROP_VERSION_FROM = "mdrgate:python:version-from"
"""``filename`` when the version was read from a wheel or sdist file name, not declared;
``directory-name`` when an installed distribution's metadata lacked it and its ``.dist-info``
directory name gave it."""

_ALGORITHMS = {"sha256": ("SHA-256", 64), "sha384": ("SHA-384", 96), "sha512": ("SHA-512", 128)}
_MD5 = ("MD5", 32)
_HEX = frozenset("0123456789abcdef")


def parse_hash(text: str) -> Hash | None:
    """``sha256:<hex>`` → ``Hash``; ``None`` for algorithms the SBOM does not carry (sha1...).

    Raises ``ValueError`` (with a message for people) when the text is not ``algorithm:hex`` or the
    digest has the wrong length for its algorithm: a mangled hash in a lock file is an input error.
    """
    algorithm, sep, digest = text.strip().partition(":")
    if not sep:
        algorithm, sep, digest = text.strip().partition("=")
    if not sep or not algorithm or not digest:
        raise ValueError(f"expected 'algorithm:hexdigest', got {text!r}")
    algorithm = algorithm.lower()
    known = _ALGORITHMS.get(algorithm) or (_MD5 if algorithm == "md5" else None)
    if known is None:
        return None
    name, length = known
    digest = digest.lower()
    if len(digest) != length or not _HEX.issuperset(digest):
        raise ValueError(f"a {algorithm} digest has {length} hex digits, got {digest!r}")
    return Hash(name, digest)


_BRIEF = reprlib.Repr()
_BRIEF.maxstring = 80
_BRIEF.maxother = 80


def brief(value: object) -> str:
    """``repr`` bounded in depth and length: lock files can hold anything, messages must not."""
    return _BRIEF.repr(value)


def strong_hashes(hashes: Iterable[Hash]) -> tuple[Hash, ...]:
    """SHA-2 digests, sorted; MD5 only when nothing stronger is known."""
    unique = sorted(set(hashes))
    strong = [h for h in unique if h.algorithm != "MD5"]
    return tuple(strong or unique)


def normalize(name: str) -> str:
    return canonicalize_name(name)


@dataclass
class _Entry:
    name: str
    version: str | None
    origins: set[Origin] = field(default_factory=set)
    hashes: set[Hash] = field(default_factory=set)
    properties: set[tuple[str, str]] = field(default_factory=set)
    specs: list[str] = field(default_factory=list)
    unpinned: list[tuple[Origin, str]] = field(default_factory=list)
    supplier: str | None = None
    licenses: tuple[str, ...] = ()
    description: str | None = None


class PackageSet:
    """Accumulates one input's packages, then yields components and their diagnostics."""

    def __init__(self, collector: str) -> None:
        self._collector = collector
        self._entries: dict[tuple[str, str | None], _Entry] = {}

    def add(
        self,
        name: str,
        version: str | None,
        *,
        path: str,
        line: int | None = None,
        version_spec: str | None = None,
        hashes: Iterable[Hash] = (),
        properties: Iterable[tuple[str, str]] = (),
        supplier: str | None = None,
        licenses: tuple[str, ...] = (),
        description: str | None = None,
    ) -> str:
        """Record one declaration; returns the component's bom-ref."""
        key = (normalize(name), version)
        entry = self._entries.get(key)
        if entry is None:
            entry = self._entries[key] = _Entry(name=name, version=version)
        origin = Origin(collector=self._collector, path=path, line=line)
        entry.origins.add(origin)
        entry.hashes.update(hashes)
        entry.properties.update(properties)
        if version_spec and version_spec not in entry.specs:
            entry.specs.append(version_spec)
        if version is None:
            entry.unpinned.append((origin, f"declared {version_spec}" if version_spec else ""))
        entry.supplier = entry.supplier or supplier
        entry.licenses = entry.licenses or licenses
        entry.description = entry.description or description
        return pypi_purl(name, version)

    def __len__(self) -> int:
        return len(self._entries)

    def components(self) -> tuple[Component, ...]:
        made = [self._component(e) for e in self._entries.values()]
        return tuple(sorted(made, key=lambda c: (c.bom_ref, c.name)))

    def diagnostics(self) -> list[Diagnostic]:
        notes: list[Diagnostic] = []
        by_name: dict[str, list[_Entry]] = {}
        for (canonical, version), entry in self._entries.items():
            if version is None:
                ref = pypi_purl(entry.name, None)
                for origin, declared in sorted(entry.unpinned):
                    notes.append(
                        Diagnostic(
                            code="no-exact-version",
                            message=(
                                f"{entry.name}: cannot be assessed: no exact version "
                                f"({declared or 'no version declared'})"
                            ),
                            level=DiagnosticLevel.WARNING,
                            path=origin.path,
                            line=origin.line,
                            component=ref,
                        )
                    )
            else:
                by_name.setdefault(canonical, []).append(entry)
        for canonical, entries in sorted(by_name.items()):
            if len(entries) < 2:
                continue
            entries.sort(key=lambda e: (min(e.origins), e.version or ""))
            shown = "; ".join(
                f"{e.version} ({', '.join(_where(o) for o in sorted(e.origins))})" for e in entries
            )
            first = min(entries[0].origins)
            notes.append(
                Diagnostic(
                    code="conflicting-versions",
                    message=(
                        f"{canonical}: {len(entries)} different versions are declared: {shown}; "
                        "all are kept in the inventory"
                    ),
                    level=DiagnosticLevel.WARNING,
                    path=first.path,
                    line=first.line,
                    component=pypi_purl(entries[0].name, entries[0].version),
                )
            )
        return notes

    def _component(self, entry: _Entry) -> Component:
        return Component(
            name=entry.name,
            version=entry.version,
            component_class=ComponentClass.HOST,
            ecosystem=ECOSYSTEM,
            purl=pypi_purl(entry.name, entry.version),
            supplier=entry.supplier,
            licenses=entry.licenses,
            hashes=strong_hashes(entry.hashes),
            origins=tuple(sorted(entry.origins)),
            version_spec=" | ".join(entry.specs) if entry.specs else None,
            description=entry.description,
            properties=tuple(sorted(entry.properties)),
        )


def _where(origin: Origin) -> str:
    return f"{origin.path}:{origin.line}" if origin.line else origin.path


_VCS_PREFIX = re.compile(r"^(?:git|hg|svn|bzr)\+", re.IGNORECASE)


def redact_url(url: str) -> str:
    """The URL without user name or password, so that tokens never reach the SBOM."""
    prefix = ""
    match = _VCS_PREFIX.match(url)
    if match:
        prefix, url = url[: match.end()], url[match.end() :]
    try:
        parts = urlsplit(url)
    except ValueError:  # unparsable (unbalanced brackets): drop whatever precedes an '@' host
        return prefix + re.sub(r"//[^/]*@", "//", url)
    if "@" in parts.netloc:
        parts = parts._replace(netloc=parts.netloc.rsplit("@", 1)[1])
    return prefix + urlunsplit(parts)


def dev_skipped(names: Iterable[str], display: str) -> Diagnostic:
    """The one notice that development-only packages were left out (never silently)."""
    listed = sorted(set(names))
    return Diagnostic(
        code="dev-dependencies-skipped",
        message=(
            f"{len(listed)} development-only package(s) not inventoried: {', '.join(listed)} "
            "(set include_dev to inventory them)"
        ),
        level=DiagnosticLevel.INFO,
        path=display,
    )
