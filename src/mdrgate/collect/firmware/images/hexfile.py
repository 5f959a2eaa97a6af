"""Intel HEX and Motorola S-record files: their data, assembled by load address.

Both are read line by line (a line is at most a few hundred characters, so a file without line
breaks cannot make a line huge). Each record's checksum is verified; a record with a bad checksum,
bad hex digits or a wrong length is skipped and named by line in ``problems``. Data records are
assembled into contiguous segments by address; gaps between them are kept as gaps (nothing is
allocated for them). Formats: Intel's "Hexadecimal Object File Format Specification" (record types
00-05) and the Motorola S-record format (S0-S9).

An end-of-file record (Intel ``01``, S-record ``S7``/``S8``/``S9``) does not stop the reading:
``cat boot.hex app.hex`` is a common way to combine images, so what follows is read as a further
file (``parts`` counts them; the Intel address base starts again at 0). Where records write an
address twice (SDCC rewrites interrupt vectors this way), the later record's bytes are kept, as a
programmer writing the records in order would leave them, and each rewrite is listed in
``rewrites``: whether it changed the bytes or wrote the same ones again.
"""

from __future__ import annotations

import bisect
import hashlib
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

_MAX_LINE = 1024
"""Longer lines are not records (the longest valid one has 523 characters)."""
MAX_PROBLEMS = 20
MAX_RUNS = 1 << 18
"""Separately placed runs of data kept; a file more fragmented than this is not read further
(real images have a few hundred at most; this bounds the memory a hostile file can claim)."""
_PADDING = b"\x00\x1a\xff"
"""Bytes some tools pad a file with after its last record (NUL, DOS end-of-file, erased flash)."""


@dataclass(frozen=True, slots=True)
class Rewrite:
    """A record that writes bytes an earlier record of the same file already wrote."""

    line: int
    address: int
    length: int
    same: bool
    """Whether the bytes written are the ones already there."""


@dataclass(slots=True)
class Decoded:
    segments: list[tuple[int, bytes]] = field(default_factory=list)
    """(load address, data), sorted by address, no two touching."""
    problems: list[tuple[int, str]] = field(default_factory=list)
    """(line, message) of records that were not read; at most ``MAX_PROBLEMS``,
    ``more_problems`` counts the rest."""
    more_problems: int = 0
    warnings: list[tuple[int, str]] = field(default_factory=list)
    """(line, message) of doubts that did not cost any record (a missing end-of-file record,
    text after one); at most ``MAX_PROBLEMS``."""
    rewrites: list[Rewrite] = field(default_factory=list)
    """The first ``MAX_PROBLEMS`` rewrites, in file order; ``rewrite_counts`` counts them all."""
    rewrite_counts: dict[bool, int] = field(default_factory=lambda: {True: 0, False: 0})
    """Rewrites by whether they wrote the same bytes again (True) or changed them (False)."""
    records: int = 0
    parts: int = 0
    """Concatenated files with data in this one (records after an end-of-file record start one)."""
    header: str | None = None
    """The S0 record's text (module name), when there is one."""
    sha256: str = ""
    size: int = 0

    def problem(self, line: int, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append((line, message))
        else:
            self.more_problems += 1

    def warning(self, line: int, message: str) -> None:
        if len(self.warnings) < MAX_PROBLEMS:
            self.warnings.append((line, message))


@dataclass(slots=True)
class _Run:
    """Data records that follow each other in the file and in the address space."""

    address: int
    data: bytearray
    offsets: array[int] = field(default_factory=lambda: array("Q"))
    """Where in ``data`` each record starts, with ``lines``: to name a record by its line."""
    lines: array[int] = field(default_factory=lambda: array("Q"))

    def line_at(self, offset: int) -> int:
        return self.lines[bisect.bisect_right(self.offsets, offset) - 1]


class _Assembler:
    """Collects data records into runs (in file order); ``finish`` lays them out by address."""

    def __init__(self, decoded: Decoded) -> None:
        self.decoded = decoded
        self.runs: list[_Run] = []
        self.full = False

    def add(self, address: int, data: bytes, line: int) -> None:
        if not data or self.full:
            return
        current = self.runs[-1] if self.runs else None
        if current is not None and current.address + len(current.data) == address:
            current.offsets.append(len(current.data))
            current.lines.append(line)
            current.data += data
            return
        if len(self.runs) >= MAX_RUNS:
            self.full = True
            self.decoded.problem(
                line,
                f"the data is split into more than {MAX_RUNS} separately placed runs; this and "
                "the following data records were not read",
            )
            return
        run = _Run(address, bytearray(data))
        run.offsets.append(0)
        run.lines.append(line)
        self.runs.append(run)

    def finish(self) -> list[tuple[int, bytes]]:
        """Segments by address; where runs overlap, the later one in the file wins."""
        runs = self.runs
        order = sorted(range(len(runs)), key=lambda i: runs[i].address)
        overlapping = False
        end = -1
        for i in order:
            if runs[i].address < end:
                overlapping = True
                break
            end = runs[i].address + len(runs[i].data)
        if overlapping:
            return self._resolve(order)
        out: list[tuple[int, bytes]] = []
        group: list[bytearray] = []
        start = end = 0
        for i in order:
            run = runs[i]
            if group and run.address != end:
                out.append((start, b"".join(group)))
                group = []
            if not group:
                start = run.address
            group.append(run.data)
            end = run.address + len(run.data)
        if group:
            out.append((start, b"".join(group)))
        return out

    def _resolve(self, order: list[int]) -> list[tuple[int, bytes]]:
        runs = self.runs
        spans: list[list[int]] = []  # [start, end] of the union of runs, by address
        for i in order:
            run = runs[i]
            if spans and run.address <= spans[-1][1]:
                spans[-1][1] = max(spans[-1][1], run.address + len(run.data))
            else:
                spans.append([run.address, run.address + len(run.data)])
        starts = [s for s, _ in spans]
        buffers = [bytearray(e - s) for s, e in spans]
        written = [bytearray(e - s) for s, e in spans]
        for run in runs:  # in file order: a later record overwrites an earlier one
            k = bisect.bisect_right(starts, run.address) - 1
            buf, mask, at, n = buffers[k], written[k], run.address - starts[k], len(run.data)
            pos = mask.find(1, at, at + n)
            while pos != -1:
                stop = mask.find(0, pos, at + n)
                stop = at + n if stop == -1 else stop
                self._rewrite(
                    run, pos - at, stop - at, buf[pos:stop] == run.data[pos - at : stop - at]
                )
                pos = mask.find(1, stop, at + n)
            buf[at : at + n] = run.data
            mask[at : at + n] = b"\x01" * n
        return [(s, bytes(b)) for s, b in zip(starts, buffers, strict=True)]

    def _rewrite(self, run: _Run, lo: int, hi: int, same: bool) -> None:
        """Bytes ``lo:hi`` of ``run`` were written before: note each record that rewrites them."""
        decoded = self.decoded
        first = bisect.bisect_right(run.offsets, lo) - 1
        last = bisect.bisect_left(run.offsets, hi)
        for index in range(first, last):
            decoded.rewrite_counts[same] += 1
            if len(decoded.rewrites) < MAX_PROBLEMS:
                start = max(lo, run.offsets[index])
                end = min(hi, run.offsets[index + 1] if index + 1 < len(run.offsets) else hi)
                decoded.rewrites.append(
                    Rewrite(run.lines[index], run.address + start, end - start, same)
                )


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


class _Parts:
    """Where one concatenated file ends and the next begins; what is between them."""

    def __init__(self, decoded: Decoded, end_name: str) -> None:
        self.decoded = decoded
        self.end_name = end_name
        self.ended_at: int | None = None
        """Line of the end-of-file record of the part read last (None: the part is open)."""
        self.has_data = False

    def line(self, number: int, line: bytes, is_record: bool) -> bool:
        """Whether the line is to be read as a record (False: it was accounted for here)."""
        if self.ended_at is None:
            return bool(line)
        if not line.strip(_PADDING):
            return False
        if not is_record:
            self.decoded.warning(
                number,
                f"text after the {self.end_name} record of line {self.ended_at} is not a "
                "record; ignored",
            )
            return False
        self.ended_at = None
        return True

    def data(self) -> None:
        if not self.has_data:
            self.has_data = True
            self.decoded.parts += 1

    def end(self, number: int) -> None:
        self.ended_at = number
        self.has_data = False

    def close(self) -> None:
        if self.decoded.records and self.ended_at is None:
            self.decoded.warning(
                0,
                f"the file ends without an {self.end_name} record: it may have been cut short, "
                "and data missing from its end would not be seen",
            )


def read_ihex(handle: BinaryIO) -> Decoded:
    decoded = Decoded()
    digest = hashlib.sha256()
    assembler = _Assembler(decoded)
    parts = _Parts(decoded, "end-of-file")
    base = 0
    for number, line in _lines(handle, digest, decoded):
        if not parts.line(number, line, line.startswith(b":")):
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
            parts.data()
            assembler.add(base + address, data, number)
        elif kind == 0x01:
            parts.end(number)
            base = 0  # a file that follows starts from address 0 again
        elif kind == 0x02 and len(data) == 2:
            base = ((data[0] << 8) | data[1]) << 4
        elif kind == 0x04 and len(data) == 2:
            base = ((data[0] << 8) | data[1]) << 16
        elif kind in (0x03, 0x05):
            pass  # start address: no data
        else:
            decoded.problem(number, f"unknown record type 0x{kind:02X}; skipped")
    parts.close()
    decoded.segments = assembler.finish()
    decoded.sha256 = digest.hexdigest()
    return decoded


_SREC_ADDRESS = {b"0": 2, b"1": 2, b"2": 3, b"3": 4, b"5": 2, b"6": 3, b"7": 4, b"8": 3, b"9": 2}


def read_srec(handle: BinaryIO) -> Decoded:
    decoded = Decoded()
    digest = hashlib.sha256()
    assembler = _Assembler(decoded)
    parts = _Parts(decoded, "S7/S8/S9 termination")
    for number, line in _lines(handle, digest, decoded):
        if not parts.line(number, line, line[:1] == b"S" and line[1:2] in _SREC_ADDRESS):
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
            parts.data()
            assembler.add(address, data, number)
        elif kind in (b"7", b"8", b"9"):
            parts.end(number)
        elif kind == b"0" and decoded.header is None:
            decoded.header = data.decode("latin-1").strip("\x00 ")[:80] or None
    parts.close()
    decoded.segments = assembler.finish()
    decoded.sha256 = digest.hexdigest()
    return decoded
