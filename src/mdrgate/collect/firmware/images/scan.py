"""The signature scanner: one prefilter pass per chunk, precise patterns only near its hits.

Bytes are fed in blocks at absolute offsets (a file read in chunks, the segments of a HEX file);
the scanner keeps only a short tail of the previous block, so memory stays bounded whatever the
size of the image. All literal anchors are searched with one combined regular expression; the
few signatures whose evidence has no fixed text (SQLite's source id) have a regex anchor with a
literal prefix, searched in a pass of their own. A hit is processed once its whole window is in
the buffer, so a match that straddles two chunks is found exactly once.

Trying the precise patterns one anchor hit at a time costs a few microseconds per hit, so input
full of an anchor (50 MB of "FreeRTOS V", a log repeating a banner) would crawl. Two bounds keep
the work per chunk near linear without missing a match:

- where the bytes around a hit repeat with the period at which the anchor recurs, every hit in
  the repeating stretch sits in a window equal to one already tried: the stretch is skipped up
  to where its windows could differ;
- an anchor met more than ``DENSE_HITS`` times in one chunk is taken out of the combined search
  for the rest of the chunk, and its signatures' patterns are searched through the chunk instead
  (``Signature.compiled_sweep``: one regex pass in C, whose rare matches are then tried).
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
DENSE_HITS = 256
"""Hits of one anchor in one chunk after which its signatures are searched chunk-wide instead."""
MAX_PERIOD = 4096
"""Longest period of repetition looked for between hits of one anchor."""
_NEVER = re.compile(b"(?!)")


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
        self.literals = tuple(literals)
        self.combined = re.compile(b"|".join(re.escape(a) for a in literals))
        self._without: dict[frozenset[bytes], re.Pattern[bytes]] = {}
        self.regex_anchors = tuple(
            (re.compile(a, re.DOTALL), tuple(sigs)) for a, sigs in regex_anchors.items()
        )
        self.reach = LONGEST_REACH
        self.before = max((s.before + s.near for s in self.signatures), default=0) + 64
        """Bytes kept before the first unprocessed offset, for windows that start before it."""

    def session(self) -> ScanSession:
        return ScanSession(self)

    def combined_without(self, excluded: frozenset[bytes]) -> re.Pattern[bytes]:
        """The combined search for all literals but ``excluded``."""
        pattern = self._without.get(excluded)
        if pattern is None:
            if len(self._without) > 64:
                self._without.clear()
            rest = [a for a in self.literals if a not in excluded]
            pattern = re.compile(b"|".join(re.escape(a) for a in rest)) if rest else _NEVER
            self._without[excluded] = pattern
        return pattern

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
        self._literals(start, stop)
        for anchor, sigs in self.scanner.regex_anchors:
            self._regex_anchor(anchor, sigs, start, stop)
        self.done = self.base + stop

    def _literals(self, start: int, stop: int) -> None:
        buf = self.buf
        scanner = self.scanner
        search = scanner.combined.search
        repeats = _Repeats(self)
        counts: dict[bytes, int] = {}
        dense: dict[bytes, int] = {}  # anchors out of the search: where their sweep starts
        m = search(buf, start)
        while m is not None and m.start() < stop:
            p, q = m.span()
            literal = m.group()
            resume = repeats.resume(literal, p)
            if resume > p:
                m = search(buf, resume)
                continue
            count = counts[literal] = counts.get(literal, 0) + 1
            if count > DENSE_HITS:
                dense[literal] = p
                search = scanner.combined_without(frozenset(dense)).search
                m = search(buf, p)
                continue
            # resume one byte after the hit's start, not after its end: overlapping anchors
            # ("...memory" and "yBox v") are each found
            m = search(buf, p + 1)
            if literal in scanner.requires:
                self.result.required.setdefault(literal, []).append(self.base + p)
            for sig in scanner.by_anchor[literal]:
                self._try(sig, p, q)
        for literal, first in dense.items():
            for sig in scanner.by_anchor[literal]:
                sweep = sig.compiled_sweep().search
                lo, hi = max(0, first - sig.before), min(len(buf), stop + sig.after)
                found = sweep(buf, lo, hi)
                while found is not None and found.start() < stop:
                    self._try(sig, found.start(), found.start())
                    found = sweep(buf, found.start() + 1, hi)

    def _regex_anchor(
        self, anchor: re.Pattern[bytes], sigs: tuple[Signature, ...], start: int, stop: int
    ) -> None:
        buf = self.buf
        repeats = _Repeats(self)
        m = anchor.search(buf, start)
        while m is not None and m.start() < stop:
            resume = repeats.resume(b"", m.start())
            if resume > m.start():
                m = anchor.search(buf, resume)
                continue
            for sig in sigs:
                self._try(sig, m.start(), m.end())
            m = anchor.search(buf, max(m.end(), m.start() + 1))

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


class _Repeats:
    """Skips stretches where the buffer repeats with the period at which an anchor recurs.

    When three hits of one anchor are ``d`` bytes apart and the bytes from ``before`` ahead of the
    first of them repeat with period ``d`` up to ``end``, every hit from the third one to
    ``end - reach`` lies in a window (with all the context a pattern or a nearby version may look
    at) equal to the window of a hit ``k * d`` bytes earlier, which was already tried: trying it
    again could only find the same text again.
    """

    def __init__(self, session: ScanSession) -> None:
        self.buf = session.buf
        self.before = session.scanner.before
        self.reach = session.scanner.reach
        self.last: dict[bytes, tuple[int, int]] = {}
        self.floor: dict[bytes, int] = {}
        """Per anchor: no repetition is looked for before this offset (one was just ruled out)."""

    def resume(self, key: bytes, p: int) -> int:
        """Where to search on from the hit at ``p`` (``p`` itself: try the hit)."""
        previous = self.last.get(key)
        self.last[key] = (p, p - previous[0] if previous else 0)
        if previous is None:
            return p
        d = p - previous[0]
        if d != previous[1] or not 0 < d <= MAX_PERIOD or p < self.floor.get(key, 0):
            return p
        lo = p - d - self.before
        if lo < 0:
            return p
        end = _repeat_end(self.buf, lo, d)
        if end - self.reach <= p:
            self.floor[key] = end
            return p
        self.last.pop(key)
        return end - self.reach


def _repeat_end(buf: bytes, lo: int, d: int) -> int:
    """The largest ``end`` with ``buf[lo:end - d] == buf[lo + d:end]`` (``buf`` repeats with
    period ``d`` from ``lo`` to ``end``): blocks compared in C, growing while they agree."""
    size = len(buf)
    good = lo + d
    step = 256
    while good < size:
        hi = min(size, good + step)
        if buf[good - d : hi - d] == buf[good:hi]:
            good = hi
            step *= 2
            continue
        while hi - good > 64:
            mid = (good + hi) // 2
            if buf[good - d : mid - d] == buf[good:mid]:
                good = mid
            else:
                hi = mid
        while good < hi and buf[good - d] == buf[good]:
            good += 1
        return good
    return size


def keep_required(hits: Iterable[Hit], required: dict[bytes, list[int]]) -> list[Hit]:
    """The hits whose ``requires`` literal occurs in the same scan (file, archive, HEX file),
    without those that lie inside a longer hit of the same component and version: the same text
    read by a broader signature (the ``openssl`` program's version line holds the
    ``OPENSSL_VERSION_TEXT`` that the library's signature reads) is one piece of evidence."""
    kept = [h for h in hits if h.signature.requires is None or required.get(h.signature.requires)]
    spans: dict[tuple[str, str | None], list[Hit]] = {}
    for hit in kept:
        spans.setdefault((hit.signature.component, hit.version), []).append(hit)
    if all(len(group) < 2 for group in spans.values()):
        return kept
    return [
        h
        for h in kept
        if not any(
            o is not h
            and o.offset <= h.offset
            and h.end <= o.end
            and o.end - o.offset > h.end - h.offset
            for o in spans[(h.signature.component, h.version)]
        )
    ]


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
