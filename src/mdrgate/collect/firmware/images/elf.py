"""ELF metadata an image carries about itself: build-id, package note, toolchain, architecture.

Only headers, the section table and a few small sections are read (``struct``, no whole-file
load). Every offset and size read from the file is checked against the file's size before it is
used, so a truncated or hostile file yields problems (for diagnostics), never an exception.
References: the System V gABI (ELF header, section and program headers, notes, the dynamic
section), the GNU build-id note (``NT_GNU_BUILD_ID``) and the package-metadata note of
https://systemd.io/ELF_PACKAGE_METADATA/ (owner ``FDO``, type ``0xcafe1a7e``, a JSON object as
descriptor).

The dynamic section says which shared libraries the file needs (``DT_NEEDED``) and, for a library,
its own name (``DT_SONAME``): a version string of a library found in a program that loads that
library at run time comes from the library's headers, not from a copy of the library. It is read
from the section table, or, when that was stripped, from the ``PT_DYNAMIC`` segment, whose string
table is found through the ``PT_LOAD`` segment that maps it.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import BinaryIO

ELF_MAGIC = b"\x7fELF"
NT_GNU_BUILD_ID = 3
NT_FDO_PACKAGING_METADATA = 0xCAFE1A7E
SHT_NOTE = 7
SHT_DYNAMIC = 6
SHT_NOBITS = 8
PT_LOAD = 1
PT_DYNAMIC = 2
PT_NOTE = 4
DT_NULL = 0
DT_NEEDED = 1
DT_STRTAB = 5
DT_STRSZ = 10
DT_SONAME = 14
DT_FLAGS_1 = 0x6FFFFFFB
DF_1_PIE = 0x08000000
_MAX_DYNAMIC_BYTES = 1 << 20
_MAX_NEEDED = 256
_MAX_SECTIONS = 1 << 16
_MAX_NOTE_BYTES = 1 << 20
_MAX_COMMENT_BYTES = 1 << 16
_MAX_STRTAB_BYTES = 4 << 20

_TYPES = {0: "none", 1: "relocatable", 2: "executable", 3: "shared object", 4: "core"}
_MACHINES = {
    2: "SPARC",
    3: "x86",
    8: "MIPS",
    20: "PowerPC",
    21: "PowerPC64",
    22: "S/390",
    40: "ARM",
    42: "SuperH",
    43: "SPARC V9",
    50: "IA-64",
    62: "x86-64",
    83: "AVR",
    94: "Xtensa",
    105: "MSP430",
    164: "Hexagon",
    183: "AArch64",
    243: "RISC-V",
    258: "LoongArch",
}


@dataclass(frozen=True, slots=True)
class PackageNote:
    offset: int
    payload: bytes


@dataclass(slots=True)
class ElfInfo:
    """What the headers say; ``problems`` are human sentences about what could not be read."""

    bits: int = 0
    endian: str = ""
    type: str = ""
    machine: str = ""
    build_id: str | None = None
    package_notes: list[PackageNote] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    needed: list[str] = field(default_factory=list)
    """The shared libraries the file loads (``DT_NEEDED``), in file order."""
    soname: str | None = None
    """The file's own name as a shared library (``DT_SONAME``)."""
    problems: list[str] = field(default_factory=list)

    def describe(self) -> str:
        order = "LSB" if self.endian == "little" else "MSB"
        return f"ELF {self.bits}-bit {order} {self.type}, {self.machine}"


@dataclass(frozen=True, slots=True)
class _Segment:
    kind: int
    offset: int
    vaddr: int
    filesz: int
    align: int


class _Reader:
    def __init__(self, handle: BinaryIO, size: int, info: ElfInfo) -> None:
        self.handle = handle
        self.size = size
        self.info = info

    def read(self, offset: int, length: int, what: str) -> bytes | None:
        if offset < 0 or length < 0 or offset + length > self.size:
            self.info.problems.append(
                f"the {what} at offset 0x{offset:x} ({length} bytes) runs past the end of the file "
                f"({self.size} bytes): the file is truncated or malformed"
            )
            return None
        self.handle.seek(offset)
        data = self.handle.read(length)
        if len(data) != length:
            self.info.problems.append(f"the {what} at offset 0x{offset:x} could not be read")
            return None
        return data


def read_elf(handle: BinaryIO, size: int) -> ElfInfo:
    """The metadata of the ELF file open in ``handle`` (``size`` bytes long)."""
    info = ElfInfo()
    reader = _Reader(handle, size, info)
    ident = reader.read(0, 16, "ELF identification")
    if ident is None or ident[:4] != ELF_MAGIC:
        return info
    if ident[4] not in (1, 2) or ident[5] not in (1, 2):
        info.problems.append(
            f"the ELF identification is invalid (class {ident[4]}, data encoding {ident[5]}): "
            "not a valid ELF file"
        )
        return info
    info.bits = 32 if ident[4] == 1 else 64
    info.endian = "little" if ident[5] == 1 else "big"
    e = "<" if ident[5] == 1 else ">"
    header_format = e + ("HHIIIIIHHHHHH" if info.bits == 32 else "HHIQQQIHHHHHH")
    header = reader.read(16, struct.calcsize(header_format), "ELF header")
    if header is None:
        return info
    (e_type, e_machine, _v, _entry, e_phoff, e_shoff, _flags, _ehsize, e_phentsize, e_phnum,
     e_shentsize, e_shnum, e_shstrndx) = struct.unpack(header_format, header)  # fmt: skip
    info.type = _TYPES.get(e_type, f"type 0x{e_type:x}")
    info.machine = _MACHINES.get(e_machine, f"machine {e_machine}")
    notes_found, dynamic_found, flags = _sections(
        reader, e, e_shoff, e_shentsize, e_shnum, e_shstrndx
    )
    if e_phoff and not (notes_found and dynamic_found):
        segments = _program_headers(reader, e, e_phoff, e_phentsize, e_phnum)
        if not notes_found:
            _segment_notes(reader, e, segments)
        if not dynamic_found:
            flags = _segment_dynamic(reader, e, segments)
    if e_type == 3 and flags & DF_1_PIE:
        info.type = "PIE executable"
    return info


def _sections(
    reader: _Reader, e: str, shoff: int, entsize: int, count: int, strndx: int
) -> tuple[bool, bool, int]:
    """Read notes, ``.comment`` and the dynamic section from the section table: whether a note
    section and a dynamic section exist, and the dynamic section's ``DT_FLAGS_1``."""
    info = reader.info
    if shoff == 0:
        return False, False, 0
    fmt = e + ("IIIIIIIIII" if info.bits == 32 else "IIQQQQIIQQ")
    if entsize < struct.calcsize(fmt):
        info.problems.append(f"the section header size ({entsize}) is too small for ELF{info.bits}")
        return False, False, 0
    first = reader.read(shoff, struct.calcsize(fmt), "section header table")
    if first is None:
        return False, False, 0
    zero = struct.unpack(fmt, first)
    if count == 0:
        count = zero[5]  # more than 0xff00 sections: the count is in section 0's size
    if strndx == 0xFFFF:
        strndx = zero[6]
    if count > _MAX_SECTIONS or shoff + count * entsize > reader.size:
        info.problems.append(
            f"the section header table ({count} entries at offset 0x{shoff:x}) runs past the end "
            f"of the file ({reader.size} bytes): the file is truncated or malformed"
        )
        return False, False, 0
    table = reader.read(shoff, count * entsize, "section header table")
    if table is None:
        return False, False, 0
    sections = [struct.unpack_from(fmt, table, i * entsize) for i in range(count)]
    names = b""
    if 0 < strndx < count:
        strtab = sections[strndx]
        if strtab[5] <= _MAX_STRTAB_BYTES:
            names = reader.read(strtab[4], strtab[5], "section name table") or b""
    any_note = any_dynamic = False
    flags = 0
    for index, section in enumerate(sections):
        if index == 0:
            continue
        name_off, sh_type, offset, size, link, align = (
            section[0],
            section[1],
            section[4],
            section[5],
            section[6],
            section[8],
        )
        name = _cstring(names, name_off)
        if sh_type == SHT_DYNAMIC and not any_dynamic:
            any_dynamic = True
            strings = b""
            if 0 < link < count and sections[link][1] != SHT_NOBITS:
                strtab = sections[link]
                if strtab[5] <= _MAX_STRTAB_BYTES:
                    strings = reader.read(strtab[4], strtab[5], "dynamic string table") or b""
            entries = _dynamic_entries(reader, e, offset, size)
            flags = _dynamic(info, entries, strings)
        elif sh_type == SHT_NOTE:
            any_note = True
            if size <= _MAX_NOTE_BYTES:
                data = reader.read(offset, size, f"note section {name or index}")
                if data is not None:
                    _notes(info, data, offset, e, 8 if align == 8 else 4)
        elif name == ".comment" and sh_type != SHT_NOBITS:
            data = reader.read(offset, min(size, _MAX_COMMENT_BYTES), ".comment section")
            if data:
                for part in data.split(b"\x00"):
                    text = part.decode("utf-8", "replace").strip()
                    if text and text not in info.comments and len(info.comments) < 16:
                        info.comments.append(text[:200])
    return any_note, any_dynamic, flags


def _program_headers(
    reader: _Reader, e: str, phoff: int, entsize: int, count: int
) -> list[_Segment]:
    info = reader.info
    fmt = e + ("IIIIIIII" if info.bits == 32 else "IIQQQQQQ")
    if entsize < struct.calcsize(fmt) or count > _MAX_SECTIONS:
        info.problems.append("the program header table is malformed")
        return []
    table = reader.read(phoff, count * entsize, "program header table")
    if table is None:
        return []
    out = []
    for i in range(count):
        fields = struct.unpack_from(fmt, table, i * entsize)
        if info.bits == 32:  # type, offset, vaddr, paddr, filesz, memsz, flags, align
            out.append(_Segment(fields[0], fields[1], fields[2], fields[4], fields[7]))
        else:  # type, flags, offset, vaddr, paddr, filesz, memsz, align
            out.append(_Segment(fields[0], fields[2], fields[3], fields[5], fields[7]))
    return out


def _segment_notes(reader: _Reader, e: str, segments: list[_Segment]) -> None:
    """Notes from the program headers, for images whose section table was stripped."""
    for segment in segments:
        if segment.kind == PT_NOTE and segment.filesz <= _MAX_NOTE_BYTES:
            data = reader.read(segment.offset, segment.filesz, "note segment")
            if data is not None:
                _notes(reader.info, data, segment.offset, e, 8 if segment.align == 8 else 4)


def _segment_dynamic(reader: _Reader, e: str, segments: list[_Segment]) -> int:
    """The dynamic segment, for images whose section table was stripped; its ``DT_FLAGS_1``."""
    dynamic = next((s for s in segments if s.kind == PT_DYNAMIC), None)
    if dynamic is None:
        return 0
    entries = _dynamic_entries(reader, e, dynamic.offset, dynamic.filesz)
    address = next((v for t, v in entries if t == DT_STRTAB), None)
    size = next((v for t, v in entries if t == DT_STRSZ), None)
    strings = b""
    if address is not None and size is not None and size <= _MAX_STRTAB_BYTES:
        for load in segments:
            if load.kind == PT_LOAD and load.vaddr <= address < load.vaddr + load.filesz:
                offset = load.offset + (address - load.vaddr)
                length = min(size, load.vaddr + load.filesz - address)
                strings = reader.read(offset, length, "dynamic string table") or b""
                break
        else:
            reader.info.problems.append(
                f"the dynamic string table (address 0x{address:x}) is in no loaded segment"
            )
    return _dynamic(reader.info, entries, strings)


def _dynamic_entries(reader: _Reader, e: str, offset: int, size: int) -> list[tuple[int, int]]:
    """The (tag, value) entries of a dynamic section, up to ``DT_NULL``."""
    fmt = e + ("II" if reader.info.bits == 32 else "QQ")
    width = struct.calcsize(fmt)
    if size > _MAX_DYNAMIC_BYTES:
        reader.info.problems.append(
            f"the dynamic section at offset 0x{offset:x} is implausibly large ({size} bytes); "
            "it was not read"
        )
        return []
    data = reader.read(offset, size - size % width, "dynamic section")
    if data is None:
        return []
    entries = []
    for tag, value in struct.iter_unpack(fmt, data):
        if tag == DT_NULL:
            break
        entries.append((tag, value))
    return entries


def _dynamic(info: ElfInfo, entries: list[tuple[int, int]], strings: bytes) -> int:
    """Fill ``needed`` and ``soname`` from the entries; the ``DT_FLAGS_1`` value."""
    flags = 0
    for tag, value in entries:
        if tag == DT_NEEDED and len(info.needed) < _MAX_NEEDED:
            name = _cstring(strings, value)
            if name and name not in info.needed:
                info.needed.append(name[:200])
        elif tag == DT_SONAME:
            info.soname = _cstring(strings, value)[:200] or None
        elif tag == DT_FLAGS_1:
            flags = value
    if any(tag in (DT_NEEDED, DT_SONAME) for tag, _ in entries) and not strings:
        info.problems.append(
            "the dynamic string table could not be read: the shared libraries the file needs "
            "are unknown"
        )
    return flags


def _notes(info: ElfInfo, data: bytes, base: int, e: str, align: int) -> None:
    pos = 0
    while pos + 12 <= len(data):
        namesz, descsz, ntype = struct.unpack_from(e + "III", data, pos)
        name_at = pos + 12
        desc_at = _round(name_at + namesz, align)
        end = _round(desc_at + descsz, align)
        if desc_at + descsz > len(data):
            info.problems.append(f"a note at offset 0x{base + pos:x} runs past its section")
            return
        name = data[name_at : name_at + namesz].rstrip(b"\x00")
        desc = data[desc_at : desc_at + descsz]
        if name == b"GNU" and ntype == NT_GNU_BUILD_ID and desc:
            info.build_id = desc.hex()
        elif name == b"FDO" and ntype == NT_FDO_PACKAGING_METADATA:
            info.package_notes.append(PackageNote(base + desc_at, desc.rstrip(b"\x00")))
        pos = max(end, pos + 12)


def _round(value: int, align: int) -> int:
    return (value + align - 1) // align * align


def _cstring(table: bytes, offset: int) -> str:
    if not 0 <= offset < len(table):
        return ""
    end = table.find(b"\x00", offset)
    return table[offset : end if end >= 0 else len(table)].decode("utf-8", "replace")
