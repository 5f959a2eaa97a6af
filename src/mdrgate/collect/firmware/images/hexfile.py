"""Intel HEX and Motorola S-record files: their data, assembled by load address.

Both are read line by line (a line is at most a few hundred characters, so a file without line
breaks cannot make a line huge). Each record's checksum is verified; a record with a bad checksum,
bad hex digits or a wrong length is skipped and named by line in ``problems``. Data records are
assembled into contiguous segments by address; gaps between them are kept as gaps (nothing is
allocated for them). Formats: Intel's "Hexadecimal Object File Format Specification" (record types
00-05) and the Motorola S-record format (S0-S9).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

_MAX_LINE = 1024
"""Longer lines are not records (the longest valid one has 523 characters)."""
MAX_PROBLEMS = 20


@dataclass(slots=True)
class Decoded:
    segments: list[tuple[int, bytes]] = field(default_factory=list)
    """(load address, data), sorted by address, no two touching."""
    problems: list[tuple[int, str]] = field(default_factory=list)
    """(line, message); at most ``MAX_PROBLEMS``, ``more_problems`` counts the rest."""
    more_problems: int = 0
    records: int = 0
    header: str | None = None
    """The S0 record's text (module name), when there is one."""
    sha256: str = ""
    size: int = 0

    def problem(self, line: int, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append((line, message))
        else:
            self.more_problems += 1


class _Assembler:
    """Collects data records into runs; a record continuing the current run is appended."""

    def __init__(self) -> None:
        self.runs: dict[int, bytearray] = {}
        self.current: int | None = None
        self.overlaps = 0

    def add(self, address: int, data: bytes) -> None:
        if not data:
            return
        current = self.current
        if current is not None and current + len(self.runs[current]) == address:
            self.runs[current] += data
            return
        run = self.runs.get(address)
        if run is not None:
            self.overlaps += 1
        self.runs[address] = bytearray(data)
        self.current = address

    def segments(self) -> list[tuple[int, bytes]]:
        """Runs sorted and joined where they touch; where they overlap, the later address wins."""
        out: list[tuple[int, bytearray]] = []
        for address in sorted(self.runs):
            data = self.runs[address]
            if out and out[-1][0] + len(out[-1][1]) >= address:
                start, merged = out[-1]
                overlap = start + len(merged) - address
                if overlap > 0:
                    self.overlaps += 1
                    del merged[address - start :]
                merged += data
            else:
                out.append((address, bytearray(data)))
        return [(a, bytes(d)) for a, d in out]


def _lines(
    handle: BinaryIO, digest: hashlib._Hash, decoded: Decoded
) -> Iterator[tuple[int, bytes]]:
    number = 0
    while True:
        line = handle.readline(_MAX_LINE)
        if not line:
            return
        digest.update(line)
        decoded.size += len(line)
        number += 1
        if len(line) == _MAX_LINE and not line.endswith(b"\n"):
            while True:  # skip the rest of an overlong line
                rest = handle.readline(1 << 16)
                digest.update(rest)
                decoded.size += len(rest)
                if not rest or rest.endswith(b"\n"):
                    break
            decoded.problem(number, "line too long to be a record; skipped")
            continue
        yield number, line.strip()


def _hex_bytes(text: bytes) -> bytes | None:
    try:
        return bytes.fromhex(text.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        return None


def read_ihex(handle: BinaryIO) -> Decoded:
    decoded = Decoded()
    digest = hashlib.sha256()
    assembler = _Assembler()
    base = 0
    ended = False
    for number, line in _lines(handle, digest, decoded):
        if not line or ended:
            continue
        if not line.startswith(b":"):
            decoded.problem(number, "not an Intel HEX record (does not start with ':'); skipped")
            continue
        raw = _hex_bytes(line[1:])
        if raw is None or len(line) % 2 == 0:
            decoded.problem(number, "invalid hex digits in the record; skipped")
            continue
        if len(raw) < 5 or len(raw) != raw[0] + 5:
            decoded.problem(number, "record length does not match its byte count; skipped")
            continue
        if sum(raw) & 0xFF:
            expected = (-sum(raw[:-1])) & 0xFF
            decoded.problem(
                number,
                f"checksum 0x{raw[-1]:02X} is wrong (expected 0x{expected:02X}); record skipped",
            )
            continue
        decoded.records += 1
        kind, address, data = raw[3], (raw[1] << 8) | raw[2], raw[4:-1]
        if kind == 0x00:
            assembler.add(base + address, data)
        elif kind == 0x01:
            ended = True
        elif kind == 0x02 and len(data) == 2:
            base = ((data[0] << 8) | data[1]) << 4
        elif kind == 0x04 and len(data) == 2:
            base = ((data[0] << 8) | data[1]) << 16
        elif kind in (0x03, 0x05):
            pass  # start address: no data
        else:
            decoded.problem(number, f"unknown record type 0x{kind:02X}; skipped")
    decoded.segments = assembler.segments()
    if assembler.overlaps:
        decoded.problem(0, f"{assembler.overlaps} record(s) overwrite data at the same address")
    decoded.sha256 = digest.hexdigest()
    return decoded


_SREC_ADDRESS = {b"0": 2, b"1": 2, b"2": 3, b"3": 4, b"5": 2, b"6": 3, b"7": 4, b"8": 3, b"9": 2}


def read_srec(handle: BinaryIO) -> Decoded:
    decoded = Decoded()
    digest = hashlib.sha256()
    assembler = _Assembler()
    for number, line in _lines(handle, digest, decoded):
        if not line:
            continue
        kind = line[1:2]
        if line[:1] != b"S" or kind not in _SREC_ADDRESS:
            decoded.problem(number, "not an S-record (S0-S9); skipped")
            continue
        raw = _hex_bytes(line[2:])
        if raw is None:
            decoded.problem(number, "invalid hex digits in the record; skipped")
            continue
        width = _SREC_ADDRESS[kind]
        if len(raw) < width + 2 or raw[0] != len(raw) - 1:
            decoded.problem(number, "record length does not match its byte count; skipped")
            continue
        if (sum(raw) & 0xFF) != 0xFF:
            expected = 0xFF - (sum(raw[:-1]) & 0xFF)
            decoded.problem(
                number,
                f"checksum 0x{raw[-1]:02X} is wrong (expected 0x{expected:02X}); record skipped",
            )
            continue
        decoded.records += 1
        address = int.from_bytes(raw[1 : 1 + width], "big")
        data = raw[1 + width : -1]
        if kind in (b"1", b"2", b"3"):
            assembler.add(address, data)
        elif kind == b"0" and decoded.header is None:
            decoded.header = data.decode("latin-1").strip("\x00 ")[:80] or None
    decoded.segments = assembler.segments()
    if assembler.overlaps:
        decoded.problem(0, f"{assembler.overlaps} record(s) overwrite data at the same address")
    decoded.sha256 = digest.hexdigest()
    return decoded
