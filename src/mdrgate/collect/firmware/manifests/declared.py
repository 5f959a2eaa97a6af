"""What every manifest reader produces: declared dependencies, turned into components the same way.

A reader describes each dependency as a ``Declared`` value (its identity as a package URL without
version, the exact version when the manifest gives one, else what it says instead) and hands it to a
``Manifest``. The manifest makes the component:

- a dependency the firmware catalogue knows (by purl, then by name) is built with
  ``catalogue.make_component``, so that it merges with the same component found in sources, images
  or SBOMs; the manifest's own package URL is kept as the ``mdrgate:manifest:purl`` property;
- any other dependency keeps the manifest's package URL, the version as the manifest writes it
  (a tag text stays in the purl as-is);
- a dependency without an exact version is a known unknown: ``version=None``, what was declared in
  ``version_spec`` (a range, a branch, a commit), and a ``no-exact-version`` warning. A commit is
  never presented as a version: it goes in the ``mdrgate:vcs:commit`` property and, as the purl
  spec allows for repository types, in the purl's version.
"""

from __future__ import annotations

import dataclasses
import json
import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from packageurl import PackageURL

from mdrgate.collect.base import Collected, InputSpec
from mdrgate.collect.firmware.catalogue import ComponentDef, lookup, make_component
from mdrgate.model import (
    Component,
    ComponentClass,
    Diagnostic,
    DiagnosticLevel,
    InputFile,
    Origin,
)

COLLECTOR = "build-manifest"
"""The ``Origin.collector`` of every component a build manifest declares."""

# Component properties (CycloneDX name/value pairs); names are part of the SBOM contract.
PROP_MANIFEST = "mdrgate:manifest:kind"
"""The kind of build manifest that declared the component (``platformio``, ``west``...)."""
PROP_MANIFEST_PURL = "mdrgate:manifest:purl"
"""The package URL the manifest itself gives, when the catalogue's identity replaced it."""
PROP_VERSION_FROM = "mdrgate:manifest:version-from"
"""How the version was read: ``tag`` (a revision named like a release), ``lock`` (a lock file),
``pin`` (an exact version requirement), ``file-name`` (a download's file name)."""
PROP_SCOPE = "mdrgate:manifest:scope"
"""``build`` for tools the build uses (Conan ``tool_requires``, vcpkg host dependencies)."""
PROP_PINNED_BY = "mdrgate:manifest:pinned-by"
"""``file:line`` of the lock entry that gave a version range its exact version."""
PROP_REF = "mdrgate:vcs:ref"
"""The git revision as declared (tag, branch or commit)."""
PROP_COMMIT = "mdrgate:vcs:commit"
"""The commit the dependency is pinned to."""
PROP_URL = "mdrgate:vcs:url"
"""The repository or download URL (credentials removed)."""

MAX_TEXT = 120


def shorten(text: str) -> str:
    """Evidence text for reports: one line, at most ``MAX_TEXT`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= MAX_TEXT else flat[: MAX_TEXT - 3] + "..."


@dataclass(frozen=True, slots=True)
class Declared:
    """One dependency as a manifest declares it."""

    name: str
    purl: PackageURL
    """The dependency's identity, without version."""
    line: int | None
    text: str
    """The manifest entry, as evidence."""
    version: str | None = None
    """The exact version, only when the manifest pins one."""
    purl_version: str | None = None
    """The version as the purl should carry it (a tag's text) when it differs from ``version``."""
    version_spec: str | None = None
    """What was declared instead of an exact version: a range, a branch, a commit."""
    commit: str | None = None
    unknown_because: str | None = None
    """Why there is no exact version, for the ``no-exact-version`` message."""
    properties: tuple[tuple[str, str], ...] = ()
    lookup_names: tuple[str, ...] = ()
    """Names to look the dependency up by in the catalogue (its own name first)."""


@dataclass
class Manifest:
    """Collects one manifest's dependencies and notes, then yields the collector's result."""

    display: str
    kind: str
    components: list[Component] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def note(
        self,
        code: str,
        message: str,
        line: int | None = None,
        *,
        level: DiagnosticLevel = DiagnosticLevel.WARNING,
        component: str | None = None,
    ) -> None:
        self.diagnostics.append(Diagnostic(code, message, level, self.display, line, component))

    def add(self, declared: Declared) -> Component:
        component = build_component(declared, self.display, self.kind)
        self.components.append(component)
        if component.version is None:
            why = declared.unknown_because or (
                f"declared {declared.version_spec}"
                if declared.version_spec
                else "no version declared"
            )
            self.note(
                "no-exact-version",
                f"{component.name}: cannot be assessed: no exact version ({why})",
                declared.line,
                component=component.bom_ref,
            )
        return component

    def result(self, *files: InputFile) -> Collected:
        unique = {f.path: f for f in files}
        return Collected(
            components=tuple(self.components),
            diagnostics=tuple(sorted(set(self.diagnostics))),
            files=tuple(sorted(unique.values(), key=lambda f: f.path)),
        )


def find_definition(declared: Declared) -> ComponentDef | None:
    """The catalogue entry for a declared dependency: by its purl, then by its names."""
    hit = lookup(purl=declared.purl.to_string())
    if hit is not None:
        return hit
    for name in declared.lookup_names or (declared.name,):
        hit = lookup(name=name)
        if hit is not None:
            return hit
    return None


def build_component(declared: Declared, display: str, kind: str) -> Component:
    origin = Origin(COLLECTOR, display, declared.line, text=shorten(declared.text))
    own = declared.purl._replace(
        version=declared.purl_version or declared.version or declared.commit
    ).to_string()
    properties = {(PROP_MANIFEST, kind), *declared.properties}
    if declared.commit:
        properties.add((PROP_COMMIT, declared.commit))
    definition = find_definition(declared)
    if definition is None:
        return Component(
            name=declared.name,
            version=declared.version,
            component_class=ComponentClass.FIRMWARE,
            purl=own,
            origins=(origin,),
            version_spec=declared.version_spec,
            properties=tuple(sorted(properties)),
        )
    properties.add((PROP_MANIFEST_PURL, own))
    component = make_component(
        definition,
        declared.version,
        origin,
        version_spec=declared.version_spec,
        properties=tuple(sorted(properties)),
    )
    if declared.version is None and declared.commit and component.purl:
        # A commit belongs to the repository the manifest names: it goes into the catalogue's
        # purl only when that is the same repository (not, say, a vendor's fork of it).
        catalogue = PackageURL.from_string(component.purl)
        if _same_package(catalogue, declared.purl):
            pinned = catalogue._replace(version=declared.commit)
            component = dataclasses.replace(component, purl=pinned.to_string())
    return component


def _same_package(a: PackageURL, b: PackageURL) -> bool:
    def key(p: PackageURL) -> tuple[str, str, str]:
        return (p.type, (p.namespace or "").lower(), p.name.lower())

    return key(a) == key(b)


class LineFinder:
    """The line of a JSON string value (json keeps none), searching forward from the last hit."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.position = 0

    def line(self, value: str) -> int | None:
        needle = json.dumps(value)
        found = self.text.find(needle, self.position)
        if found < 0:
            found = self.text.find(needle)
        if found < 0:
            return None
        self.position = found + len(needle)
        return self.text.count("\n", 0, found) + 1


def sibling_display(spec: InputSpec, path: Path) -> str:
    """How to show another file the reader opens, relative to how the manifest is shown."""
    relative = os.path.relpath(path, spec.path.parent).replace(os.sep, "/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(spec.display), relative))
