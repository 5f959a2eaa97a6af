"""Is this version affected? The OSV evaluation algorithm, for any version scheme.

Follows the pseudocode of the OSV schema (https://ossf.github.io/osv-schema/#evaluation): a version
is affected when it is listed in ``versions`` or lies in any ``ECOSYSTEM``/``SEMVER`` range. A range
is walked in version order: ``introduced`` opens it (``"0"`` sorts before every version), ``fixed``
closes it at that version, ``last_affected`` closes it after that version, and ``limit`` events
(``"*"`` = infinity) bound the whole range. ``GIT`` ranges: see the last paragraph.

SEMVER ranges are evaluated with the ecosystem's scheme: an ecosystem's bounds and its installed
versions must be compared the same way, and SemVer precedence agrees with PEP 440 on the versions
both accept.

Bounds the scheme cannot parse are decided so that no affected version is missed, and the
assumption is returned as a note: an ``introduced`` bound opens the range at the first version, a
``fixed`` or ``last_affected`` bound does not close it, a ``limit`` does not limit it. A range
without any ``introduced`` event (a schema violation) is taken as introduced at the first version.
Every assumption can only widen the affected set, so notes are kept only when the verdict rests on
them (no listed version and no clean range matched).

Overlapping or touching intervals. The sorted walk assumes a range's intervals are disjoint; some
real records list intervals that overlap (PYSEC-2021-114: ``introduced 2.11, fixed 2.11.7,
introduced 0, fixed 2.11.6``) or touch (PYSEC-2022-236: ``... fixed 3.1.1 ... introduced 3.1.1,
fixed 3.1.3``), and the walk then drops versions the record's own ``versions`` list names. When
the events, as listed, alternate ``introduced`` and ``fixed``/``last_affected`` and no such
interval is empty, a version inside any listed interval is affected too, with a note; events
listed in any other order are only walked sorted.

GIT ranges need the commit graph to place an arbitrary commit, which mdrgate does not have. They
are used only for a component that carries a commit, and only by identity: the commit (or an
abbreviation of at least 7 hex digits) being a range's ``introduced`` or ``last_affected`` commit
makes it affected; being its ``fixed`` or ``limit`` commit means that range does not affect it;
any other commit is undecided (:func:`git_verdict` returns ``None``). A component without a commit
never matches a GIT range: its version and the record's ``versions`` list decide.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from mdrgate.model.advisory import AffectedPackage, AffectedRange
from mdrgate.versioning import Comparable, VersionScheme

EVALUATED_RANGE_TYPES = frozenset({"ECOSYSTEM", "SEMVER"})

_KIND_ORDER = {"introduced": 0, "fixed": 1, "last_affected": 2}


@dataclass(frozen=True, slots=True)
class EntryMatch:
    """The verdict on one ``affected[]`` entry for one version, and what it rests on."""

    affected: bool
    listed: str | None = None
    """The entry of ``versions`` equal to the version, when it was listed."""
    fixed: tuple[str, ...] = ()
    """``fixed`` bounds above the version in the ranges that contain it, in version order."""
    ranges: tuple[str, ...] = ()
    """Every evaluated range of the entry, as readable intervals (``>=2.3.0, <2.31.0``)."""
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Bound:
    kind: str
    text: str
    value: Comparable | None
    """``None`` for ``introduced: "0"``: before every version."""

    def sort_key(self) -> tuple[int, Any, int]:
        if self.value is None:
            return (0, 0, _KIND_ORDER.get(self.kind, 3))
        return (1, self.value, _KIND_ORDER.get(self.kind, 3))


@dataclass(frozen=True, slots=True)
class _Range:
    events: tuple[_Bound, ...]
    """Sorted; ``introduced``, ``fixed`` and ``last_affected`` only."""
    limits: tuple[Comparable, ...]
    """Finite limits; empty means no limit."""
    notes: tuple[str, ...]
    intervals: tuple[tuple[_Bound, _Bound], ...] = ()
    """The (introduced, fixed or last_affected) pairs as listed, when the listing alternates and
    is not in version order (in order, the walk over ``events`` contains every such interval)."""
    fixed: tuple[tuple[str, Comparable], ...] = ()
    """The ``fixed`` events' texts and values, in the sorted order of ``events``."""


def evaluate(
    package: AffectedPackage, version: str, scheme: VersionScheme, commit: str | None = None
) -> EntryMatch:
    """Whether ``version`` (as installed) is affected according to this ``affected[]`` entry.

    When ``version`` does not parse in ``scheme``, only the ``versions`` list is consulted, by
    exact string; the caller reports that the ranges could not be evaluated. ``commit``, the
    component's source commit when it carries one, is looked up in the entry's GIT ranges.
    To judge many versions against one entry, prepare it once (:class:`PreparedEntry`).
    """
    return prepared_entry(package, scheme).judge(version, scheme.for_matching(version), commit)


class PreparedEntry:
    """An ``affected[]`` entry read once for a scheme — its enumerated versions indexed, its
    ranges parsed, sorted and described — so that judging a version costs comparisons only."""

    __slots__ = (
        "_by_value",
        "_exact",
        "_git",
        "_ranges",
        "_unaffected",
        "_versions",
        "described",
        "scheme",
    )

    def __init__(self, package: AffectedPackage, scheme: VersionScheme) -> None:
        self.scheme = scheme
        self._versions = package.versions
        self._exact, self._by_value = _versions_index(package.versions, scheme)
        self._ranges, self.described = _prepare_ranges(package.ranges, scheme)
        self._git = tuple(rng for rng in package.ranges if rng.type == "GIT")
        self._unaffected = EntryMatch(False, ranges=self.described)

    @property
    def decidable(self) -> bool:
        """Versions listed or a version range: any version can be judged without a commit."""
        return bool(self._versions or self._ranges)

    def judge(
        self,
        version: str,
        matching: tuple[Comparable | None, str | None],
        commit: str | None = None,
    ) -> EntryMatch:
        """:func:`evaluate` of ``version``, given ``scheme.for_matching(version)``."""
        parsed, adjusted = matching
        listed = self._listed(version, parsed) if self._versions else None
        hits: list[tuple[_Range, tuple[str, ...]]] = []
        if parsed is not None:
            for rng in self._ranges:
                if rng.limits and not any(parsed < limit for limit in rng.limits):
                    continue
                if _walk(rng.events, parsed):
                    hits.append((rng, rng.notes))
                elif rng.intervals:
                    note = _listed_interval(rng.intervals, parsed)
                    if note is not None:
                        hits.append((rng, (*rng.notes, note)))
        git = _git_hits(self._git, commit) if commit else ()
        if listed is None and not hits and not git:
            return self._unaffected
        notes: list[str] = []
        if adjusted:
            notes.append(adjusted)
        if listed is None and not git and all(hit_notes for _, hit_notes in hits):
            notes.extend(note for _, hit_notes in hits for note in hit_notes)
        return EntryMatch(
            True,
            listed=listed,
            fixed=_fixed_above(hits, parsed) if hits and parsed is not None else (),
            ranges=self.described + git if git else self.described,
            notes=tuple(dict.fromkeys(notes)) if notes else (),
        )

    def _listed(self, version: str, parsed: Comparable | None) -> str | None:
        if version in self._exact:
            return version
        if parsed is None:
            return None
        if self._by_value is not None:
            try:
                return self._by_value.get(parsed)
            except TypeError:  # a scheme whose values cannot be hashed: compare one by one
                pass
        for candidate in self._versions:
            value = self.scheme.parse(candidate)
            if value is not None and value == parsed:
                return candidate
        return None


@lru_cache(maxsize=16384)
def prepared_entry(package: AffectedPackage, scheme: VersionScheme) -> PreparedEntry:
    """The entry prepared for ``scheme``, once per entry (cached): for callers that judge one
    version at a time (:func:`evaluate`, a matcher given one component); a caller judging many
    versions of one package prepares each entry itself (:class:`PreparedEntry`)."""
    return PreparedEntry(package, scheme)


def git_verdict(rng: AffectedRange, commit: str) -> bool | None:
    """What a GIT range says of one commit without the repository's history: ``True`` when it is
    an ``introduced`` or ``last_affected`` commit of the range, ``False`` when it is a ``fixed``
    or ``limit`` commit, ``None`` (undecided) for any other commit, or another range type."""
    if rng.type != "GIT":
        return None
    kinds = {event.kind for event in rng.events if _same_commit(event.version, commit)}
    if kinds & {"fixed", "limit"}:
        return False
    if kinds & {"introduced", "last_affected"}:
        return True
    return None


_HEX = frozenset("0123456789abcdef")


def _same_commit(a: str, b: str) -> bool:
    """Full or abbreviated (at least 7 hex digits) spellings of one commit."""
    a, b = a.strip().lower(), b.strip().lower()
    if min(len(a), len(b)) < 7 or not set(a + b) <= _HEX:
        return False
    return a.startswith(b) or b.startswith(a)


def _git_hits(ranges: tuple[AffectedRange, ...], commit: str) -> tuple[str, ...]:
    """The affected-commit statements of the GIT ranges that name ``commit``."""
    return tuple(
        f"GIT {rng.repo or 'repository'}: commit {commit} is one of the range's affected commits"
        for rng in ranges
        if git_verdict(rng, commit) is True
    )


def _versions_index(
    versions: tuple[str, ...], scheme: VersionScheme
) -> tuple[frozenset[str], dict[Any, str] | None]:
    """An enumerated ``versions`` list: its strings, and its parsed values (first spelling kept),
    so that a lookup is a hash probe instead of parsing and comparing every entry for every
    component (an advisory can enumerate hundreds of versions)."""
    by_value: dict[Any, str] | None = {}
    for candidate in versions:
        value = scheme.parse(candidate)
        if value is None:
            continue
        try:
            by_value.setdefault(value, candidate)  # type: ignore[union-attr]
        except TypeError:
            by_value = None
            break
    return frozenset(versions), by_value


def _prepare_ranges(
    ranges: tuple[AffectedRange, ...], scheme: VersionScheme
) -> tuple[tuple[_Range, ...], tuple[str, ...]]:
    """The entry's evaluated ranges, parsed and described."""
    prepared = tuple(_prepare(rng, scheme) for rng in ranges if rng.type in EVALUATED_RANGE_TYPES)
    return prepared, tuple(_describe(rng) for rng in prepared)


def _prepare(rng: AffectedRange, scheme: VersionScheme) -> _Range:
    events: list[_Bound] = []
    limits: list[Comparable] = []
    notes: list[str] = []
    unbounded_limit = False
    for event in rng.events:
        if event.kind == "introduced" and event.version == "0":
            events.append(_Bound("introduced", event.version, None))
            continue
        if event.kind == "limit" and "*" in event.version:
            unbounded_limit = True
            continue
        value = scheme.parse(event.version)
        if value is None:
            notes.append(_assumption(event.kind, event.version, scheme))
            if event.kind == "introduced":
                events.append(_Bound("introduced", event.version, None))
            elif event.kind == "limit":
                unbounded_limit = True
            continue
        if event.kind == "limit":
            limits.append(value)
        elif event.kind in _KIND_ORDER:
            events.append(_Bound(event.kind, event.version, value))
    if not any(bound.kind == "introduced" for bound in events):
        notes.append("the range has no 'introduced' event; assumed affected from the first version")
        events.append(_Bound("introduced", "0", None))
    listed = tuple(events)
    events.sort(key=_Bound.sort_key)
    # Listed in version order already, the intervals hold nothing the walk leaves out.
    in_order = all(a is b for a, b in zip(listed, events, strict=True))
    intervals = () if in_order else _listed_intervals(listed)
    limit = () if unbounded_limit else tuple(limits)
    fixed = tuple(
        (bound.text, bound.value)
        for bound in events
        if bound.kind == "fixed" and bound.value is not None
    )
    return _Range(tuple(events), limit, tuple(notes), intervals, fixed)


def _listed_intervals(events: tuple[_Bound, ...]) -> tuple[tuple[_Bound, _Bound], ...]:
    """The closed intervals in listing order, when the events alternate an ``introduced`` and a
    ``fixed``/``last_affected`` and none is empty; ``()`` for any other listing."""
    pairs: list[tuple[_Bound, _Bound]] = []
    for i in range(0, len(events) - 1, 2):
        low, high = events[i], events[i + 1]
        if low.kind != "introduced" or high.kind not in ("fixed", "last_affected"):
            return ()
        if high.value is None:
            return ()
        if low.value is not None:
            empty = high.value < low.value or (high.kind == "fixed" and high.value == low.value)
            if empty:
                return ()
        pairs.append((low, high))
    if len(events) % 2 and events[-1].kind != "introduced":
        return ()
    return tuple(pairs)


def _assumption(kind: str, text: str, scheme: VersionScheme) -> str:
    what = {
        "introduced": "assumed affected from the first version",
        "fixed": "treated as not fixed",
        "last_affected": "treated as having no upper bound",
        "limit": "treated as no limit",
    }.get(kind, "ignored")
    return f"{kind} {text!r} is not a valid {scheme.name} version; {what} (conservative)"


def _walk(events: tuple[_Bound, ...], version: Comparable) -> bool:
    """The OSV evaluation of one range: walk its sorted events up to the version."""
    vulnerable = False
    for bound in events:
        value = bound.value
        if value is None:  # sorted first: "introduced 0" or an unreadable introduced
            if bound.kind == "introduced":
                vulnerable = True
            continue
        if not version >= value:
            break  # the events are sorted: no later one is at or below the version either
        if bound.kind == "introduced":
            vulnerable = True
        elif bound.kind == "fixed" or (bound.kind == "last_affected" and version > value):
            vulnerable = False
    return vulnerable


def _listed_interval(
    intervals: tuple[tuple[_Bound, _Bound], ...], version: Comparable
) -> str | None:
    """The note for a version the walk leaves out but an interval, as listed, contains."""
    for low, high in intervals:
        assert high.value is not None
        above = low.value is None or version >= low.value
        below = version < high.value if high.kind == "fixed" else version <= high.value
        if above and below:
            op = "<" if high.kind == "fixed" else "<="
            return (
                f"affected within the interval {_interval(low, f'{op}{high.text}')} as the record "
                "lists it: its intervals overlap or touch, and the walk over the sorted events "
                "alone would leave this version out"
            )
    return None


def _fixed_above(
    hits: list[tuple[_Range, tuple[str, ...]]], version: Comparable
) -> tuple[str, ...]:
    """The ``fixed`` bounds above the version of the ranges that contain it, in version order
    (first spelling of each), for the finding's fixed versions."""
    if len(hits) == 1:  # one range: its fixed bounds are sorted already
        return tuple(dict.fromkeys(text for text, value in hits[0][0].fixed if version < value))
    fixed: dict[str, Comparable] = {}
    for rng, _ in hits:
        for text, value in rng.fixed:
            if version < value:
                fixed.setdefault(text, value)
    return tuple(text for text, _ in sorted(fixed.items(), key=lambda item: item[1]))


def _describe(rng: _Range) -> str:
    """``>=1.0, <1.2; >=2.0`` — the intervals a range describes, in version order."""
    parts: list[str] = []
    low: _Bound | None = None
    for bound in rng.events:
        if bound.kind == "introduced":
            if low is None:
                low = bound
            continue
        if low is None:
            continue
        op = "<" if bound.kind == "fixed" else "<="
        parts.append(_interval(low, f"{op}{bound.text}"))
        low = None
    if low is not None:
        parts.append(_interval(low, None))
    text = "; ".join(parts) if parts else "no version"
    if rng.limits:
        text += " (limit " + ", ".join(f"<{limit}" for limit in rng.limits) + ")"
    return text


def _interval(low: _Bound, high: str | None) -> str:
    if low.value is None:
        return high or "all versions"
    return f">={low.text}, {high}" if high else f">={low.text}"
