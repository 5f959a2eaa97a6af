"""Entries of an SBOM turned into inventory components, with the diagnostics they call for.

Identity. A purl's type gives the OSV ecosystem (``pkg:pypi/...`` → PyPI), so imported packages
of a language ecosystem are matched like collected ones and merge with them; PyPI names are
normalised (PEP 503) as the Python collectors do. A component of no such ecosystem is looked up
in the firmware catalogue (by purl, CPE, then name; an ecosystem package by its purl only, as
vendored JavaScript is catalogued under ``pkg:npm``); when found it gets the catalogue id (so it
merges with what the firmware collectors detect), the catalogue's purl when it had none, and the
catalogue's NVD CPEs next to its own. purls and CPEs are otherwise kept as given.

Versions. When a component names no version, its purl's version is used (without a purl, its
CPE 2.3 name's version: Zephyr's module documents state versions only there). When both are stated
and differ: for a package-ecosystem purl (PyPI, npm, Go...) the purl's version is used, as it is
what the package manager and the advisories call the release (syft writes Go's standard library
as version ``go1.23.4``, purl ``@1.23.4``); otherwise the version field wins and the purl is rebuilt
with it (a bom-ref must name one version). Either way the other spelling is kept as a property,
with a warning unless both name one release (``V10.4.3``/``10.4.3``). A component without any
version is kept as a "known unknown" with a ``no-exact-version`` warning.

Class. Packages of a language ecosystem (PyPI, npm...) are host software; everything else an
SBOM lists (embedded Linux packages, RTOS, libraries identified by CPE or ``pkg:generic``) is
treated as firmware, unless the catalogue says otherwise.
"""

from __future__ import annotations

import re

from packageurl import PackageURL

from mdrgate.collect.firmware.catalogue import lookup
from mdrgate.collect.sbom.entries import COLLECTOR, PROP_PURL, Entry, Parsed, clip, listing
from mdrgate.identifiers import canonical_purl, ecosystem_for_purl, is_cpe, version_key
from mdrgate.model import (
    Component,
    ComponentClass,
    Diagnostic,
    DiagnosticLevel,
    Hash,
    Origin,
)

PROP_VERSION_FROM = "mdrgate:sbom:version-from"
"""``purl`` when the component's version was taken from its purl (no version field, or a
package-ecosystem purl whose version is spelled differently); ``cpe`` when from its CPE."""
PROP_STATED_VERSION = "mdrgate:sbom:stated-version"
"""The version field when it disagrees with the ecosystem purl's version, which is used."""


def build(parsed: Parsed) -> tuple[list[Component], list[Diagnostic]]:
    """The components of ``parsed`` and every diagnostic about the document."""
    notes: list[Diagnostic] = list(parsed.notes)
    components: list[Component] = []
    for entry in parsed.entries:
        component = _component(entry, parsed, notes)
        components.append(component)
        if component.version is None:
            notes.append(
                Diagnostic(
                    code="no-exact-version",
                    message=(
                        f"{component.name}: cannot be assessed: the SBOM states no version "
                        f"({entry.where})"
                    ),
                    level=DiagnosticLevel.WARNING,
                    path=parsed.display,
                    line=entry.line,
                    component=component.bom_ref,
                )
            )
    notes.extend(_summary(parsed, len(components)))
    return components, notes


def _summary(parsed: Parsed, imported: int) -> list[Diagnostic]:
    subject = f", describing {parsed.subject}" if parsed.subject else ""
    skipped = sum(len(labels) for labels in parsed.skipped.values())
    notes = [
        Diagnostic(
            code="sbom-imported",
            message=(
                f"{parsed.format}{subject}: {imported} component"
                f"{'' if imported == 1 else 's'} imported"
                + (
                    f", {skipped} entr{'y' if skipped == 1 else 'ies'} not imported"
                    if skipped
                    else ""
                )
            ),
            level=DiagnosticLevel.INFO,
            path=parsed.display,
        )
    ]
    for reason, labels in sorted(parsed.skipped.items()):
        notes.append(
            Diagnostic(
                code="sbom-entry-skipped",
                message=f"not imported as components ({len(labels)}): {listing(labels)} - {reason}",
                level=DiagnosticLevel.INFO,
                path=parsed.display,
            )
        )
    return notes


def _same_version(stated: str, in_purl: str) -> bool:
    """Whether two spellings name one release: ``V10.4.3`` and ``10.4.3``, ``go1.23.4`` and
    ``1.23.4``, ``mbedtls-3.6.2`` and ``3.6.2``."""
    if version_key(stated) == version_key(in_purl):
        return True
    short, long = sorted((stated, in_purl), key=len)
    return long.endswith(short) and not (
        long[-len(short) - 1].isdigit() or long[-len(short) - 1] == "."
    )


def _cpe_version(cpes: list[str]) -> str | None:
    """The version a CPE 2.3 name states (its sixth part), unescaped; ``None`` for ``*``/``-``."""
    for cpe in cpes:
        if not cpe.startswith("cpe:2.3:"):
            continue
        parts = re.split(r"(?<!\\):", cpe)
        if len(parts) > 5 and parts[5] not in ("*", "-", ""):
            return re.sub(r"\\(.)", r"\1", parts[5])
    return None


class _Notes:
    """Warnings about one entry, located at it."""

    def __init__(self, entry: Entry, display: str, notes: list[Diagnostic]) -> None:
        self.entry, self.display, self.notes = entry, display, notes

    def warn(self, code: str, message: str) -> None:
        entry = self.entry
        self.notes.append(
            Diagnostic(
                code=code,
                message=f"{entry.where} ({entry.label}): {message}",
                level=DiagnosticLevel.WARNING,
                path=self.display,
                line=entry.line,
            )
        )


def _purl_and_version(
    entry: Entry, notes: _Notes, properties: list[tuple[str, str]]
) -> tuple[PackageURL | None, str | None, str | None]:
    """The entry's parsed purl, the purl to record (rebuilt when needed) and its version."""
    version = entry.version
    if not entry.purl:
        return None, None, version
    try:
        parsed = PackageURL.from_string(entry.purl)
    except ValueError as exc:
        notes.warn(
            "sbom-invalid-field",
            f"purl {clip(entry.purl, 100)!r} is not valid ({exc}); kept as a property only",
        )
        properties.append((PROP_PURL, clip(entry.purl)))
        return None, None, version
    changed = parsed
    in_purl = parsed.version
    # In a package ecosystem the purl is what the package manager (and the advisories) call the
    # package, version included; elsewhere the component's version field is the version.
    ecosystem = ecosystem_for_purl(parsed)
    if in_purl and (version is None or (ecosystem is not None and version != in_purl)):
        if version is not None and not _same_version(version, in_purl):
            notes.warn(
                "sbom-version-mismatch",
                f"the version is {version!r} but the purl names {in_purl!r}; the purl's "
                f"{in_purl!r} is used (it is the package manager's) and {version!r} is kept as "
                "a property",
            )
            properties.append((PROP_STATED_VERSION, clip(version, 200)))
        version = in_purl
        properties.append((PROP_VERSION_FROM, "purl"))
    elif version is not None and in_purl and not _same_version(version, in_purl):
        notes.warn(
            "sbom-version-mismatch",
            f"the version is {version!r} but the purl names {in_purl!r}; {version!r} is "
            "used and the purl is kept as a property",
        )
        properties.append((PROP_PURL, clip(entry.purl)))
        changed = changed._replace(version=version)
    elif version is not None and not in_purl:
        changed = changed._replace(version=version)
    if ecosystem is not None:
        changed = canonical_purl(changed)
    if ecosystem is not None or changed != parsed:
        return parsed, changed.to_string(), version
    return parsed, entry.purl, version


def _component(entry: Entry, parsed: Parsed, notes: list[Diagnostic]) -> Component:
    display = parsed.display
    properties = list(entry.properties)
    located = _Notes(entry, display, notes)
    parsed_purl, purl, version = _purl_and_version(entry, located, properties)
    ecosystem = ecosystem_for_purl(parsed_purl) if parsed_purl is not None else None
    name = entry.name or (parsed_purl.name if parsed_purl is not None else None) or entry.where

    cpes: list[str] = []
    for cpe in entry.cpes:
        if is_cpe(cpe):
            cpes.append(cpe)
        else:
            located.warn(
                "sbom-invalid-field", f"{clip(cpe, 100)!r} is not a CPE 2.3 or 2.2 name; ignored"
            )
    if version is None and parsed_purl is None:
        version = _cpe_version(cpes)
        if version is not None:
            properties.append((PROP_VERSION_FROM, "cpe"))

    supplier = entry.supplier
    component_class = ComponentClass.HOST if ecosystem else ComponentClass.FIRMWARE
    catalogue_id: str | None = None
    # A package of a language ecosystem is the catalogue's only when its purl says so (vendored
    # JavaScript is catalogued under pkg:npm); names and CPEs identify only the others.
    if ecosystem is None:
        definition = lookup(name=entry.lookup_name or name, purl=purl, cpes=cpes)
    else:
        definition = lookup(purl=purl)
    if definition is not None:
        catalogue_id = definition.id
        component_class = definition.component_class
        supplier = supplier or definition.supplier
        if purl is None:
            purl = definition.purl_for(version)
        cpes.extend(c for c in definition.cpes_for(version) if c not in cpes)

    text = clip(entry.ref or entry.label, 120)
    return Component(
        name=name,
        version=version,
        component_class=component_class,
        ecosystem=ecosystem,
        purl=purl,
        cpes=tuple(cpes),
        supplier=supplier,
        licenses=entry.licenses,
        hashes=tuple(Hash(alg, value) for alg, value in entry.hashes),
        origins=(Origin(COLLECTOR, display, entry.line, text=text),),
        description=entry.description,
        properties=tuple(sorted(set(properties))),
        catalogue_id=catalogue_id,
    )
