"""Collecting one compiled image: detect its format, scan it once, describe it.

The file is read once, sequentially, in chunks: every chunk is hashed (sha256 for the evidence)
and fed to the signature scanner. Holes of sparse files are skipped (they are zeros: the digest
still covers them, nothing can match in them). ELF metadata comes from a few small reads of
headers and notes; archive members are located from their headers and each hit is attributed to
the member that holds it. Intel HEX and S-record files are decoded record by record and their
data scanned segment by segment, the load address serving as offset.

What the scan finds becomes components (catalogue entries, ``presence=in-image``, one origin per
match: file or ``archive.a(member.o)``, byte offset, matched text). What the image says about
itself (format, build-id, toolchain, package note) goes on the ``InputFile`` of the image, as
properties: the image is the product, not a third-party component, so it is not an inventory
entry; a package note (systemd's ELF package metadata) does name a component, and becomes one.
A version string in an ELF program that loads the component's shared library (``DT_NEEDED``
libcrypto.so.3 next to "OpenSSL 3.0.13 30 Jan 2024") comes from the headers it was compiled with:
it is kept as a ``built-against`` property of the image, not made a component.

Intel HEX and S-record files are read to their end, past end-of-file records (concatenated files);
records rewriting an address are warnings (``image-record-overlap``), the later bytes scanned.
"""

from __future__ import annotations

import dataclasses
import errno
import functools
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

from packageurl import PackageURL

from mdrgate.collect.base import Collected, InputSpec, not_a_regular_file
from mdrgate.collect.firmware import catalogue
from mdrgate.collect.firmware.binary_signatures import shared_library_component
from mdrgate.collect.firmware.images import AR_MAGICS, ELF_MAGIC, image_format, looks_like
from mdrgate.collect.firmware.images.archive import ArchiveTable, read_archive
from mdrgate.collect.firmware.images.elf import ElfInfo, PackageNote, read_elf
from mdrgate.collect.firmware.images.hexfile import Decoded, read_ihex, read_srec
from mdrgate.collect.firmware.images.scan import (
    CHUNK,
    Hit,
    Scanner,
    ScanResult,
    UnitOf,
    evidence_text,
    keep_required,
)
from mdrgate.errors import InputError
from mdrgate.model import (
    Component,
    ComponentClass,
    Diagnostic,
    DiagnosticLevel,
    InputFile,
    Origin,
    Presence,
)

COLLECTOR = "firmware-image"
KIND = "firmware-image"
HOLE_MIN = 1 << 20
"""Holes of sparse files at least this long are skipped instead of read."""
MAX_ORIGINS = 16
MEMBER_READ = 4 << 20
"""Largest archive member read whole for a bare version (``MEMBER_SIGNATURES``)."""
"""Origins kept per component and image (the first, by offset)."""
_ZEROS = bytes(1 << 20)


@functools.cache
def scanner() -> Scanner:
    return Scanner()


@dataclasses.dataclass(slots=True)
class _Found:
    """One piece of evidence, located for people: the path (or ``archive(member)``), offset."""

    hit: Hit
    path: str
    offset: int


def collect_image(spec: InputSpec) -> Collected:
    display = spec.display
    problem = not_a_regular_file(spec.path)
    if problem is not None:
        raise InputError(f"{problem}; a firmware image must be a file", source=display)
    try:
        handle = spec.path.open("rb")
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror or exc}", source=display) from None
    try:
        with handle:
            return _collect(handle, spec.path, display)
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror or exc}", source=display) from None


def _collect(handle: BinaryIO, path: Path, display: str) -> Collected:
    size = os.fstat(handle.fileno()).st_size
    head = handle.read(64)
    handle.seek(0)
    expected = image_format(path) or "unknown"
    diagnostics: list[Diagnostic] = []
    properties: list[tuple[str, str]] = []
    components: list[Component] = []
    found: list[_Found]
    if expected in ("ihex", "srec") and looks_like(expected, head):
        decoded = read_srec(handle) if expected == "srec" else read_ihex(handle)
        found = _scan_decoded(decoded, display, expected, properties, diagnostics)
        sha256 = decoded.sha256
    else:
        digest = hashlib.sha256()
        result = scanner().session()
        if head.startswith(ELF_MAGIC):
            _stream(handle, size, result.feed, digest)
            scan = result.close()
            handle.seek(0)
            info = read_elf(handle, size)
            components += _describe_elf(info, display, properties, diagnostics)
            hits = _not_built_against(keep_required(scan.hits, scan.required), info, properties)
            found = [_Found(h, display, h.offset) for h in hits]
        elif head.startswith(AR_MAGICS):
            table = read_archive(handle, size)
            _stream(handle, size, result.feed, digest)
            found = _archive_found(handle, table, result.close(), path.name, display)
            members = [m for m in table.members if not m.is_index]
            kind = "thin ar archive" if table.thin else "ar archive"
            properties.append(("format", f"{kind}, {len(members)} members"))
            diagnostics += _archive_problems(table, display)
        else:
            if expected in ("elf", "archive", "ihex", "srec"):
                diagnostics.append(_mismatch(display, expected, head))
            _stream(handle, size, result.feed, digest)
            scan = result.close()
            properties.append(("format", "raw binary"))
            found = [_Found(h, display, h.offset) for h in keep_required(scan.hits, scan.required)]
        sha256 = digest.hexdigest()
        if size == 0:
            diagnostics.append(
                Diagnostic(
                    code="image-empty",
                    message=f"{display} is empty: there is nothing in it to scan",
                    level=DiagnosticLevel.ERROR,
                    path=display,
                )
            )
    detected, notes = _components(found, display)
    components += detected
    diagnostics += notes
    if not detected and size:
        diagnostics.append(
            Diagnostic(
                code="no-component-signature",
                message=(
                    f"no version string of a known component was found in {display} "
                    f"({size} bytes scanned)"
                ),
                level=DiagnosticLevel.INFO,
                path=display,
            )
        )
    files = (InputFile(display, KIND, sha256, tuple(properties)),)
    return Collected(
        components=tuple(components), diagnostics=tuple(sorted(set(diagnostics))), files=files
    )


def _stream(
    handle: BinaryIO, size: int, feed: Callable[[bytes, int], None], digest: hashlib._Hash
) -> None:
    """Read the file once in chunks: hash every byte, feed the scanner, skip sparse holes."""
    fd = handle.fileno()
    pread = getattr(os, "pread", None)
    seek_data = getattr(os, "SEEK_DATA", None) if pread is not None else None
    pos = 0
    while pos < size:
        if seek_data is not None:
            try:
                data_at = os.lseek(fd, pos, seek_data)
            except OSError as exc:
                if exc.errno == errno.ENXIO:
                    data_at = size  # nothing but a hole up to the end
                else:
                    seek_data, data_at = None, pos
            data_at = min(data_at, size)
            if data_at - pos >= HOLE_MIN:
                _hole(pos, data_at, feed, digest)
                pos = data_at
                continue
        if pread is not None:  # positioned reads: the lseek(SEEK_DATA) above moves no stream
            block = pread(fd, min(CHUNK, size - pos), pos)
        else:
            handle.seek(pos)
            block = handle.read(min(CHUNK, size - pos))
        if not block:
            raise OSError(errno.EIO, "the file ended early (it was shortened while being read)")
        digest.update(block)
        feed(block, pos)
        pos += len(block)


def _hole(start: int, end: int, feed: Callable[[bytes, int], None], digest: hashlib._Hash) -> None:
    remaining = end - start
    while remaining:
        step = min(remaining, len(_ZEROS))
        digest.update(_ZEROS[:step])
        remaining -= step
    edge = min(end - start, 4096)  # zeros around the data, for patterns that end or start in NULs
    feed(_ZEROS[:edge], start)
    feed(_ZEROS[:edge], end - edge)


def _scan_decoded(
    decoded: Decoded,
    display: str,
    fmt: str,
    properties: list[tuple[str, str]],
    diagnostics: list[Diagnostic],
) -> list[_Found]:
    name = "Intel HEX" if fmt == "ihex" else "Motorola S-record"
    spans = ", ".join(f"0x{a:08x}-0x{a + len(d) - 1:08x}" for a, d in decoded.segments[:8])
    more = f" and {len(decoded.segments) - 8} more" if len(decoded.segments) > 8 else ""
    total = sum(len(d) for _, d in decoded.segments)
    joined = f", {decoded.parts} files concatenated" if decoded.parts > 1 else ""
    properties.append(
        (
            "format",
            f"{name}, {decoded.records} records{joined}, {total} data bytes at "
            f"{spans or '-'}{more}",
        )
    )
    if decoded.header:
        properties.append(("srec-header", decoded.header))
    for line, text in decoded.problems:
        diagnostics.append(
            Diagnostic(
                code="image-record-skipped",
                message=f"{display}" + (f":{line}" if line else "") + f": {text}",
                level=DiagnosticLevel.ERROR,
                path=display,
                line=line or None,
            )
        )
    if decoded.more_problems:
        diagnostics.append(
            Diagnostic(
                code="image-record-skipped",
                message=f"{display}: {decoded.more_problems} further bad records were skipped",
                level=DiagnosticLevel.ERROR,
                path=display,
            )
        )
    for line, text in decoded.warnings:
        diagnostics.append(
            Diagnostic(
                code="image-end-record",
                message=f"{display}" + (f":{line}" if line else "") + f": {text}",
                level=DiagnosticLevel.WARNING,
                path=display,
                line=line or None,
            )
        )
    diagnostics += _rewrites(decoded, display)
    if decoded.records == 0:
        diagnostics.append(
            _malformed(display, f"holds no valid {name} record: nothing in it was scanned")
        )
    session = scanner().session()
    for address, data in decoded.segments:
        session.feed(data, address)
    scan = session.close()
    return [_Found(h, display, h.offset) for h in keep_required(scan.hits, scan.required)]


def _rewrites(decoded: Decoded, display: str) -> list[Diagnostic]:
    """Records writing an address twice: a warning each (the later bytes are the ones scanned)."""
    out = []
    for item in decoded.rewrites:
        what = (
            "the same bytes again"
            if item.same
            else "different bytes; the later record's bytes were kept and scanned"
        )
        out.append(
            Diagnostic(
                code="image-record-overlap",
                message=(
                    f"{display}:{item.line}: the record writes {item.length} byte(s) at "
                    f"0x{item.address:08X} that an earlier record already wrote, with {what}"
                ),
                level=DiagnosticLevel.WARNING,
                path=display,
                line=item.line,
            )
        )
    listed = len(decoded.rewrites)
    total = decoded.rewrite_counts[True] + decoded.rewrite_counts[False]
    if total > listed:
        out.append(
            Diagnostic(
                code="image-record-overlap",
                message=(
                    f"{display}: {total - listed} further records rewrite addresses written "
                    f"before ({decoded.rewrite_counts[False]} of all {total} with different "
                    "bytes)"
                ),
                level=DiagnosticLevel.WARNING,
                path=display,
            )
        )
    return out


def _attribute_members(scan: ScanResult, members: Iterable[object], display: str) -> list[_Found]:
    from mdrgate.collect.firmware.images.archive import Member

    table = [m for m in members if isinstance(m, Member) and not m.is_index]
    units = UnitOf([(m.offset, m.offset + m.size, i) for i, m in enumerate(table)])
    out: list[_Found] = []
    for hit in keep_required(scan.hits, scan.required):
        index = units(hit.offset)
        if index is None or units(hit.end - 1) != index:
            continue  # in a header or an index table, or across two members
        member = table[index]
        out.append(_Found(hit, f"{display}({member.name})", hit.offset - member.offset))
    return out


def _archive_found(
    handle: BinaryIO, table: ArchiveTable, scan: ScanResult, name: str, display: str
) -> list[_Found]:
    found = _attribute_members(scan, table.members, display)
    return found + _member_versions(handle, table.members, name, display)


def _archive_problems(table: ArchiveTable, display: str) -> list[Diagnostic]:
    out = [_malformed(display, text) for text in table.problems]
    if table.thin:
        out.append(
            _malformed(
                display,
                "is a thin archive: its members are files beside it and are not in it; "
                "give those object files (or the full archive) to scan them",
            )
        )
    return out


def _member_versions(
    handle: BinaryIO, members: Iterable[object], archive: str, display: str
) -> list[_Found]:
    """The bare versions ``MEMBER_SIGNATURES`` read in the archive's named members, when the
    archive's file name is one of the component's (``liblzma.a``)."""
    from mdrgate.collect.firmware.binary_signatures import MEMBER_SIGNATURES
    from mdrgate.collect.firmware.images.archive import Member

    definition = catalogue.by_archive(archive)
    if definition is None:
        return []
    rules = [s for s in MEMBER_SIGNATURES if s.component == definition.id and s.member]
    out: list[_Found] = []
    for member in members:
        if not isinstance(member, Member) or not 0 < member.size <= MEMBER_READ:
            continue
        for sig in rules:
            if not re.fullmatch(sig.member or "", member.name):
                continue
            handle.seek(member.offset)
            data = handle.read(member.size)
            matches = [
                (m, sig.version_of(m["version"].decode("ascii")))
                for m in sig.compiled().finditer(data)
            ]
            versions = {version for _, version in matches}
            if len(versions) != 1 or None in versions:
                continue  # none, or several: the member does not say which is the version
            m, version = matches[0]
            hit = Hit(
                sig,
                member.offset + m.start(),
                member.offset + m.end(),
                version,
                evidence_text(m.group()),
            )
            out.append(_Found(hit, f"{display}({member.name})", m.start()))
    return out


def _components(found: list[_Found], display: str) -> tuple[list[Component], list[Diagnostic]]:
    """One component per catalogue id and version; conflicts and unknown versions reported."""
    by_key: dict[tuple[str, str | None], list[_Found]] = {}
    for item in found:
        by_key.setdefault((item.hit.signature.component, item.hit.version), []).append(item)
    versioned = {cid for (cid, version) in by_key if version is not None}
    components: list[Component] = []
    diagnostics: list[Diagnostic] = []
    versions_of: dict[str, list[Component]] = {}
    for (cid, version), items in sorted(by_key.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        if version is None and cid in versioned:
            continue  # the same library, its version read elsewhere in the file
        definition = _definition(cid)
        if definition is None:
            continue
        origins = sorted({_origin(f) for f in items})[:MAX_ORIGINS]
        component = dataclasses.replace(
            catalogue.make_component(definition, version, origins[0]),
            origins=tuple(origins),
            presence=Presence.IN_IMAGE,
        )
        components.append(component)
        versions_of.setdefault(cid, []).append(component)
        if version is None:
            first = origins[0]
            diagnostics.append(
                Diagnostic(
                    code="no-exact-version",
                    message=(
                        f"{definition.name} was found in {first.location} ({first.text}), but "
                        "no version string of it could be read there"
                    ),
                    level=DiagnosticLevel.WARNING,
                    path=display,
                    component=component.bom_ref,
                )
            )
    for found_versions in versions_of.values():
        known = [c for c in found_versions if c.version is not None]
        if len(known) > 1:
            listing = "; ".join(
                f"{c.version} at {', '.join(o.location for o in c.origins[:3])}" for c in known
            )
            diagnostics.append(
                Diagnostic(
                    code="conflicting-evidence",
                    message=(
                        f"{display} holds {len(known)} versions of {known[0].name}: {listing}; "
                        "both are kept"
                    ),
                    level=DiagnosticLevel.WARNING,
                    path=display,
                    component=known[0].bom_ref,
                )
            )
    return components, diagnostics


def _definition(component_id: str) -> catalogue.ComponentDef | None:
    try:
        return catalogue.by_id(component_id)
    except KeyError:
        return None  # a signature for a component the catalogue does not (yet) describe


def _origin(found: _Found) -> Origin:
    return Origin(COLLECTOR, found.path, offset=found.offset, text=found.hit.text)


def _not_built_against(
    hits: list[Hit], info: ElfInfo, properties: list[tuple[str, str]]
) -> list[Hit]:
    """The hits that are copies of a component: not those of a component whose shared library
    the ELF file loads at run time (those name the headers it was compiled with; each becomes a
    ``built-against`` property of the image instead). A library's own strings are kept, and so
    is a program's own version line (``Signature.program``: the curl tool, the openssl program,
    which are the component as much as its library is)."""
    loaded: dict[str, str] = {}
    for soname in info.needed:
        component = shared_library_component(soname)
        if component is not None:
            loaded.setdefault(component, soname)
    if info.soname:
        loaded.pop(shared_library_component(info.soname) or "", None)
    if not loaded:
        return hits
    kept: list[Hit] = []
    headers: dict[tuple[str, str | None], Hit] = {}
    for hit in hits:
        component = hit.signature.component
        if component in loaded and not hit.signature.program:
            headers.setdefault((component, hit.version), hit)
        else:
            kept.append(hit)
    versioned = {component for component, version in headers if version is not None}
    for (component, version), hit in sorted(
        headers.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")
    ):
        if version is None and component in versioned:
            continue
        definition = _definition(component)
        name = definition.name if definition is not None else component
        properties.append(
            (
                "built-against",
                f"{name} {version or '(version not read)'}: {loaded[component]} is loaded at run "
                f"time; the text at 0x{hit.offset:x} ({hit.text}) comes from its headers",
            )
        )
    return kept


def _describe_elf(
    info: ElfInfo,
    display: str,
    properties: list[tuple[str, str]],
    diagnostics: list[Diagnostic],
) -> list[Component]:
    if info.bits:
        properties.append(("format", info.describe()))
    if info.build_id:
        properties.append(("build-id", info.build_id))
    if info.soname:
        properties.append(("soname", info.soname))
    if info.needed:
        properties.append(("needed", _short(", ".join(info.needed).encode(), 500)))
    for comment in info.comments:
        properties.append(("toolchain", comment))
    for text in info.problems:
        diagnostics.append(_malformed(display, text))
    components = []
    for note in info.package_notes:
        properties.append(("package-note", note.payload.decode("utf-8", "replace")[:500]))
        component = _package_component(note, display, diagnostics)
        if component is not None:
            components.append(component)
    return components


def _package_component(
    note: PackageNote, display: str, diagnostics: list[Diagnostic]
) -> Component | None:
    """The component an ELF package note names (type, name, version, architecture, CPEs)."""
    try:
        data = json.loads(note.payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        diagnostics.append(
            _malformed(display, f"has a package note at 0x{note.offset:x} that is not JSON: {exc}")
        )
        return None
    if not isinstance(data, dict) or not isinstance(data.get("name"), str) or not data["name"]:
        diagnostics.append(
            _malformed(display, f"has a package note at 0x{note.offset:x} without a name")
        )
        return None
    fields = {k: v for k, v in data.items() if isinstance(v, str)}
    name, version = fields["name"], fields.get("version") or None
    ptype = fields.get("type", "generic").lower()
    purl_type = ptype if ptype in ("deb", "rpm", "apk", "alpm") else "generic"
    namespace = fields.get("os", "").lower() or None if purl_type != "generic" else None
    qualifiers = {"arch": fields["architecture"]} if fields.get("architecture") else {}
    purl = PackageURL(
        type=purl_type, namespace=namespace, name=name, version=version, qualifiers=qualifiers
    ).to_string()
    cpes = tuple(fields[k] for k in ("appCpe", "cpe") if fields.get(k))
    properties = tuple(
        (f"package-note:{key}", fields[key])
        for key in ("type", "os", "osVersion", "osCpe", "architecture", "debugInfoUrl")
        if fields.get(key)
    )
    origin = Origin(COLLECTOR, display, offset=note.offset, text=_short(note.payload))
    component = Component(
        name=name,
        version=version,
        component_class=ComponentClass.FIRMWARE,
        purl=purl,
        cpes=cpes,
        origins=(origin,),
        properties=properties,
        presence=Presence.IN_IMAGE,
    )
    if version is None:
        diagnostics.append(
            Diagnostic(
                code="no-exact-version",
                message=f"the package note of {display} names {name} without a version",
                path=display,
                component=component.bom_ref,
            )
        )
    return component


def _short(payload: bytes, limit: int = 120) -> str:
    text = payload.decode("utf-8", "replace")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _malformed(display: str, text: str) -> Diagnostic:
    return Diagnostic(
        code="image-malformed",
        message=f"{display}: {text}",
        level=DiagnosticLevel.ERROR,
        path=display,
    )


def _mismatch(display: str, expected: str, head: bytes) -> Diagnostic:
    names = {
        "elf": "an ELF file",
        "archive": "an ar archive",
        "ihex": "an Intel HEX file",
        "srec": "an S-record file",
    }
    return Diagnostic(
        code="image-format-mismatch",
        message=(
            f"{display}: its name says {names[expected]}, but it starts with {head[:8]!r}; "
            "it was scanned as a raw binary"
        ),
        level=DiagnosticLevel.ERROR,
        path=display,
    )
