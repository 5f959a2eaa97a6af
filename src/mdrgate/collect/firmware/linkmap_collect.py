"""Collecting a GNU ld map: linked files, components of the catalogue's archives, problems.

An archive of a catalogue component that the map names is read (scanned like any image) to learn
the component's version, but only when it lies inside the scanned tree (``spec.root``; for a map
given on its own, inside the map's directory): what a path in the map points to on the machine
running mdrgate (``/usr/lib/x86_64-linux-gnu/libz.a``) is not what was linked on the build
machine, and an inventory must not depend on where it was made. A relative path is looked up
from the map's directory, then from the tree's root (the linker's working directory is not
recorded in the map). An archive not read leaves the component a known unknown whose diagnostic
says why; an archive that could not be read, or is damaged, is named in a diagnostic.
"""

from __future__ import annotations

import dataclasses
import os
import posixpath
import re
from pathlib import Path

from mdrgate.collect.base import Collected, InputKind, InputSpec, read_input
from mdrgate.collect.firmware import catalogue
from mdrgate.collect.firmware.linkmap import archive_basename, parse_map
from mdrgate.errors import InputError
from mdrgate.model import (
    Component,
    Diagnostic,
    DiagnosticLevel,
    InputFile,
    LinkedFile,
    Origin,
    Presence,
)

COLLECTOR = "linker-map"
_WINDOWS_ABSOLUTE = re.compile(r"^[A-Za-z]:/")


def _archive_index() -> dict[str, catalogue.ComponentDef]:
    return {name.lower(): d for d in catalogue.CATALOGUE for name in d.archive_names}


@dataclasses.dataclass(slots=True)
class _Archive:
    """What reading one archive the map names gave: components, files, problems, or why not."""

    components: list[Component] = dataclasses.field(default_factory=list)
    files: tuple[InputFile, ...] = ()
    diagnostics: list[Diagnostic] = dataclasses.field(default_factory=list)
    not_read: str | None = None
    """Why the archive was not read (it is outside the tree, missing, unreadable)."""
    shown: str | None = None
    """How the archive read is shown (its path beside the map's display path)."""


def collect(spec: InputSpec) -> Collected:
    text, digest = read_input(spec.path, display=spec.display, kind=spec.kind.value)
    display = spec.display
    parsed = parse_map(text.splitlines())
    diagnostics: list[Diagnostic] = []
    if "Linker script and memory map" not in parsed.headings:
        diagnostics.append(
            Diagnostic(
                code="linker-map-incomplete",
                message=(
                    f"{display} has no 'Linker script and memory map' part: the map is truncated "
                    "or not a GNU ld map; sizes are unknown and only the archive members it lists "
                    "were read"
                ),
                level=DiagnosticLevel.ERROR,
                path=display,
            )
        )
    if not parsed.linked:
        diagnostics.append(
            Diagnostic(
                code="linker-map-incomplete",
                message=f"{display} names no linked object file or archive member",
                level=DiagnosticLevel.ERROR,
                path=display,
            )
        )
    if parsed.long_lines:
        diagnostics.append(
            Diagnostic(
                code="linker-map-incomplete",
                message=f"{display}: {parsed.long_lines} overlong lines were not read",
                level=DiagnosticLevel.WARNING,
                path=display,
            )
        )
    linked = tuple(
        LinkedFile(map_file=display, path=item.path, member=item.member, size=item.size)
        for item in parsed.linked.values()
    )
    index = _archive_index()
    firsts: dict[str, tuple[catalogue.ComponentDef, list[Origin], str]] = {}
    for item in sorted(parsed.linked.values(), key=lambda i: i.line):
        if item.member is None:
            continue
        definition = index.get(archive_basename(item.path))
        if definition is None:
            continue
        origin = Origin(COLLECTOR, display, line=item.line, text=item.text)
        entry = firsts.setdefault(definition.id, (definition, [], item.path))
        if len(entry[1]) < 8:
            entry[1].append(origin)
    components: list[Component] = []
    files: list[InputFile] = [digest]
    reader = _ArchiveReader(spec)
    for definition, origins, archive in firsts.values():
        read = reader.read(archive)
        files += [f for f in read.files if f not in files]
        diagnostics += read.diagnostics
        found = [c for c in read.components if c.catalogue_id == definition.id]
        versions = sorted({c.version for c in found if c.version})
        if len(versions) == 1:
            component = dataclasses.replace(
                catalogue.make_component(definition, versions[0], origins[0]),
                origins=tuple(sorted({*origins, *(o for c in found for o in c.origins)})),
                presence=Presence.IN_IMAGE,
            )
            components.append(component)
            continue
        component = dataclasses.replace(
            catalogue.make_component(definition, None, origins[0]),
            origins=tuple(origins),
            presence=Presence.IN_IMAGE,
        )
        components.append(component)
        if versions:
            why = f"{read.shown} holds several versions ({', '.join(versions)})"
        elif read.not_read is not None:
            why = read.not_read
        else:
            why = f"no version string of it was found in {read.shown}"
        diagnostics.append(
            Diagnostic(
                code="no-exact-version",
                message=(
                    f"{definition.name} is linked into the image ({archive} at {display}:"
                    f"{origins[0].line}), but {why}; scan the archive or the image to read its "
                    "version"
                ),
                level=DiagnosticLevel.WARNING,
                path=display,
                line=origins[0].line,
                component=component.bom_ref,
            )
        )
    return Collected(
        components=tuple(components),
        diagnostics=tuple(sorted(set(diagnostics))),
        files=tuple(files),
        linked=linked,
    )


class _ArchiveReader:
    """Finds and scans the archives a map names, each once, never outside the allowed tree."""

    def __init__(self, spec: InputSpec) -> None:
        self.spec = spec
        self.map_dir = _absolute(spec.path.parent)
        self.tree = _absolute(spec.root) if spec.root is not None else self.map_dir
        self.real_tree = Path(os.path.realpath(self.tree))
        self.where = "the scanned tree" if spec.root is not None else "the map's directory"
        self.cache: dict[str, _Archive] = {}

    def read(self, archive: str) -> _Archive:
        result = self.cache.get(archive)
        if result is None:
            result = self.cache[archive] = self._read(archive)
        return result

    def _read(self, archive: str) -> _Archive:
        text = archive.replace("\\", "/")
        if _WINDOWS_ABSOLUTE.match(text):
            return _Archive(
                not_read=f"{archive} is a Windows path of the build machine and was not read"
            )
        relative = not text.startswith("/")
        bases = [self.map_dir] + ([self.tree] if relative and self.tree != self.map_dir else [])
        candidates = [base / text for base in bases] if relative else [Path(text)]
        outside = False
        for candidate in candidates:
            absolute = _absolute(candidate)
            if not Path(os.path.realpath(absolute)).is_relative_to(self.real_tree):
                outside = True
                continue
            if absolute.is_file():
                return self._scan(archive, absolute)
        if outside:
            return _Archive(
                not_read=(
                    f"{archive} was not read because it lies outside {self.where}: a file of the "
                    "machine running mdrgate is not evidence of what the build machine linked"
                )
            )
        looked = "the map's directory" + (" and the scanned tree" if len(candidates) > 1 else "")
        return _Archive(not_read=f"{archive} was not found (looked for it from {looked})")

    def _scan(self, archive: str, path: Path) -> _Archive:
        from mdrgate.collect.firmware.images.collect import collect_image

        shown = self._shown(path)
        try:
            result = collect_image(InputSpec(InputKind.FIRMWARE_IMAGE, path, shown))
        except InputError as exc:
            return _Archive(
                diagnostics=[
                    Diagnostic(
                        code="linker-map-archive-unreadable",
                        message=(
                            f"{shown} (named in {self.spec.display} as {archive}) could not be "
                            f"read: {exc.message}"
                        ),
                        level=DiagnosticLevel.ERROR,
                        path=shown,
                    )
                ],
                not_read=f"{shown} could not be read",
                shown=shown,
            )
        damage = [d for d in result.diagnostics if d.code.startswith("image-")]
        return _Archive(list(result.components), result.files, damage, None, shown)

    def _shown(self, path: Path) -> str:
        """The archive's path as people see the map's: beside the map's display path."""
        relative = os.path.relpath(path, self.map_dir).replace(os.sep, "/")
        parent = posixpath.dirname(self.spec.display)
        return posixpath.normpath(posixpath.join(parent, relative) if parent else relative)


def _absolute(path: Path) -> Path:
    """The absolute path without resolving links (``..`` removed): what people named."""
    return Path(os.path.normpath(path.absolute()))
