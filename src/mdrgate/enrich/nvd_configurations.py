"""Whether a component is affected by a CVE, judged from the CVE's NVD ``configurations``.

NVD writes which platforms a CVE affects as *configurations* (OR between them), each a list of
*nodes* joined by the configuration's ``operator`` (OR when absent), each node a list of
``cpeMatch`` entries joined by the node's ``operator``; ``negate`` inverts a node or a
configuration. An entry is a CPE match string (``criteria``) with optional version bounds
(``versionStartIncluding``/``Excluding``, ``versionEndIncluding``/``Excluding``) and a
``vulnerable`` flag: ``false`` marks a platform the vulnerable software runs on or with.

The component is one product; everything else in the configuration is the environment it runs
in, which the inventory does not describe reliably. Each entry is therefore true (it names the
component and covers its version), false (it names the component and excludes its version) or
unknown (another product, or a version that cannot be compared), and the nodes and
configurations are evaluated in three-valued logic. The component is

- **affected** when an entry with ``vulnerable: true`` is true for it and its configuration is
  not false; when the configuration is only unknown (an AND with a platform: "SQLite as used in
  iOS"), the finding is kept and its conditions are named, so a reviewer can dismiss it with a
  reason instead of mdrgate dismissing it silently;
- **undetermined** when no entry decides but a vulnerable entry names the component and its
  version cannot be placed (not a version of the scheme, an unparsable bound, NVD's ``-``
  version, an unknown component version) — never a silent pass;
- **not affected** otherwise. A component named only by ``vulnerable: false`` entries is never
  affected: a CVE in an application that runs on a platform is not a vulnerability of that
  platform.

Reading of the CPE attributes:

- vendor and product identify the component (wildcards in the criteria are honoured); the part
  (``a``/``o``/``h``) does not, because NVD files one product under different parts over time
  (FreeRTOS is ``a:amazon:freertos`` in CVE-2018-16601 and ``o:amazon:freertos`` in
  CVE-2021-31571); a difference is noted;
- versions are compared with an injected :class:`~mdrgate.versioning.base.VersionScheme`. A
  criteria version with update ``*`` covers that version's updates, so ``1.0.2:*`` covers
  ``1.0.2-beta3`` (a pre-release or ``p`` release spelled in the component's version is its CPE
  update); an update such as ``beta1`` must match (``0.9.7:beta1`` is ``0.9.7-beta1``); update
  ``-`` means the release itself. Equality of two texts that do not both parse is still decided
  when they are the same text or their leading release numbers differ (``3.0.7`` is not
  ``1.0.1e-25.el7``); otherwise it is undetermined;
- the other attributes (edition, language, software edition, target software and hardware,
  other): a component value that differs from the criteria's excludes the entry; a component
  that does not state one (``*``) keeps the entry, with the criteria's value named as a
  condition (``target_hw x86``: "OpenSSL before 0.9.8h on 32-bit platforms").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from mdrgate.cpe import (
    CpeError,
    CpeName,
    CpeValue,
    Relation,
    ValueKind,
    compare_values,
    parse_cpe,
    parse_identifier,
    product_key_of,
)
from mdrgate.versioning.base import Comparable, VersionScheme

Tri = bool | None
"""True, false, or unknown (three-valued logic)."""


class ConfigurationError(ValueError):
    """``configurations`` that do not have the NVD JSON 2.0 shape; the message gives the path."""


class Operator(StrEnum):
    AND = "AND"
    OR = "OR"


class MatchStatus(StrEnum):
    AFFECTED = "affected"
    NOT_AFFECTED = "not-affected"
    UNDETERMINED = "undetermined"


_BOUNDS = (
    ("versionStartIncluding", "from", "including"),
    ("versionStartExcluding", "from", "excluding"),
    ("versionEndIncluding", "up to", "including"),
    ("versionEndExcluding", "up to", "excluding"),
)


@dataclass(frozen=True, slots=True)
class CpeMatchEntry:
    """One ``cpeMatch`` entry, as published."""

    criteria: str
    name: CpeName = field(compare=False)
    vulnerable: bool
    match_criteria_id: str | None = None
    start_including: str | None = None
    start_excluding: str | None = None
    end_including: str | None = None
    end_excluding: str | None = None

    @property
    def bounds(self) -> tuple[tuple[str, str], ...]:
        """The version bounds present, as (NVD key, version)."""
        values = (
            self.start_including,
            self.start_excluding,
            self.end_including,
            self.end_excluding,
        )
        return tuple(
            (key, value) for (key, _, _), value in zip(_BOUNDS, values, strict=True) if value
        )

    def bounds_text(self) -> str:
        """``from 2.17.0 (including) up to 2.28.0 (excluding)``; empty without bounds."""
        words = {key: (word, kind) for key, word, kind in _BOUNDS}
        return " ".join(f"{words[key][0]} {value} ({words[key][1]})" for key, value in self.bounds)

    def describe(self) -> str:
        """The criteria and its bounds, as evidence names the entry."""
        bounds = self.bounds_text()
        return f"{self.criteria} {bounds}" if bounds else self.criteria


@dataclass(frozen=True, slots=True)
class Node:
    operator: Operator
    negate: bool
    entries: tuple[CpeMatchEntry, ...]


@dataclass(frozen=True, slots=True)
class Configuration:
    operator: Operator
    """How the nodes combine; OR when the record gives none (a single node)."""
    negate: bool
    nodes: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Subject:
    """A component as CPE matching sees it: its CPE names and the version to compare.

    ``version`` (the component's version) takes precedence over the versions written in the
    names; a name's own version is used when ``version`` is ``None``.
    """

    names: tuple[CpeName, ...]
    version: str | None = None

    @classmethod
    def of(cls, identifiers: Iterable[str | CpeName], version: str | None = None) -> Subject:
        """From CPE names (2.3 or 2.2) or ``vendor:product`` pairs; CpeError when one is not.

        A name must state its vendor and product: a name of any product would match every CVE.
        """
        names: list[CpeName] = []
        for identifier in identifiers:
            name = identifier if isinstance(identifier, CpeName) else parse_identifier(identifier)
            if not (name.vendor.is_literal and name.product.is_literal):
                raise CpeError(f"{name.formatted()!r} does not name one vendor and product")
            if name not in names:
                names.append(name)
        if not names:
            raise CpeError("a component needs at least one CPE name or vendor:product pair")
        cleaned = version.strip() if version is not None else None
        return cls(tuple(names), cleaned or None)

    @property
    def product_keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(name.product_key for name in self.names))


@dataclass(frozen=True, slots=True)
class CriteriaMatch:
    """The entry that decided (or could not decide) about the component, and why."""

    entry: CpeMatchEntry
    configuration: int
    """Index of the configuration in the CVE's ``configurations``."""
    node: int
    component_cpe: str
    """The component's CPE name the entry was compared with."""
    reason: str
    conditions: tuple[str, ...] = ()
    """What must also hold for the CVE to apply (a platform, a target hardware)."""

    def describe(self) -> str:
        ident = f" [matchCriteriaId {self.entry.match_criteria_id}]"
        text = f"{self.entry.describe()}{ident if self.entry.match_criteria_id else ''}"
        if self.conditions:
            text += f"; only {'; '.join(self.conditions)}"
        return text


@dataclass(frozen=True, slots=True)
class CveMatch:
    """The verdict for one component and one CVE."""

    status: MatchStatus
    reason: str
    decided_by: tuple[CriteriaMatch, ...] = ()
    """Affected: the vulnerable entries that match, unconditional ones first. Undetermined: the
    vulnerable entries that could not be decided. Not affected: empty."""
    notes: tuple[str, ...] = ()

    @property
    def affected(self) -> bool:
        return self.status is MatchStatus.AFFECTED

    @property
    def conditional(self) -> bool:
        """Affected only under conditions the inventory cannot confirm (a platform)."""
        return self.affected and all(match.conditions for match in self.decided_by)


# --------------------------------------------------------------------------- parsing


def parse_configurations(
    raw: object, *, where: str = "configurations"
) -> tuple[Configuration, ...]:
    """The ``configurations`` of an NVD CVE record (API 2.0 / JSON 2.0 feeds).

    Unknown keys are ignored; a missing or mistyped required key, or a criteria that is not a
    CPE 2.3 name, raises ConfigurationError naming its path (``configurations[0].nodes[1]...``).
    """
    if not isinstance(raw, list):
        raise ConfigurationError(f"{where}: expected a list, found {_kind(raw)}")
    configurations: list[Configuration] = []
    for i, item in enumerate(raw):
        path = f"{where}[{i}]"
        config = _mapping(item, path)
        nodes_raw = config.get("nodes")
        if not isinstance(nodes_raw, list):
            raise ConfigurationError(f"{path}.nodes: expected a list, found {_kind(nodes_raw)}")
        nodes = tuple(_node(node, f"{path}.nodes[{j}]") for j, node in enumerate(nodes_raw))
        configurations.append(
            Configuration(
                operator=_operator(config.get("operator", "OR"), f"{path}.operator"),
                negate=_flag(config.get("negate", False), f"{path}.negate"),
                nodes=nodes,
            )
        )
    return tuple(configurations)


def _node(raw: object, path: str) -> Node:
    node = _mapping(raw, path)
    if "operator" not in node:
        raise ConfigurationError(f"{path}.operator: missing (expected 'AND' or 'OR')")
    entries_raw = node.get("cpeMatch")
    if not isinstance(entries_raw, list):
        raise ConfigurationError(f"{path}.cpeMatch: expected a list, found {_kind(entries_raw)}")
    return Node(
        operator=_operator(node["operator"], f"{path}.operator"),
        negate=_flag(node.get("negate", False), f"{path}.negate"),
        entries=tuple(_entry(e, f"{path}.cpeMatch[{k}]") for k, e in enumerate(entries_raw)),
    )


def _entry(raw: object, path: str) -> CpeMatchEntry:
    entry = _mapping(raw, path)
    criteria = entry.get("criteria")
    if not isinstance(criteria, str):
        raise ConfigurationError(
            f"{path}.criteria: expected a CPE 2.3 string, found {_kind(criteria)}"
        )
    if not criteria.startswith("cpe:2.3:"):
        raise ConfigurationError(f"{path}.criteria: {criteria!r} is not a CPE 2.3 formatted string")
    try:
        name = parse_cpe(criteria)
    except CpeError as exc:
        raise ConfigurationError(f"{path}.criteria: {exc}") from exc
    if "vulnerable" not in entry:
        raise ConfigurationError(f"{path}.vulnerable: missing (expected true or false)")
    ident = entry.get("matchCriteriaId")
    if ident is not None and not isinstance(ident, str):
        raise ConfigurationError(f"{path}.matchCriteriaId: expected a string, found {_kind(ident)}")
    bounds: dict[str, str | None] = {}
    for key, _, _ in _BOUNDS:
        value = entry.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise ConfigurationError(f"{path}.{key}: expected a version string, found {value!r}")
        bounds[key] = value.strip() if isinstance(value, str) else None
    return CpeMatchEntry(
        criteria=criteria,
        name=name,
        vulnerable=_flag(entry["vulnerable"], f"{path}.vulnerable"),
        match_criteria_id=ident,
        start_including=bounds["versionStartIncluding"],
        start_excluding=bounds["versionStartExcluding"],
        end_including=bounds["versionEndIncluding"],
        end_excluding=bounds["versionEndExcluding"],
    )


def _mapping(raw: object, path: str) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise ConfigurationError(f"{path}: expected an object, found {_kind(raw)}")
    return raw


def _operator(raw: object, path: str) -> Operator:
    if raw not in ("AND", "OR"):
        raise ConfigurationError(f"{path}: expected 'AND' or 'OR', found {raw!r}")
    return Operator(raw)


def _flag(raw: object, path: str) -> bool:
    if not isinstance(raw, bool):
        raise ConfigurationError(f"{path}: expected true or false, found {raw!r}")
    return raw


def _kind(raw: object) -> str:
    if raw is None:
        return "nothing"
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(raw), f"a {type(raw).__name__}"
    )


def products_named(
    configurations: Iterable[Configuration], *, vulnerable_only: bool = False
) -> frozenset[str]:
    """The ``vendor:product`` keys the entries name (lower case), to index CVEs by product.

    A CVE can only concern a component whose key is among them; with ``vulnerable_only``, only
    the entries that can make a component affected count.
    """
    return frozenset(
        entry.name.product_key.casefold()
        for config in configurations
        for node in config.nodes
        for entry in node.entries
        if entry.vulnerable or not vulnerable_only
    )


def criteria_products(raw: object, *, where: str = "configurations") -> frozenset[str]:
    """:func:`products_named` of raw ``configurations``, without building the entries.

    For indexing a whole feed at import speed; the shape is checked only as far as reaching the
    criteria needs (ConfigurationError otherwise), the full check happens when a CVE is judged.
    """
    keys: set[str] = set()
    if not isinstance(raw, list):
        raise ConfigurationError(f"{where}: expected a list, found {_kind(raw)}")
    for i, config in enumerate(raw):
        nodes = _mapping(config, f"{where}[{i}]").get("nodes")
        if not isinstance(nodes, list):
            raise ConfigurationError(f"{where}[{i}].nodes: expected a list, found {_kind(nodes)}")
        for j, node in enumerate(nodes):
            path = f"{where}[{i}].nodes[{j}]"
            entries = _mapping(node, path).get("cpeMatch")
            if not isinstance(entries, list):
                raise ConfigurationError(f"{path}.cpeMatch: expected a list")
            for k, entry in enumerate(entries):
                criteria = _mapping(entry, f"{path}.cpeMatch[{k}]").get("criteria")
                if not isinstance(criteria, str):
                    raise ConfigurationError(f"{path}.cpeMatch[{k}].criteria: expected a string")
                try:
                    keys.add(product_key_of(criteria))
                except CpeError as exc:
                    raise ConfigurationError(f"{path}.cpeMatch[{k}].criteria: {exc}") from exc
    return frozenset(keys)


# --------------------------------------------------------------------------- matching


def match_cve(
    configurations: object,
    identifiers: Iterable[str | CpeName],
    version: str | None,
    scheme: VersionScheme,
) -> CveMatch:
    """Parse a CVE's raw ``configurations`` and judge one component (see :func:`evaluate`)."""
    return evaluate(parse_configurations(configurations), Subject.of(identifiers, version), scheme)


def evaluate(
    configurations: Sequence[Configuration], subject: Subject, scheme: VersionScheme
) -> CveMatch:
    """Whether ``subject`` is affected, undetermined or not affected, with the deciding entries."""
    affected: list[CriteriaMatch] = []
    undetermined: list[CriteriaMatch] = []
    notes: list[str] = []
    named = vulnerable_named = platform_only = excluded_by_configuration = 0
    for c, config in enumerate(configurations):
        outcomes: list[list[_Outcome | None]] = [
            [_judge(entry, subject, scheme) for entry in node.entries] for node in config.nodes
        ]
        node_values = [
            _node_value(node, row) for node, row in zip(config.nodes, outcomes, strict=True)
        ]
        value = _combine(config.operator, node_values)
        if config.negate:
            value = _not(value)
        for n, (node, row) in enumerate(zip(config.nodes, outcomes, strict=True)):
            for entry, outcome in zip(node.entries, row, strict=True):
                if outcome is None:
                    continue
                notes.extend(outcome.notes)
                named += 1
                if not entry.vulnerable:
                    if outcome.value is not False:
                        platform_only += 1
                    continue
                vulnerable_named += 1
                if value is False:
                    if outcome.value is not False:
                        excluded_by_configuration += 1
                    continue
                if outcome.value is False:
                    continue
                conditions = outcome.conditions
                if value is None and outcome.value is True:
                    environment = _environment(config, outcomes, node_values)
                    conditions = (*conditions, *(environment or [_UNRESOLVED]))
                match = CriteriaMatch(
                    entry=entry,
                    configuration=c,
                    node=n,
                    component_cpe=outcome.component_cpe,
                    reason=outcome.reason,
                    conditions=tuple(dict.fromkeys(conditions)),
                )
                (affected if outcome.value is True else undetermined).append(match)
    kept_notes = tuple(dict.fromkeys(notes))
    if affected:
        ordered = sorted(affected, key=lambda m: bool(m.conditions))
        first = ordered[0]
        reason = f"{first.reason} ({first.entry.describe()})"
        if first.conditions:
            reason += f"; only {'; '.join(first.conditions)}"
        return CveMatch(MatchStatus.AFFECTED, reason, tuple(_unique(ordered)), kept_notes)
    if undetermined:
        reasons = "; ".join(dict.fromkeys(m.reason for m in undetermined))
        return CveMatch(MatchStatus.UNDETERMINED, reasons, tuple(_unique(undetermined)), kept_notes)
    return CveMatch(
        MatchStatus.NOT_AFFECTED,
        _not_affected_reason(
            subject, named, vulnerable_named, platform_only, excluded_by_configuration
        ),
        (),
        kept_notes,
    )


def _unique(matches: Iterable[CriteriaMatch]) -> list[CriteriaMatch]:
    seen: set[tuple[str, str, str | None]] = set()
    kept: list[CriteriaMatch] = []
    for match in matches:
        key = (match.entry.describe(), match.component_cpe, match.entry.match_criteria_id)
        if key not in seen:
            seen.add(key)
            kept.append(match)
    return kept


def _not_affected_reason(
    subject: Subject, named: int, vulnerable: int, platform: int, excluded: int
) -> str:
    products = ", ".join(subject.product_keys)
    version = f" {subject.version}" if subject.version else ""
    if named == 0:
        return f"no cpeMatch entry names {products}"
    if excluded:
        return (
            f"the entries naming {products}{version} hold only in configurations that do not "
            "apply (a negated node, or a platform the component does not match)"
        )
    if platform and not vulnerable:
        return (
            f"{products} is named only as a platform the vulnerable software runs on or with "
            "(vulnerable: false), which is not a vulnerability of it"
        )
    return f"no vulnerable entry naming {products} covers{version or ' this component'}"


_UNRESOLVED = "if the rest of the configuration (negated nodes) holds"


@dataclass(frozen=True, slots=True)
class _Outcome:
    value: Tri
    reason: str
    component_cpe: str
    conditions: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def _node_value(node: Node, row: Sequence[_Outcome | None]) -> Tri:
    value = _combine(node.operator, [o.value if o is not None else None for o in row])
    return _not(value) if node.negate else value


def _combine(operator: Operator, values: Sequence[Tri]) -> Tri:
    if operator is Operator.AND:
        if any(v is False for v in values):
            return False
        return True if all(v is True for v in values) else None
    if any(v is True for v in values):
        return True
    return False if values and all(v is False for v in values) else None


def _not(value: Tri) -> Tri:
    return None if value is None else not value


def _environment(
    config: Configuration, outcomes: Sequence[Sequence[_Outcome | None]], values: Sequence[Tri]
) -> list[str]:
    """What else must hold: the nodes of the configuration that are not known to be true."""
    conditions: list[str] = []
    for node, row, value in zip(config.nodes, outcomes, values, strict=True):
        if value is True:
            continue
        pending = [
            entry
            for entry, outcome in zip(node.entries, row, strict=True)
            if outcome is None or outcome.value is not True
        ]
        if not pending:
            continue
        role = "running on/with" if all(not e.vulnerable for e in pending) else "together with"
        quantity = "one of" if node.operator is Operator.OR else "all of"
        if node.negate:
            role, quantity = "not " + role, "any of" if node.operator is Operator.OR else "all of"
        listed = [e.describe() for e in pending[:5]]
        more = f" and {len(pending) - 5} more" if len(pending) > 5 else ""
        if len(pending) == 1:
            conditions.append(f"{role} {listed[0]}")
        else:
            conditions.append(f"{role} {quantity}: {', '.join(listed)}{more}")
    return conditions


def _judge(entry: CpeMatchEntry, subject: Subject, scheme: VersionScheme) -> _Outcome | None:
    """The entry's value for the component, ``None`` when it names another product."""
    outcomes: list[_Outcome] = []
    for name in subject.names:
        if not _same_product(entry.name, name):
            continue
        outcomes.append(_judge_name(entry, name, subject.version, scheme))
    if not outcomes:
        return None
    for wanted in (True, None, False):
        for outcome in outcomes:
            if outcome.value is wanted:
                return outcome
    return outcomes[0]  # pragma: no cover - every value is one of the three


def _same_product(criteria: CpeName, name: CpeName) -> bool:
    return all(
        compare_values(criteria.value(a), name.value(a)) in (Relation.EQUAL, Relation.SUPERSET)
        for a in ("vendor", "product")
    )


_LABELS = {
    "edition": "edition",
    "language": "language",
    "sw_edition": "software edition",
    "target_sw": "target software",
    "target_hw": "target hardware",
    "other": "other",
}


def _judge_name(
    entry: CpeMatchEntry, name: CpeName, version: str | None, scheme: VersionScheme
) -> _Outcome:
    shown = name.formatted()
    notes: list[str] = []
    criteria = entry.name
    if (
        criteria.part.kind is ValueKind.VALUE
        and name.part.kind is ValueKind.VALUE
        and criteria.part.text != name.part.text
    ):
        notes.append(
            f"{entry.criteria} files {name.product_key} under part '{criteria.part.text}', the "
            f"component's CPE under '{name.part.text}'; the part is not used to tell products apart"
        )
    conditions: list[str] = []
    for attribute, label in _LABELS.items():
        source, target = criteria.value(attribute), name.value(attribute)
        relation = compare_values(source, target)
        if relation in (Relation.EQUAL, Relation.SUPERSET):
            continue
        if relation is Relation.DISJOINT:
            return _Outcome(
                False,
                f"the component's {label} is {target.bound()!r}, the entry's {source.bound()!r}",
                shown,
                notes=tuple(notes),
            )
        conditions.append(f"for {label} {source.bound()}")
    value, reason, note = _version_value(entry, name, version, scheme)
    if note:
        notes.append(note)
    return _Outcome(value, reason, shown, tuple(conditions), tuple(notes))


# --------------------------------------------------------------------------- versions

_RELEASE = re.compile(r"[vV]?(\d+(?:\.\d+)*)")
_UPDATE = re.compile(
    r"(?P<release>.*?\d[A-Za-z]{0,2})[-_.]?"
    r"(?P<update>(?:alpha|beta|preview|pre|rc|dev)[-_.]?\d*|(?:patch|sp|p)[-_.]?\d+)",
    re.IGNORECASE,
)


def _version_value(
    entry: CpeMatchEntry, name: CpeName, version: str | None, scheme: VersionScheme
) -> tuple[Tri, str, str | None]:
    """The entry's verdict on the component's version: (value, reason, note)."""
    criteria = entry.name
    if version is None and name.version.is_literal:
        version = name.version.text
    component_na = version is None and name.version.kind is ValueKind.NA
    cv = criteria.version
    if cv.kind is ValueKind.ANY and not entry.bounds:
        update = _update_value(version, name.update, criteria.update)
        if update is not True:
            return update, _update_mismatch(version, criteria.update), None
        return True, "every version of the product is affected (version '*', no bounds)", None
    if cv.kind is ValueKind.NA:
        if component_na:
            return True, "the product has no versions ('-') on both sides", None
        return (
            None,
            f"NVD gives no version for {name.product_key} ('-'), so which releases are affected "
            "is not stated",
            None,
        )
    if component_na:
        return False, "the component's CPE says it has no version ('-')", None
    if version is None:
        return (
            None,
            "the component's version is unknown, so it cannot be compared with the versions "
            "the entries name",
            None,
        )
    results: list[tuple[Tri, str]] = []
    note: str | None = None
    if cv.kind is ValueKind.VALUE:
        results.append(_exact(version, name.update, cv, criteria.update, scheme))
    else:
        update = _update_value(version, name.update, criteria.update)
        if update is not True:
            results.append((update, _update_mismatch(version, criteria.update)))
    if entry.bounds:
        value, reason, note = _in_range(version, entry, scheme)
        results.append((value, reason))
    if any(v is False for v, _ in results):
        return False, "; ".join(r for v, r in results if v is False), note
    if all(v is True for v, _ in results):
        return True, "; ".join(r for _, r in results), note
    return None, "; ".join(r for v, r in results if v is None), note


def _in_range(
    version: str, entry: CpeMatchEntry, scheme: VersionScheme
) -> tuple[Tri, str, str | None]:
    value, note = scheme.for_matching(version)
    failures: list[str] = []
    unknown: list[tuple[str, str]] = []
    guessed: list[str] = []
    for key, bound in entry.bounds:
        parsed = scheme.parse(bound)
        if value is not None and parsed is not None:
            holds = _holds(key, value, parsed)
        else:
            order = _release_order(version, bound)
            if order is None:
                unknown.append((key, bound))
                continue
            holds = order > 0 if key.startswith("versionStart") else order < 0
            guessed.append(bound)
        if not holds:
            failures.append(_failure(key, version, bound))
    basis = ""
    if guessed:
        unreadable = [t for t in (version, *guessed) if scheme.parse(t) is None]
        basis = (
            f" (decided by the leading release numbers: {', '.join(map(repr, unreadable))} "
            f"{'is' if len(unreadable) == 1 else 'are'} not a {scheme.name})"
        )
    if failures:
        return False, "; ".join(failures) + basis, note
    if unknown:
        if value is None:
            return (
                None,
                f"version {version!r} is not a {scheme.name}, so it cannot be placed "
                f"{entry.bounds_text()}",
                note,
            )
        bad = "; ".join(
            f"the bound {bound!r} ({key}) is not a {scheme.name}" for key, bound in unknown
        )
        return None, f"{bad}, so {version} cannot be placed", note
    return True, f"{version} is in the range {entry.bounds_text()}{basis}", note


def _holds(key: str, value: Comparable, bound: Comparable) -> bool:
    if key == "versionStartIncluding":
        return bool(value >= bound)
    if key == "versionStartExcluding":
        return bool(value > bound)
    if key == "versionEndIncluding":
        return bool(value <= bound)
    return bool(value < bound)


def _failure(key: str, version: str, bound: str) -> str:
    return {
        "versionStartIncluding": f"{version} is below {bound} (versionStartIncluding)",
        "versionStartExcluding": f"{version} is not above {bound} (versionStartExcluding)",
        "versionEndIncluding": f"{version} is above {bound} (versionEndIncluding)",
        "versionEndExcluding": f"{version} is not below {bound} (versionEndExcluding)",
    }[key]


def _exact(
    version: str,
    component_update: CpeValue,
    cv: CpeValue,
    cu: CpeValue,
    scheme: VersionScheme,
) -> tuple[Tri, str]:
    """Whether ``version`` is the criteria's version ``cv`` with update ``cu``."""
    if cv.has_wildcards:
        if cv.matches(version):
            return True, f"{version} matches the criteria's version pattern {cv.bound()}"
        return False, f"{version} does not match the criteria's version pattern {cv.bound()}"
    target = cv.text
    named = target if cu.kind is ValueKind.ANY else f"{target} (update {cu.bound()})"
    if component_update.kind is not ValueKind.ANY:
        # The component's CPE states its update apart from the version.
        relation = compare_values(cu, component_update)
        if relation not in (Relation.EQUAL, Relation.SUPERSET):
            return False, f"{version} update {component_update.bound()} is not {named}"
        same = _same(version, target, scheme)
        return same, _exact_reason(same, version, named, target, scheme)
    split = _split_update(version)
    if cu.kind is ValueKind.ANY:
        same = _same(version, target, scheme)
        if same is not True and split is not None:
            release_same = _same(split[0], target, scheme)
            if release_same is True:
                return True, (
                    f"{version} is an update ({split[1]}) of {target}, and the criteria covers "
                    f"every update of {target} ('*')"
                )
            if same is False:
                same = release_same
        return same, _exact_reason(same, version, named, target, scheme)
    if cu.kind is ValueKind.NA:
        same = _same(version, target, scheme)
        return same, _exact_reason(
            same, version, f"{target} (update '-': the release itself)", target, scheme
        )
    joined = f"{target}-{cu.text}"
    same = _same(version, joined, scheme)
    if same is not True and split is not None and _update_key(split[1]) == _update_key(cu.text):
        release_same = _same(split[0], target, scheme)
        if release_same is True or same is None:
            same = release_same
    return same, _exact_reason(same, version, named, joined, scheme)


def _exact_reason(same: Tri, version: str, named: str, compared: str, scheme: VersionScheme) -> str:
    if same is True:
        return f"{version} is the criteria's version {named}"
    if same is False:
        return f"{version} is not {named}"
    unreadable = [text for text in (version, compared) if scheme.parse(text) is None]
    return (
        f"cannot tell whether {version} is {named}: "
        f"{' and '.join(repr(t) for t in unreadable)} {'is' if len(unreadable) == 1 else 'are'} "
        f"not a {scheme.name}"
    )


def _same(a: str, b: str, scheme: VersionScheme) -> Tri:
    """Whether two version texts name the same version, ``None`` when that cannot be told."""
    if a.casefold() == b.casefold():
        return True
    pa, _ = scheme.for_matching(a)
    pb = scheme.parse(b)
    if pa is not None and pb is not None:
        return bool(pa == pb)
    return False if _release_order(a, b) is not None else None


def _release_order(a: str, b: str) -> int | None:
    """-1 or 1 when the leading release numbers of two texts differ (``1.0.2k-fips`` is above
    ``0.9.8zc``: 1 > 0), ``None`` when they do not decide (one is a prefix of the other, or a
    text does not start with numbers). Used only where the scheme cannot read a text; texts with
    an epoch (``1:2.3``, ``1!2.0``) are never decided this way."""
    na, nb = _release_numbers(a), _release_numbers(b)
    if na is None or nb is None:
        return None
    for x, y in zip(na, nb, strict=False):
        if x != y:
            return -1 if x < y else 1
    return None


def _release_numbers(text: str) -> list[int] | None:
    if ":" in text or "!" in text:
        return None
    match = _RELEASE.match(text.strip())
    return [int(x) for x in match[1].split(".")] if match else None


def _split_update(version: str) -> tuple[str, str] | None:
    """``1.0.2-beta3`` → (``1.0.2``, ``beta3``): an update spelled in a version."""
    match = _UPDATE.fullmatch(version)
    return (match["release"], match["update"]) if match else None


def _update_key(text: str) -> str:
    return re.sub(r"[-_.]", "", text).casefold()


def _update_value(version: str | None, component_update: CpeValue, cu: CpeValue) -> Tri:
    """Whether the component's update fits the criteria's (for entries without an exact version)."""
    if cu.kind is ValueKind.ANY:
        return True
    if component_update.kind is not ValueKind.ANY:
        return compare_values(cu, component_update) in (Relation.EQUAL, Relation.SUPERSET)
    if version is None:
        return None
    split = _split_update(version)
    if cu.kind is ValueKind.NA:
        return split is None
    if split is None:
        return False
    if cu.has_wildcards:
        return cu.matches(split[1])
    return _update_key(split[1]) == _update_key(cu.text)


def _update_mismatch(version: str | None, cu: CpeValue) -> str:
    if version is None:
        return f"the component's version is unknown, and the entry names update {cu.bound()}"
    return f"{version} is not of update {cu.bound()}"


__all__ = [
    "Configuration",
    "ConfigurationError",
    "CpeMatchEntry",
    "CriteriaMatch",
    "CveMatch",
    "MatchStatus",
    "Node",
    "Operator",
    "Subject",
    "criteria_products",
    "evaluate",
    "match_cve",
    "parse_configurations",
    "products_named",
]
