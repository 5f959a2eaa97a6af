"""Collecting a GNU ld map: linked files, components of the catalogue's archives, problems."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from mdrgate.collect.base import Collected, InputSpec, read_input
from mdrgate.collect.firmware import catalogue
from mdrgate.collect.firmware.linkmap import archive_basename, parse_map
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


def _archive_index() -> dict[str, catalogue.ComponentDef]:
    return {name.lower(): d for d in catalogue.CATALOGUE for name in d.archive_names}


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
    for definition, origins, archive in firsts.values():
        found, read = _archive_versions(spec.path.parent, archive, definition.id)
        files += read
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
        why = (
            f"the archive holds several versions ({', '.join(versions)})"
            if versions
            else "the map names the archive but not its version"
        )
        diagnostics.append(
            Diagnostic(
                code="no-exact-version",
                message=(
                    f"{definition.name} is linked into the image ({archive} at {display}:"
                    f"{origins[0].line}), but {why}; scan the archive or the image to read it"
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


def _archive_versions(
    base: Path, archive: str, component_id: str
) -> tuple[list[Component], tuple[InputFile, ...]]:
    """The component as the archive named in the map shows it, when that file is at hand."""
    from mdrgate.collect.base import InputKind
    from mdrgate.collect.firmware.images.collect import collect_image
    from mdrgate.errors import InputError

    path = Path(archive)
    candidate = path if path.is_absolute() else base / path
    if not candidate.is_file():
        return [], ()
    try:
        result = collect_image(InputSpec(InputKind.FIRMWARE_IMAGE, candidate, archive))
    except InputError:
        return [], ()
    return [c for c in result.components if c.catalogue_id == component_id], result.files
