"""One inventory from many collectors: the same component found twice is one component.

Components are merged by identity and version (``identifiers.merge_key``): the firmware
catalogue's id or the purl without version, and the version as the ecosystem compares it
(``V10.4.3`` and ``10.4.3`` are one FreeRTOS release). The SOUP register's data attaches to the
component a collector found, so the register documents what was detected. Where the register
and the findings disagree is for ``reconcile`` to report.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from mdrgate.identifiers import merge_key
from mdrgate.model import Component, Diagnostic, Inventory, LinkedFile


def merge(
    components: Iterable[Component],
    diagnostics: Iterable[Diagnostic],
    linked: Iterable[LinkedFile] = (),
) -> Inventory:
    groups: dict[tuple[str, str | None], list[Component]] = {}
    for component in components:
        groups.setdefault(merge_key(component), []).append(component)
    merged: dict[tuple[str, str | None], Component] = {}
    for key, group in groups.items():
        # The same result whatever the order of the inputs: the register's entry first (its
        # supplier, licence and description are the manufacturer's declaration), then the rest in
        # the order of their origins.
        group.sort(key=lambda c: (c.soup is None, c.origins, c.name))
        folded = group[0]
        for other in group[1:]:
            folded = _combine(folded, other)
        merged[key] = folded
    notes = list(diagnostics)
    _fold_unknown_versions(merged, notes)
    ordered = tuple(sorted(_one_per_bom_ref(merged.values()), key=lambda c: (c.bom_ref, c.name)))
    return Inventory(
        ordered, tuple(sorted(set(notes))), tuple(sorted(set(linked), key=_linked_key))
    )


def _one_per_bom_ref(components: Iterable[Component]) -> list[Component]:
    """Records that name the same purl and version are one component, even when only one of them
    was recognised as a catalogue component (an SBOM's bom-refs must be unique)."""
    by_ref: dict[str, Component] = {}
    for component in sorted(components, key=lambda c: (c.soup is None, c.origins, c.name)):
        existing = by_ref.get(component.bom_ref)
        by_ref[component.bom_ref] = component if existing is None else _combine(existing, component)
    return list(by_ref.values())


VERSION_FROM_REGISTER = ("mdrgate:version-from", "register")


def _fold_unknown_versions(
    merged: dict[tuple[str, str | None], Component], notes: list[Diagnostic]
) -> None:
    """Give a firmware finding without a version the version the other evidence shows.

    A linker map names ``libmbedcrypto.a`` but not its version; the image or the headers say
    2.28.3. When exactly one version of that component was found, the versionless finding is the
    same component and becomes more evidence for it (its ``no-exact-version`` note goes). With
    several versions found it stays a known unknown: which copy it is cannot be told. When no
    version was found at all but the SOUP register declares exactly one, the finding is taken as
    evidence that the declared component is present (the version then comes from the register,
    and the component says so: ``mdrgate:version-from = register``). Python packages are not
    folded: an unpinned requirement is not pinned by another file's lock.
    """
    by_identity: dict[str, list[tuple[str, str | None]]] = {}
    for key, component in merged.items():
        if component.ecosystem is None:
            by_identity.setdefault(key[0], []).append(key)
    for keys in by_identity.values():
        # Only findings that state nothing about their version (a linker map naming an archive):
        # a declared range or a development version is not the release found elsewhere.
        unknown = [
            k
            for k in keys
            if k[1] is None and merged[k].soup is None and merged[k].version_spec is None
        ]
        known = [k for k in keys if k[1] is not None and merged[k].found]
        declared = [k for k in keys if k[1] is not None and merged[k].soup is not None]
        if not unknown or len(known) > 1 or (not known and len(declared) != 1):
            continue
        into = known[0] if known else declared[0]
        target = merged[into]
        if not known:
            target = replace(
                target, properties=tuple(sorted({*target.properties, VERSION_FROM_REGISTER}))
            )
        for key in unknown:
            stray = merged.pop(key)
            notes[:] = [
                n
                for n in notes
                if not (n.code == "no-exact-version" and n.component == stray.bom_ref)
            ]
            target = _combine(target, replace(stray, version=target.version, purl=None))
        merged[into] = target


def _linked_key(item: LinkedFile) -> tuple[str, str, str]:
    return (item.map_file, item.path, item.member or "")


def _combine(a: Component, b: Component) -> Component:
    # A register title ("Python Requests library") stays in the SOUP record; the component keeps
    # the name its package manager uses, as found in the lock file or environment.
    name = b.name if a.soup is not None and b.soup is None else a.name
    return Component(
        name=name,
        version=a.version,
        component_class=a.component_class,
        ecosystem=a.ecosystem or b.ecosystem,
        purl=a.purl or b.purl,
        cpes=tuple(sorted(set(a.cpes) | set(b.cpes))),
        supplier=a.supplier or b.supplier,
        licenses=a.licenses or b.licenses,
        hashes=tuple(sorted(set(a.hashes) | set(b.hashes))),
        origins=tuple(sorted(set(a.origins) | set(b.origins))),
        soup=a.soup or b.soup,
        version_spec=a.version_spec or b.version_spec,
        description=a.description or b.description,
        properties=tuple(sorted(set(a.properties) | set(b.properties))),
        catalogue_id=a.catalogue_id or b.catalogue_id,
        presence=a.presence or b.presence,
    )
