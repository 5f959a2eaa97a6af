"""The member table of a Unix ``ar`` archive (static library), read without loading the members.

Formats: the common header (``!<arch>\\n``, 60-byte member headers ending in "`\\n", data padded
to even length), GNU names (``name/``, ``//`` long-name table referenced as ``/123``, symbol
tables ``/`` and ``/SYM64/``) and BSD names (``#1/N``: the name is the first N bytes of the data,
symbol table ``__.SYMDEF``). A thin archive (``!<thin>\\n``) holds no member data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import BinaryIO

AR_MAGIC = b"!<arch>\n"
THIN_MAGIC = b"!<thin>\n"
_HEADER = 60
_SYMBOL_TABLES = frozenset({"/", "/SYM64/", "__.SYMDEF", "__.SYMDEF SORTED", "__.SYMDEF_64"})


@dataclass(frozen=True, slots=True)
class Member:
    name: str
    offset: int
    """Where the member's data starts in the archive."""
    size: int
    """Bytes of data present (less than declared when the archive is truncated)."""

    @property
    def is_index(self) -> bool:
        """The archive's own tables (symbol index, long names), not a member object."""
        return self.name in _SYMBOL_TABLES or self.name == "//"


@dataclass(slots=True)
class ArchiveTable:
    members: list[Member] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    thin: bool = False


def read_archive(handle: BinaryIO, size: int) -> ArchiveTable:
    """The members of the archive open in ``handle``; what could not be read is in ``problems``."""
    table = ArchiveTable()
    handle.seek(0)
    table.thin = handle.read(8) == THIN_MAGIC
    reader = _Walker(handle, size, table)
    pos = 8
    while pos < size:
        next_pos = reader.member(pos)
        if next_pos is None:
            break
        pos = next_pos
    return table


class _Walker:
    def __init__(self, handle: BinaryIO, size: int, table: ArchiveTable) -> None:
        self.handle = handle
        self.size = size
        self.table = table
        self.long_names = b""

    def member(self, pos: int) -> int | None:
        """Read the member whose header is at ``pos``; where the next header is (None: stop)."""
        handle, size, table = self.handle, self.size, self.table
        if pos + _HEADER > size:
            if not _is_padding(handle, pos, size):
                table.problems.append(
                    f"the member header at offset 0x{pos:x} is cut off by the end of the file"
                )
            return None
        handle.seek(pos)
        header = handle.read(_HEADER)
        if header[58:60] != b"`\n":
            table.problems.append(
                f'the member header at offset 0x{pos:x} is malformed (no "`\\n" terminator); '
                "the rest of the archive was not read"
            )
            return None
        size_field = header[48:58].decode("latin-1").strip()
        if not size_field.isdigit():
            table.problems.append(
                f"the member header at offset 0x{pos:x} has an invalid size {size_field!r}; "
                "the rest of the archive was not read"
            )
            return None
        declared = int(size_field)
        data_at = pos + _HEADER
        named = self._name(header[:16].decode("latin-1").rstrip(" "), data_at, declared, pos)
        if named is None:
            return None
        name, name_len = named
        if data_at + declared > size:
            table.problems.append(
                f"member {name!r} declares {declared} bytes at offset 0x{data_at:x}, but only "
                f"{max(0, size - data_at)} remain in the file: the archive is truncated"
            )
        if table.thin and not (name in _SYMBOL_TABLES or name == "//"):
            # a thin archive: a header per member, the data lives in files beside the archive
            table.members.append(Member(name=name, offset=data_at, size=0))
            return data_at
        present = min(declared - name_len, max(0, size - data_at - name_len))
        table.members.append(Member(name=name, offset=data_at + name_len, size=present))
        return data_at + declared + (declared & 1)

    def _name(self, raw: str, data_at: int, declared: int, pos: int) -> tuple[str, int] | None:
        """The member's name and how many bytes of its data the name takes (BSD ``#1/N``)."""
        if raw.startswith("#1/"):
            length = int(raw[3:]) if raw[3:].isdigit() else -1
            if length < 0 or length > declared or data_at + length > self.size:
                self.table.problems.append(f"the BSD member name at offset 0x{pos:x} is malformed")
                return None
            self.handle.seek(data_at)
            return self.handle.read(length).rstrip(b"\x00").decode("utf-8", "replace"), length
        if raw == "//":
            self.long_names = _read(self.handle, data_at, min(declared, self.size - data_at))
            return raw, 0
        if raw.startswith("/") and raw[1:].isdigit():
            return _long_name(self.long_names, int(raw[1:])) or raw, 0
        if raw.endswith("/") and raw != "/":
            return raw[:-1], 0
        return raw, 0


def _is_padding(handle: BinaryIO, pos: int, size: int) -> bool:
    handle.seek(pos)
    return handle.read(size - pos).strip(b"\n\x00") == b""


def _read(handle: BinaryIO, offset: int, length: int) -> bytes:
    handle.seek(offset)
    return handle.read(min(length, 16 << 20))


def _long_name(table: bytes, offset: int) -> str | None:
    if not 0 <= offset < len(table):
        return None
    end = table.find(b"\n", offset)
    raw = table[offset : end if end >= 0 else len(table)]
    return raw.rstrip(b"/").decode("utf-8", "replace") or None
