"""Collecting a GNU ld map: linked files, the components its archives are, problems.

Every archive the map shows linked (a member of it is in the image) becomes part of a component:

- an archive of a catalogue entry (``archive_names``): all the entry's archives the map names
  (``libmbedtls.a``, ``libmbedx509.a``, ``libmbedcrypto.a``) are read, scanned like any image,
  and the component takes the version they hold; archives holding different versions give one
  component per version and a ``conflicting-evidence`` diagnostic;
- the toolchain's runtime (glibc, newlib, musl, libgcc, libstdc++; ``linkmap_runtime.py`` tells
  whose ``libc.a`` it is): not read, it carries no version text; the version comes from the
  archives' paths (``libm-2.36.a``, ``gcc/arm-none-eabi/12.2.1/``) or from the toolchain note
  (``.comment``) of the image the map says the link wrote (``OUTPUT(...)``);
- any other archive: a component of its own (``pkg:generic/<name>``, version unknown), so that
  nothing linked is left out of the inventory; the catalogue components found in it, when it can
  be read, are reported too.

An archive (or the output image) is read only when it lies inside the scanned tree
(``spec.root``; for a map given on its own, inside the map's directory) or inside a directory the
user declared with ``--libraries`` / ``libraries:`` (``spec.libraries``: the sysroot or toolchain
the link used, when it ran on this machine): otherwise what a path in the map points to on the
machine running mdrgate (``/usr/lib/x86_64-linux-gnu/libz.a``) is not what was linked on the
build machine, and an inventory must not depend on where it was made. A relative
path is looked up from the map's directory, then from the tree's root (the linker's working
directory is not recorded in the map). A component whose version is not found is a known unknown
whose diagnostic says why; an archive that could not be read, or is damaged, is named in a
diagnostic.
"""

from __future__ import annotations

import dataclasses
import os
import posixpath
import re
from collections.abc import Iterable
from pathlib import Path

from packageurl import PackageURL

from mdrgate.collect.base import Collected, InputKind, InputSpec, read_input
from mdrgate.collect.firmware import catalogue, linkmap_runtime
from mdrgate.collect.firmware.linkmap import ParsedMap, archive_basename, parse_map
from mdrgate.errors import InputError
from mdrgate.model import (
    Component,
    ComponentClass,
    Diagnostic,
    DiagnosticLevel,
    InputFile,
    LinkedFile,
    Origin,
    Presence,
)

COLLECTOR = "linker-map"
_WINDOWS_ABSOLUTE = re.compile(r"^[A-Za-z]:/")
_PROPERTY_ARCHIVE = "mdrgate:firmware:linked-archive"
_PROPERTY_VERSION_FROM = "mdrgate:firmware:version-from"
_MAX_ORIGINS = 8
_MAX_REASONS = 3


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


@dataclasses.dataclass(slots=True)
class _Group:
    """The linked archives that make one component: a catalogue entry's, or one unknown archive."""

    definition: catalogue.ComponentDef | None
    by_archive: dict[str, list[Origin]] = dataclasses.field(default_factory=dict)
    """Paths as the map spells them, in the map's order, with the map lines naming them."""

    @property
    def archives(self) -> list[str]:
        return list(self.by_archive)

    @property
    def origins(self) -> list[Origin]:
        """The first map line of each archive, then more lines, up to ``_MAX_ORIGINS``."""
        chosen = [origins[0] for origins in self.by_archive.values()]
        for origins in self.by_archive.values():
            chosen += origins[1 : max(1, _MAX_ORIGINS - len(chosen) + 1)]
        return sorted(chosen[: max(_MAX_ORIGINS, len(self.by_archive))])


def collect(spec: InputSpec) -> Collected:
    text, digest = read_input(spec.path, display=spec.display, kind=spec.kind.value)
    display = spec.display
    parsed = parse_map(text.splitlines())
    diagnostics = _map_problems(parsed, display)
    linked = tuple(
        LinkedFile(map_file=display, path=item.path, member=item.member, size=item.size)
        for item in parsed.linked.values()
    )
    groups = _groups(parsed, display)
    collector = _Collector(spec, parsed)
    for group in groups.values():
        if group.definition is None:
            collector.unknown_archive(group)
        elif group.definition.id in linkmap_runtime.RUNTIME_IDS:
            collector.runtime(group)
        else:
            collector.catalogued(group)
    return Collected(
        components=tuple(collector.components),
        diagnostics=tuple(sorted(set(diagnostics + collector.diagnostics))),
        files=(digest, *collector.files),
        linked=linked,
    )


def _map_problems(parsed: ParsedMap, display: str) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    if "Linker script and memory map" not in parsed.headings:
        out.append(
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
        out.append(
            Diagnostic(
                code="linker-map-incomplete",
                message=f"{display} names no linked object file or archive member",
                level=DiagnosticLevel.ERROR,
                path=display,
            )
        )
    if parsed.long_lines:
        out.append(
            Diagnostic(
                code="linker-map-incomplete",
                message=f"{display}: {parsed.long_lines} overlong lines were not read",
                level=DiagnosticLevel.WARNING,
                path=display,
            )
        )
    return out


def _groups(parsed: ParsedMap, display: str) -> dict[str, _Group]:
    """Every linked archive, grouped by the component it is: a catalogue entry (all of its
    archives together), the toolchain's runtime (decided by path), or itself (unknown)."""
    hint = linkmap_runtime.map_libc(item.path for item in parsed.linked.values())
    groups: dict[str, _Group] = {}
    for item in sorted(parsed.linked.values(), key=lambda i: i.line):
        if item.member is None:
            continue
        name = archive_basename(item.path)
        definition = catalogue.by_archive(name)
        if definition is None:
            runtime = linkmap_runtime.runtime_id(item.path, hint)
            definition = catalogue.by_id(runtime) if runtime else None
        key = definition.id if definition is not None else f"archive:{name}"
        group = groups.setdefault(key, _Group(definition))
        origins = group.by_archive.setdefault(item.path, [])
        if len(origins) < _MAX_ORIGINS:
            origins.append(Origin(COLLECTOR, display, line=item.line, text=item.text))
    return groups


class _Collector:
    """Turns the groups of one map into components and diagnostics."""

    def __init__(self, spec: InputSpec, parsed: ParsedMap) -> None:
        self.display = spec.display
        self.parsed = parsed
        self.reader = _ArchiveReader(spec)
        self.components: list[Component] = []
        self.diagnostics: list[Diagnostic] = []
        self.files: list[InputFile] = []
        self._comments: tuple[list[str], str | None, str] | None = None

    def _read(self, archive: str) -> _Archive:
        read = self.reader.read(archive)
        self.files += [f for f in read.files if f not in self.files]
        self.diagnostics += read.diagnostics
        return read

    def _add(self, component: Component, versions: Iterable[Origin] = ()) -> Component:
        origins = tuple(sorted({*component.origins, *versions}))
        component = dataclasses.replace(component, origins=origins, presence=Presence.IN_IMAGE)
        self.components.append(component)
        return component

    def catalogued(self, group: _Group) -> None:
        """A catalogue component: its version is read from every archive of it the map names."""
        definition = group.definition
        assert definition is not None
        reads = [self._read(archive) for archive in group.archives]
        found: dict[str, list[Origin]] = {}
        for named, read in zip(group.by_archive.values(), reads, strict=True):
            for component in read.components:
                if component.catalogue_id == definition.id and component.version:
                    origins = found.setdefault(component.version, [])
                    origins += [o for o in named if o not in origins]
                    origins += component.origins
        if len(found) == 1:
            (version,) = found
            origins = [*group.origins, *found[version]]
            self._add(catalogue.make_component(definition, version, origins[0]), origins)
            return
        if found:
            # each version with the map lines of the archives that hold it
            made = [
                self._add(catalogue.make_component(definition, version, origins[0]), origins)
                for version, origins in sorted(found.items())
            ]
            if len(made) > 1:
                self._conflict(definition, made)
            return
        reasons = [
            read.not_read
            if read.not_read is not None
            else f"no version string of it was found in {read.shown}"
            for read in reads
        ]
        component = self._add(
            catalogue.make_component(definition, None, group.origins[0]), group.origins
        )
        self._unknown(
            component,
            group,
            _listing(reasons, "; "),
            "scan the archive or the image to read its version",
        )

    def _conflict(self, definition: catalogue.ComponentDef, made: list[Component]) -> None:
        listing = "; ".join(
            f"{c.version} in "
            + ", ".join(o.location for o in c.origins if o.collector != COLLECTOR)
            for c in made
        )
        self.diagnostics.append(
            Diagnostic(
                code="conflicting-evidence",
                message=(
                    f"{self.display} links {definition.name} from archives holding {len(made)} "
                    f"versions: {listing}; all are kept"
                ),
                level=DiagnosticLevel.WARNING,
                path=self.display,
                line=min(o.line or 0 for c in made for o in c.origins if o.collector == COLLECTOR),
                component=made[0].bom_ref,
            )
        )

    def runtime(self, group: _Group) -> None:
        """The toolchain's runtime: the version its paths or the image's ``.comment`` give."""
        definition = group.definition
        assert definition is not None
        version: str | None = None
        source: Origin | None = None
        why = ""
        if definition.id == "glibc":
            named = linkmap_runtime.glibc_version(group.archives)
            if named:
                version = named[0]
                source = next(
                    (o for o in group.origins if o.text and named[1] in o.text), group.origins[0]
                )
            else:
                why = "no archive of it the map names carries glibc's release in its name"
        elif definition.id in linkmap_runtime.GCC_RUNTIME_IDS:
            directories = linkmap_runtime.gcc_directory_versions(group.archives)
            comments, image, problem = self._image_comments()
            gcc = linkmap_runtime.gcc_version(directories, comments)
            if gcc is not None:
                version = gcc[0]
                if gcc[1] is not None:
                    source = Origin(COLLECTOR, image, text=gcc[1][:120])
            else:
                where = f"GCC {', '.join(sorted(directories))}" if directories else "no GCC version"
                why = (
                    f"the path of its archives gives {where}, and the image's toolchain note "
                    f"(.comment) was not read: {problem}"
                    if problem
                    else f"the path of its archives gives {where}, and the toolchain note of "
                    f"{image} names no single GCC version that agrees with it"
                )
        else:
            why = f"{definition.name} leaves no version in its archives' paths or names"
        properties = tuple((_PROPERTY_ARCHIVE, archive) for archive in group.archives[:4])
        if version is not None:
            extra = [source] if source is not None and source not in group.origins else []
            from_text = (
                f"{source.location}: {source.text}" if source is not None else group.archives[0]
            )
            self._add(
                catalogue.make_component(
                    definition,
                    version,
                    group.origins[0],
                    properties=(*properties, (_PROPERTY_VERSION_FROM, from_text[:200])),
                ),
                [*group.origins, *extra],
            )
            return
        component = self._add(
            catalogue.make_component(definition, None, group.origins[0], properties=properties),
            group.origins,
        )
        self._unknown(
            component,
            group,
            f"it is the toolchain's runtime, which carries no version text: {why}",
            "declare its version (the toolchain's release notes name it) in the SOUP register",
        )

    def _image_comments(self) -> tuple[list[str], str, str | None]:
        """The ``.comment`` strings of the image the map says the link wrote (``OUTPUT``), when
        it is inside the allowed tree; its display path; why not, if not."""
        if self._comments is None:
            self._comments = self._read_comments()
        comments, problem, shown = self._comments
        return comments, shown, problem

    def _read_comments(self) -> tuple[list[str], str | None, str]:
        from mdrgate.collect.firmware.images.elf import read_elf

        if self.parsed.output is None:
            return [], "the map names no output file (OUTPUT)", self.display
        name = self.parsed.output[0]
        located = self.reader.locate(name, "image")
        if isinstance(located, str):
            return [], located, name
        shown = self.reader.shown(located)
        try:
            with located.open("rb") as handle:
                info = read_elf(handle, os.fstat(handle.fileno()).st_size)
        except OSError as exc:
            return [], f"{shown} could not be read: {exc.strerror or exc}", shown
        if not info.comments:
            return [], f"{shown} has no toolchain note (.comment)", shown
        return info.comments, None, shown

    def unknown_archive(self, group: _Group) -> None:
        """An archive no catalogue entry claims: a component of its own, version unknown; the
        catalogue components found in it (when it can be read) are reported too."""
        (archive,) = group.archives[:1]
        name = archive_basename(archive)
        stem = name.rsplit(".", 1)[0]
        stem = stem[3:] if stem.startswith("lib") and len(stem) > 3 else stem
        read = self._read(archive)
        for found in read.components:
            if found.catalogue_id is not None and found.version:
                definition = catalogue.by_id(found.catalogue_id)
                self._add(
                    catalogue.make_component(definition, found.version, group.origins[0]),
                    [*group.origins, *found.origins],
                )
        component = self._add(
            Component(
                name=stem,
                version=None,
                component_class=ComponentClass.FIRMWARE,
                purl=PackageURL(type="generic", name=stem).to_string(),
                origins=(group.origins[0],),
                properties=tuple((_PROPERTY_ARCHIVE, a) for a in group.archives[:4]),
            ),
            group.origins,
        )
        also = ""
        if read.not_read is None and read.components:
            names = sorted({c.name for c in read.components})
            also = f" (it holds {', '.join(names)}, reported as well)"
        self._unknown(
            component,
            group,
            f"mdrgate has no catalogue entry for {name}{also}, so its version is unknown",
            "declare it (name, supplier, version) in the SOUP register",
        )

    def _unknown(self, component: Component, group: _Group, why: str, remedy: str) -> None:
        first = group.origins[0]
        archives = _listing(group.archives)
        self.diagnostics.append(
            Diagnostic(
                code="no-exact-version",
                message=(
                    f"{component.name} is linked into the image ({archives} at {self.display}:"
                    f"{first.line}), but {why}; {remedy}"
                ),
                level=DiagnosticLevel.WARNING,
                path=self.display,
                line=first.line,
                component=component.bom_ref,
            )
        )


def _listing(items: list[str], separator: str = ", ") -> str:
    more = len(items) - _MAX_REASONS
    return separator.join(items[:_MAX_REASONS]) + (f" and {more} more" if more > 0 else "")


class _ArchiveReader:
    """Finds and scans the archives a map names, each once, never outside the allowed tree."""

    def __init__(self, spec: InputSpec) -> None:
        self.spec = spec
        self.map_dir = _absolute(spec.path.parent)
        self.tree = _absolute(spec.root) if spec.root is not None else self.map_dir
        self.real_tree = Path(os.path.realpath(self.tree))
        self.allowed = (
            self.real_tree,
            *(Path(os.path.realpath(_absolute(d))) for d in spec.libraries),
        )
        self.where = "the scanned tree" if spec.root is not None else "the map's directory"
        if spec.libraries:
            self.where += " and the declared library directories"
        self.cache: dict[str, _Archive] = {}

    def read(self, archive: str) -> _Archive:
        result = self.cache.get(archive)
        if result is None:
            located = self.locate(archive, "archive")
            result = self.cache[archive] = (
                _Archive(not_read=located)
                if isinstance(located, str)
                else self._scan(archive, located)
            )
        return result

    def locate(self, named: str, what: str) -> Path | str:
        """The file a path in the map names, inside the allowed tree, or why it is not read."""
        text = named.replace("\\", "/")
        if _WINDOWS_ABSOLUTE.match(text):
            return f"{named} is a Windows path of the build machine and was not read"
        relative = not text.startswith("/")
        bases = [self.map_dir] + ([self.tree] if relative and self.tree != self.map_dir else [])
        candidates = [base / text for base in bases] if relative else [Path(text)]
        outside = False
        for candidate in candidates:
            absolute = _absolute(candidate)
            real = Path(os.path.realpath(absolute))
            if not any(real.is_relative_to(allowed) for allowed in self.allowed):
                outside = True
                continue
            if absolute.is_file():
                return absolute
        if outside:
            return (
                f"{named} was not read because it lies outside {self.where}: a file of the "
                f"machine running mdrgate is not evidence of what the build machine linked"
                + ("" if what == "archive" else f" (the {what} the link wrote)")
                + (
                    "; when the link ran here, declare its directory with --libraries "
                    "(or 'libraries:' of the input)"
                    if what == "archive"
                    else ""
                )
            )
        looked = "the map's directory" + (" and the scanned tree" if len(candidates) > 1 else "")
        return f"{named} was not found (looked for it from {looked})"

    def _scan(self, archive: str, path: Path) -> _Archive:
        from mdrgate.collect.firmware.images.collect import collect_image

        shown = self.shown(path)
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

    def shown(self, path: Path) -> str:
        """A file's path as people see the map's: beside the map's display path."""
        relative = os.path.relpath(path, self.map_dir).replace(os.sep, "/")
        parent = posixpath.dirname(self.spec.display)
        return posixpath.normpath(posixpath.join(parent, relative) if parent else relative)


def _absolute(path: Path) -> Path:
    """The absolute path without resolving links (``..`` removed): what people named."""
    return Path(os.path.normpath(path.absolute()))
