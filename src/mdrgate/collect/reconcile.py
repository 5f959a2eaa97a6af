"""The SOUP register against what was found: undeclared SOUP, version drift, unevidenced entries.

The register is the manufacturer's declaration; the collectors are the evidence. Where they
disagree, the evidence must say so rather than quietly prefer one side:

- ``undeclared-soup``: a component was found that the register does not list;
- ``soup-version-drift``: the register lists a component at one version, but it was found at
  another (the register entry and the finding stay two components);
- ``soup-not-evidenced``: the register lists a firmware component that no input showed (only
  judged when firmware or SBOM inputs were read — a register alone evidences nothing, and a
  Python lock file cannot evidence firmware; host entries are left to the lock files' owners);
- ``conflicting-evidence``: one component was found at several versions.

It also decides each firmware component's presence in the image when an image or a linker map
was read: found in an image, linked from an archive the map names, or compiled from a file under
the component's source directory → in the image; otherwise source-only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace

from mdrgate.collect.base import COMPONENT_ROOT
from mdrgate.collect.firmware.linkmap import archive_basename
from mdrgate.identifiers import identity, version_key
from mdrgate.model import (
    REGISTER_COLLECTOR,
    Component,
    ComponentClass,
    Diagnostic,
    DiagnosticLevel,
    Inventory,
    LinkedFile,
    Presence,
)

IMAGE_COLLECTORS = frozenset({"firmware-image", "linker-map"})

RECONCILIATION_CODES = frozenset(
    {"undeclared-soup", "soup-version-drift", "soup-not-evidenced", "conflicting-evidence"}
)


def reconcile(
    inventory: Inventory, *, register_read: bool, firmware_read: bool, image_read: bool
) -> Inventory:
    """The inventory with presence decided and the reconciliation diagnostics added."""
    components = (
        _with_presence(inventory.components, inventory.linked)
        if image_read
        else list(inventory.components)
    )
    notes = list(inventory.diagnostics)
    by_identity: dict[str, list[Component]] = defaultdict(list)
    for component in components:
        by_identity[identity(component)].append(component)
    for group in by_identity.values():
        notes.extend(_conflicts(group))
        if register_read:
            notes.extend(_against_register(group, firmware_read=firmware_read))
    if not register_read and components:
        notes.append(
            Diagnostic(
                code="no-soup-register",
                message="no SOUP register was read: the components found are not declared SOUP",
                level=DiagnosticLevel.INFO,
            )
        )
    return Inventory(tuple(components), tuple(sorted(set(notes))), inventory.linked)


def _evidence(component: Component) -> list[str]:
    return sorted({str(o) for o in component.origins if o.collector != REGISTER_COLLECTOR})


def _declared(component: Component) -> bool:
    return component.soup is not None


def _register_origin(component: Component) -> tuple[str | None, int | None]:
    for origin in component.origins:
        if origin.collector == REGISTER_COLLECTOR:
            return origin.path, origin.line
    return None, None


def _first_origin(component: Component) -> tuple[str | None, int | None]:
    origins = sorted(component.origins)
    return (origins[0].path, origins[0].line) if origins else (None, None)


def _undeclared(component: Component, listed: Sequence[Component]) -> Diagnostic:
    path, line = _first_origin(component)
    also = ""
    if listed:
        versions = ", ".join(sorted({c.version or "unknown version" for c in listed}))
        also = f" at this version (it lists {versions}, which was found too)"
    return Diagnostic(
        code="undeclared-soup",
        message=(
            f"{component.display} was found ({'; '.join(_evidence(component)[:3])}) "
            f"but the SOUP register does not list it{also}"
        ),
        level=DiagnosticLevel.WARNING,
        path=path,
        line=line,
        component=component.bom_ref,
    )


def _against_register(group: Sequence[Component], *, firmware_read: bool) -> Iterable[Diagnostic]:
    declared = [c for c in group if _declared(c)]
    found = [c for c in group if c.found]
    found_elsewhere = [c for c in found if not _declared(c)]
    matched = [c for c in declared if c.found]
    if not declared or matched:
        # Nothing declared, or the declared version was found: every other version found is a
        # copy the register does not list (a second vendored copy, an old archive in the image).
        for component in found_elsewhere:
            yield _undeclared(component, matched)
    for entry in declared:
        path, line = _register_origin(entry)
        if entry.found:
            continue  # the register entry was merged with a finding at the same version
        if found_elsewhere:
            versions = ", ".join(
                f"{c.version or 'unknown version'} ({'; '.join(_evidence(c)[:2])})"
                for c in found_elsewhere
            )
            yield Diagnostic(
                code="soup-version-drift",
                message=(
                    f"{entry.display}: the SOUP register lists version {entry.version}, but it was "
                    f"found at {versions}"
                ),
                level=DiagnosticLevel.WARNING,
                path=path,
                line=line,
                component=entry.bom_ref,
            )
        elif firmware_read and entry.component_class is ComponentClass.FIRMWARE:
            yield Diagnostic(
                code="soup-not-evidenced",
                message=(
                    f"{entry.display}: listed in the SOUP register but not found in any source "
                    "tree, build manifest, image, linker map or imported SBOM that was read"
                ),
                level=DiagnosticLevel.WARNING,
                path=path,
                line=line,
                component=entry.bom_ref,
            )


SIDE_BY_SIDE_ECOSYSTEMS = frozenset({"npm", "crates.io"})
"""Ecosystems whose package managers install several versions of one package in one product
(nested ``node_modules``, semver-incompatible crates): several versions found is their normal
shape, each version is its own component, and it is not reported as conflicting evidence."""


def _conflicts(group: Sequence[Component]) -> Iterable[Diagnostic]:
    if all(c.ecosystem in SIDE_BY_SIDE_ECOSYSTEMS for c in group if c.found):
        return
    found = [c for c in group if c.found and c.version is not None]
    versions = {version_key(c.version) for c in found}
    if len(versions) < 2:
        return
    listing = "; ".join(
        f"{c.version} in {', '.join(_evidence(c)[:2])}"
        for c in sorted(found, key=lambda c: c.version or "")
    )
    for component in found:
        path, line = _first_origin(component)
        yield Diagnostic(
            code="conflicting-evidence",
            message=f"{component.name} was found at {len(versions)} versions: {listing}",
            level=DiagnosticLevel.WARNING,
            path=path,
            line=line,
            component=component.bom_ref,
        )


def _with_presence(
    components: Sequence[Component], linked: Sequence[LinkedFile]
) -> list[Component]:
    archives = {archive_basename(item.path) for item in linked}
    objects = [item.path.replace("\\", "/") for item in linked if item.member is None]
    out = []
    for component in components:
        register_only = component.soup is not None and not component.found
        if component.component_class is not ComponentClass.FIRMWARE or register_only:
            out.append(component)
            continue
        present = (
            any(o.collector in IMAGE_COLLECTORS for o in component.origins)
            or (_linked_from_root(component, objects))
            or _linked_archive(component, archives)
        )
        out.append(
            replace(component, presence=Presence.IN_IMAGE if present else Presence.SOURCE_ONLY)
        )
    return out


def _linked_archive(component: Component, archives: set[str]) -> bool:
    if component.catalogue_id is None:
        return False
    from mdrgate.collect.firmware.catalogue import by_id

    try:
        names = by_id(component.catalogue_id).archive_names
    except KeyError:
        return False
    return any(name.lower() in archives for name in names)


def _linked_from_root(component: Component, objects: Sequence[str]) -> bool:
    """An object file linked from the component's source directory (compared on the last two
    path segments of that directory, since the map names objects below the build directory)."""
    roots = [value for key, value in component.properties if key == COMPONENT_ROOT]
    for root in roots:
        tail = "/".join(root.replace("\\", "/").rstrip("/").split("/")[-2:])
        if tail and any(f"/{tail}/" in f"/{obj}" for obj in objects):
            return True
    return False
