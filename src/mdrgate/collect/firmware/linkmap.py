"""GNU ld map files (``-Wl,-Map=app.map``): what was actually linked into an image.

A map lists the archive members pulled in ("Archive member included to satisfy reference by file
(symbol)") and, under "Linker script and memory map", every input section placed in the image
with its address, size and file (``path/obj.o`` or ``lib.a(member.o)``; a long section name puts
the numbers on the next line). Each object file or archive member becomes a ``LinkedFile`` with
the bytes its allocated sections contribute. An archive a catalogue entry is built as
(``archive_names``: ``libmbedcrypto.a``) makes that component present in the image; its version
is read from the archive itself when the file named in the map is inside the scanned tree
(``linkmap_collect.py`` says where it looks), otherwise it is a known unknown.

``.map`` is also the name of JavaScript source maps and other files: ``claim`` reads the first
8 KiB and claims only what has the headings of a GNU ld map.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from mdrgate.collect.base import Collected, InputKind, InputSpec

_HEADINGS = (
    b"Archive member included to satisfy reference by file (symbol)",
    b"Linker script and memory map",
    b"Memory Configuration",
    b"Discarded input sections",
    b"Allocating common symbols",
)
_SNIFF = 8192


def claim(path: Path) -> InputKind | None:
    if path.suffix.lower() != ".map":
        return None
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF)
    except OSError:
        return None
    lines = {line.rstrip(b"\r") for line in head.split(b"\n")}
    if any(heading in lines for heading in _HEADINGS):
        return InputKind.LINKER_MAP
    return None


_PARTS = frozenset(
    {
        "Archive member included to satisfy reference by file (symbol)",
        "As-needed library included to satisfy reference by file (symbol)",
        "Merging program properties",
        "Allocating common symbols",
        "Discarded input sections",
        "Memory Configuration",
        "Linker script and memory map",
        "Cross Reference Table",
    }
)
"""The headings of the parts of a GNU ld map (each alone on its line)."""
_MEMBER = re.compile(r"^(?P<path>\S[^()]*?)\((?P<member>[^()]+)\)$")
_INCLUDED = re.compile(
    r"^(?P<path>\S[^()]*?\.(?:a|lib|rlib))\((?P<member>[^()]+)\)(?:\s+(?P<by>.*))?$"
)
_INPUT_SECTION = re.compile(
    r"^ (?P<section>\S+)?\s+0x(?P<address>[0-9a-fA-F]+)\s+0x(?P<size>[0-9a-fA-F]+)"
    r"\s+(?P<file>\S.*)$"
)
_OUTPUT = re.compile(r"^OUTPUT\((?P<path>.+) (?P<format>[\w.-]+)\)$")
_SECTION_ONLY = re.compile(r"^ (?P<section>[.\w*$@-][^\s]*)$")
_NOT_IN_IMAGE = (".debug", ".comment", ".note.GNU-stack", ".gnu.attributes", ".ARM.attributes")
_NOT_IN_IMAGE_PREFIX = (".stab", ".gnu.warning", ".gnu_debug")
_MAX_LINE = 4096


@dataclass(slots=True)
class _Linked:
    path: str
    member: str | None
    size: int | None = None
    line: int = 0
    text: str = ""


@dataclass(slots=True)
class ParsedMap:
    linked: dict[tuple[str, str | None], _Linked] = field(default_factory=dict)
    headings: set[str] = field(default_factory=set)
    long_lines: int = 0
    output: tuple[str, int] | None = None
    """The file the link wrote and the map line naming it (``OUTPUT(fw.elf elf32-littlearm)``)."""


def parse_map(lines: list[str]) -> ParsedMap:
    """The archive members and object files a map names, with their sizes in the image."""
    parsed = ParsedMap()
    part = ""
    pending: str | None = None
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if len(line) > _MAX_LINE:
            parsed.long_lines += 1
            continue
        if line in _PARTS:
            part = line
            parsed.headings.add(line)
            continue
        if part.startswith("Archive member included"):
            m = _INCLUDED.match(line)
            if m:
                _note(parsed, m["path"], m["member"], number, line, None)
            continue
        if part != "Linker script and memory map":
            continue
        if line.startswith("OUTPUT("):
            output = _OUTPUT.match(line)
            if output and parsed.output is None:
                parsed.output = (output["path"], number)
            continue
        section = _SECTION_ONLY.match(line)
        if section:
            pending = section["section"]
            continue
        m = _INPUT_SECTION.match(line)
        name = pending
        pending = None
        if not m:
            continue
        name = m["section"] or name or ""
        if name.startswith(_NOT_IN_IMAGE) or name.startswith(_NOT_IN_IMAGE_PREFIX):
            continue
        if name in ("*fill*", "*default*") or m["file"].startswith(("LOAD ", "0x")):
            continue
        target = m["file"].strip()
        member = _MEMBER.match(target)
        size = int(m["size"], 16)
        if member:
            _note(parsed, member["path"], member["member"], number, line, size)
        else:
            _note(parsed, target, None, number, line, size)
    return parsed


def _note(
    parsed: ParsedMap, path: str, member: str | None, number: int, line: str, size: int | None
) -> None:
    key = (path.strip(), member.strip() if member else None)
    item = parsed.linked.get(key)
    if item is None:
        item = parsed.linked[key] = _Linked(key[0], key[1], None, number, line.strip()[:120])
    if size is not None:
        item.size = (item.size or 0) + size


def collect_linker_map(spec: InputSpec) -> Collected:
    from mdrgate.collect.firmware.linkmap_collect import collect

    return collect(spec)


def archive_basename(path: str) -> str:
    """The file name of an archive as a map spells its path (``/`` or ``\\``), lowercased: the
    key of ``archive_names`` (a map of a Windows build may spell ``LIBZ.A``)."""
    return PurePosixPath(path.replace("\\", "/")).name.lower()
