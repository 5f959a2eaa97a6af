"""The signature scanner: one prefilter pass per chunk, precise patterns only near its hits.

Bytes are fed in blocks at absolute offsets (a file read in chunks, the segments of a HEX file);
the scanner keeps only a short tail of the previous block, so memory stays bounded whatever the
size of the image. All literal anchors are searched with one combined regular expression; the
few signatures whose evidence has no fixed text (SQLite's source id) have a regex anchor with a
literal prefix, searched in a pass of their own. A hit is processed once its whole window is in
the buffer, so a match that straddles two chunks is found exactly once.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from mdrgate.collect.firmware.binary_signatures import LONGEST_REACH, SIGNATURES, Signature

CHUNK = 8 << 20
"""Bytes read at a time (8 MiB)."""
HITS_PER_SIGNATURE = 64
"""Matches kept per signature and version in one scan; further ones are only counted."""


@dataclass(frozen=True, slots=True)
class Hit:
    """One match of a signature: where, what it says, and the bytes it matched."""

    signature: Signature
    offset: int
    end: int
    version: str | None
    text: str


def evidence_text(data: bytes, limit: int = 120) -> str:
    """Matched bytes as short printable text (controls and non-ASCII as ``\\xNN`` escapes)."""
    out: list[str] = []
    for byte in data:
        if 0x20 <= byte < 0x7F:
            out.append(chr(byte))
        elif byte == 0x0A:
            out.append("\\n")
        elif byte == 0x0D:
            out.append("\\r")
        else:
            out.append(f"\\x{byte:02x}")
    text = "".join(out)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(slots=True)
class ScanResult:
    hits: list[Hit] = field(default_factory=list)
    required: dict[bytes, list[int]] = field(default_factory=dict)
    """Offsets at which each ``requires`` literal was seen."""
    dropped: int = 0
    """Matches not kept because one signature matched too often."""


class Scanner:
    """Compiled signatures; ``session()`` starts a scan."""

    def __init__(self, signatures: Sequence[Signature] = SIGNATURES) -> None:
        self.signatures = tuple(signatures)
        by_anchor: dict[bytes, list[Signature]] = {}
        regex_anchors: dict[bytes, list[Signature]] = {}
        for sig in self.signatures:
            table = regex_anchors if sig.anchor_is_regex else by_anchor
            table.setdefault(sig.anchor, []).append(sig)
        self.requires = frozenset(s.requires for s in self.signatures if s.requires)
        literals = sorted(set(by_anchor) | self.requires, key=lambda a: (-len(a), a))
        self.by_anchor = {a: tuple(by_anchor.get(a, ())) for a in literals}
        self.combined = re.compile(b"|".join(re.escape(a) for a in literals))
        self.regex_anchors = tuple(
            (re.compile(a, re.DOTALL), tuple(sigs)) for a, sigs in regex_anchors.items()
        )
        self.reach = LONGEST_REACH
        self.before = max((s.before + s.near for s in self.signatures), default=0) + 64
        """Bytes kept before the first unprocessed offset, for windows that start before it."""

    def session(self) -> ScanSession:
        return ScanSession(self)

    def scan_bytes(self, data: bytes, base: int = 0) -> ScanResult:
        session = self.session()
        session.feed(data, base)
        return session.close()


class ScanSession:
    """One scan: ``feed`` blocks in order (a gap in offsets starts a new run), then ``close``."""

    def __init__(self, scanner: Scanner) -> None:
        self.scanner = scanner
        self.buf = b""
        self.base = 0
        """Absolute offset of ``buf[0]``."""
        self.done = 0
        """Absolute offset below which anchor hits have been processed."""
        self.result = ScanResult()
        self._seen: set[tuple[str, int]] = set()
        self._kept: dict[tuple[str, str | None], int] = {}

    def feed(self, block: bytes, at: int) -> None:
        if not block:
            return
        if at != self.base + len(self.buf):
            self._process(final=True)
            self.buf, self.base, self.done = b"", at, at
        self.buf = self.buf + block if self.buf else bytes(block)
        limit = len(self.buf) - self.scanner.reach
        if limit > self.done - self.base:
            self._process(final=False, limit=limit)
            cut = max(0, limit - self.scanner.before)
            self.buf = self.buf[cut:]
            self.base += cut

    def close(self) -> ScanResult:
        self._process(final=True)
        self.buf = b""
        for offsets in self.result.required.values():
            offsets.sort()
        self.result.hits.sort(key=lambda h: (h.offset, h.signature.id))
        return self.result

    def _process(self, *, final: bool, limit: int | None = None) -> None:
        buf = self.buf
        if not buf:
            return
        start = max(0, self.done - self.base)
        stop = len(buf) if final or limit is None else limit
        scanner = self.scanner
        search = scanner.combined.search
        m = search(buf, start)
        while m is not None and m.start() < stop:
            # resume one byte after the hit's start, not after its end: overlapping anchors
            # ("...memory" and "yBox v") are each found
            p, q = m.span()
            literal = m.group()
            m = search(buf, p + 1)
            if literal in scanner.requires:
                self.result.required.setdefault(literal, []).append(self.base + p)
            for sig in scanner.by_anchor[literal]:
                self._try(sig, p, q)
        for anchor, sigs in scanner.regex_anchors:
            for m in anchor.finditer(buf, start):
                if m.start() >= stop:
                    break
                for sig in sigs:
                    self._try(sig, m.start(), m.end())
        self.done = self.base + stop

    def _try(self, sig: Signature, p: int, q: int) -> None:
        buf = self.buf
        lo = max(0, p - sig.before)
        hi = min(len(buf), q + sig.after)
        for m in sig.compiled().finditer(buf, lo, hi):
            if m.start() > p:
                break
            if m.end() < q:
                continue
            offset = self.base + m.start()
            key = (sig.id, offset)
            if key in self._seen:
                return
            self._seen.add(key)
            self._record(sig, m)
            return

    def _record(self, sig: Signature, m: re.Match[bytes]) -> None:
        captured = m.groupdict().get("version")
        version: str | None = None
        if captured is not None:
            version = sig.version_of(captured.decode("ascii", "replace"))
            if version is None:
                return  # the text looks like the signature but is not a version of it
        else:
            version = self._near_version(sig, m)
        count = self._kept.get((sig.id, version), 0)
        self._kept[(sig.id, version)] = count + 1
        if count >= HITS_PER_SIGNATURE:
            self.result.dropped += 1
            return
        self.result.hits.append(
            Hit(
                signature=sig,
                offset=self.base + m.start(),
                end=self.base + m.end(),
                version=version,
                text=evidence_text(m.group()),
            )
        )

    def _near_version(self, sig: Signature, m: re.Match[bytes]) -> str | None:
        near = sig.compiled_near()
        if near is None:
            return None
        buf = self.buf
        lo, hi = max(0, m.start() - sig.near), min(len(buf), m.end() + sig.near)
        best: tuple[int, str] | None = None
        for candidate in near.finditer(buf, lo, hi):
            distance = min(abs(candidate.start() - m.start()), abs(candidate.start() - m.end()))
            text = candidate.group("version").decode("ascii", "replace")
            version = sig.version_of(text)
            if version is not None and (best is None or distance < best[0]):
                best = (distance, version)
        return best[1] if best else None


def keep_required(hits: Iterable[Hit], required: dict[bytes, list[int]]) -> list[Hit]:
    """The hits whose ``requires`` literal occurs in the same scan (file, archive, HEX file)."""
    return [h for h in hits if h.signature.requires is None or required.get(h.signature.requires)]


class UnitOf:
    """Maps absolute offsets to the unit (archive member) that holds them."""

    def __init__(self, ranges: Sequence[tuple[int, int, int]]) -> None:
        self.ranges = sorted(ranges)
        self.starts = [r[0] for r in self.ranges]

    def __call__(self, offset: int) -> int | None:
        i = bisect.bisect_right(self.starts, offset) - 1
        if i < 0:
            return None
        start, end, name = self.ranges[i]
        return name if start <= offset < end else None
