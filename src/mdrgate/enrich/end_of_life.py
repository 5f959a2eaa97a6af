"""Tie components to endoflife.date products and release cycles: the public end-of-life facts.

A product is found by the component's identifiers that the product's page lists: the purl
without version (``pkg:pypi/django``) and the CPEs' ``vendor:product`` (``python:python``). A
release cycle is then chosen by the component's version: the cycle whose name is the longest
prefix of the version's release numbers (``3.8.10`` → ``3.8``; OpenSSL ``1.1.1k`` → ``1.1.1``;
Node.js ``22.11.0`` → ``22``). Numbers are compared as written, trailing zeros included, so
``1.0.2u`` can never fall into cycle ``1.0.0`` (the generic firmware scheme drops trailing zeros
for ordering, which is right for ranges and wrong here). Cycles named otherwise (codenames,
``2012-r2``) are not matched. A version in no cycle is reported ("cycle unknown"), not guessed.

When several products are named, the one named by the purl wins over those named only by a CPE,
then the one named by more identifiers; among equals, the only one with a cycle for the version.
Anything else is ambiguous: a diagnostic, and no facts for that component.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from mdrgate.model.component import Component, Inventory
from mdrgate.model.diagnostic import Diagnostic, DiagnosticLevel
from mdrgate.model.support import MatchedBy, ProductMatch, SupportFacts
from mdrgate.versioning import parse_pep440
from mdrgate.vulndb.eol import identifier_key
from mdrgate.vulndb.records import EolCycle, EolProduct
from mdrgate.vulndb.store import VulnDb

NO_EOL_DATA = "no-eol-data"
EOL_PRODUCT_AMBIGUOUS = "eol-product-ambiguous"
EOL_CYCLE_UNKNOWN = "eol-cycle-unknown"

_RELEASE = re.compile(r"(?:v|r|version[-_ ]?|release[-_ ]?)?([0-9]+(?:\.[0-9]+)*)", re.IGNORECASE)
_CYCLE = re.compile(r"[0-9]+(?:\.[0-9]+)*")
_CASELESS_PURL_TYPES = ("github", "gitlab", "bitbucket")
"""purl types whose namespace and name compare without case (the purl specification)."""


def support_for(
    inventory: Inventory, db: VulnDb
) -> tuple[tuple[SupportFacts, ...], tuple[Diagnostic, ...]]:
    """The end-of-life facts of every component an endoflife.date product names, sorted by
    component, and the diagnostics met: no end-of-life data at all, a cycle not found, several
    products that cannot be told apart."""
    if not inventory.components:
        return (), ()
    if "eol" not in db.kinds():
        return (), (
            Diagnostic(
                code=NO_EOL_DATA,
                message="the vulnerability database holds no endoflife.date data: whether "
                "components have reached their end of life is known only from the SOUP register",
                level=DiagnosticLevel.WARNING,
            ),
        )
    lookup = _Lookup(db)
    facts: list[SupportFacts] = []
    notes: list[Diagnostic] = []
    for component in sorted(inventory.components, key=lambda c: c.bom_ref):
        candidates = lookup.candidates(component)
        if not candidates:
            continue
        found, diagnostic = choose(component, candidates)
        if found is not None:
            facts.append(found)
        if diagnostic is not None:
            notes.append(diagnostic)
    return tuple(facts), tuple(sorted(notes))


@dataclass(frozen=True, slots=True)
class Candidate:
    """A product the component's identifiers name, and which identifiers named it."""

    product: EolProduct
    matched: tuple[ProductMatch, ...]

    @property
    def rank(self) -> tuple[bool, int]:
        return (any(m.by is MatchedBy.PURL for m in self.matched), len(self.matched))


def identifier_keys(component: Component) -> list[ProductMatch]:
    """The component's identifiers as products list them, sorted and without repeats."""
    keys: set[ProductMatch] = set()
    if component.purl:
        key = identifier_key("purl", component.purl)
        if key is not None:
            keys.add(ProductMatch(MatchedBy.PURL, key))
            kind = key[4:].split("/", 1)[0]
            if kind in _CASELESS_PURL_TYPES and key != key.lower():
                keys.add(ProductMatch(MatchedBy.PURL, key.lower()))
            elif kind == "pypi":
                canonical = _pypi_key(key)
                keys.add(ProductMatch(MatchedBy.PURL, canonical))
    for cpe in component.cpes:
        key = identifier_key("cpe", cpe)
        if key is not None:
            keys.add(ProductMatch(MatchedBy.CPE, key))
    return sorted(keys)


def _pypi_key(key: str) -> str:
    from packaging.utils import canonicalize_name

    return "pkg:pypi/" + canonicalize_name(key[len("pkg:pypi/") :])


class _Lookup:
    """Product look-ups by identifier, each identifier asked once per run."""

    def __init__(self, db: VulnDb) -> None:
        self._db = db
        self._cache: dict[ProductMatch, list[EolProduct]] = {}

    def products(self, match: ProductMatch) -> list[EolProduct]:
        found = self._cache.get(match)
        if found is None:
            text = match.key if match.by is MatchedBy.PURL else f"cpe:2.3:a:{match.key}"
            found = self._db.eol_products_for(text)
            self._cache[match] = found
        return found

    def candidates(self, component: Component) -> list[Candidate]:
        by_name: dict[str, tuple[EolProduct, set[ProductMatch]]] = {}
        for match in identifier_keys(component):
            for product in self.products(match):
                by_name.setdefault(product.name, (product, set()))[1].add(match)
        return [
            Candidate(product, tuple(sorted(matched)))
            for _, (product, matched) in sorted(by_name.items())
        ]


def choose(
    component: Component, candidates: Sequence[Candidate]
) -> tuple[SupportFacts | None, Diagnostic | None]:
    """The facts of the product the component belongs to (see the module docstring for the
    order of preference), or ``None`` and a diagnostic when it cannot be told."""
    best_rank = max(c.rank for c in candidates)
    best = [c for c in candidates if c.rank == best_rank]
    others = [c for c in candidates if c.rank != best_rank]
    notes: list[str] = []
    if len(best) > 1:
        with_cycle = [c for c in best if cycle_for(c.product.cycles, component) is not None]
        if len(with_cycle) != 1:
            return None, _ambiguous(component, best, with_cycle)
        chosen = with_cycle[0]
        for other in best:
            if other is not chosen:
                notes.append(
                    f"{other.product.name} is also named ({_matches(other.matched)}) but has no "
                    f"release cycle for {_version(component)}"
                )
    else:
        chosen = best[0]
    for other in others:
        notes.append(
            f"{other.product.name} is also named ({_matches(other.matched)}); "
            f"{chosen.product.name} is named by {_why(chosen)}"
        )
    cycle = cycle_for(chosen.product.cycles, component)
    facts = _facts(component, chosen, cycle, notes)
    if cycle is None:
        return facts, Diagnostic(
            code=EOL_CYCLE_UNKNOWN,
            message=f"{component.display}: {cycle_unknown_reason(component, chosen.product)}",
            level=DiagnosticLevel.WARNING,
            component=component.bom_ref,
        )
    return facts, None


def _why(candidate: Candidate) -> str:
    if candidate.rank[0]:
        return "the purl"
    return f"more identifiers ({_matches(candidate.matched)})"


def _ambiguous(
    component: Component, best: Sequence[Candidate], with_cycle: Sequence[Candidate]
) -> Diagnostic:
    names = ", ".join(c.product.name for c in best)
    matched = _matches(sorted({m for c in best for m in c.matched}))
    if with_cycle:
        why = f"each has a release cycle for {_version(component)}"
    else:
        why = f"none has a release cycle for {_version(component)}"
    return Diagnostic(
        code=EOL_PRODUCT_AMBIGUOUS,
        message=f"{component.display}: its identifiers ({matched}) name the endoflife.date "
        f"products {names} alike and {why}; none was chosen — give the component a purl or "
        "CPE that names one product",
        level=DiagnosticLevel.WARNING,
        component=component.bom_ref,
    )


def cycle_unknown_reason(component: Component, product: EolProduct) -> str:
    """Why no cycle of ``product`` was chosen for ``component``."""
    if component.version is None:
        return (
            f"the version is unknown, so no release cycle of endoflife.date product "
            f"{product.name} can be chosen; its end of life is unknown"
        )
    numbered = [c.cycle for c in product.cycles if _CYCLE.fullmatch(c.cycle)]
    listed = f" (cycles {numbered[-1]} to {numbered[0]})" if len(numbered) > 1 else ""
    return (
        f"version {component.version} belongs to no release cycle of endoflife.date product "
        f"{product.name}{listed}; its end of life is unknown"
    )


def _matches(matched: Iterable[ProductMatch]) -> str:
    return ", ".join(str(m) for m in matched)


def _version(component: Component) -> str:
    return f"version {component.version}" if component.version else "an unknown version"


def release_numbers(version: str, ecosystem: str | None = None) -> tuple[int, ...] | None:
    """The release numbers a version starts with, as written: ``3.8.10`` → (3, 8, 10),
    ``1.1.1k`` → (1, 1, 1), ``v22.11.0`` → (22, 11, 0), ``R0.14b`` → (0, 14). PyPI versions are
    read by PEP 440 (``2.2.post1``, ``1.0.0rc1``); ``None`` when no number leads."""
    text = version.strip()
    if ecosystem == "PyPI":
        parsed = parse_pep440(text)
        if parsed is not None:
            return tuple(parsed.release)
    match = _RELEASE.match(text)
    if match is None:
        return None
    return tuple(int(part) for part in match[1].split("."))


def cycle_numbers(name: str) -> tuple[int, ...] | None:
    """The numbers of a cycle name made only of them (``3.12``, ``1.1.1``, ``22``), else None."""
    text = name.strip()
    if not _CYCLE.fullmatch(text):
        return None
    return tuple(int(part) for part in text.split("."))


def cycle_for(cycles: Sequence[EolCycle], component: Component) -> EolCycle | None:
    """The cycle whose numbers are the longest prefix of the version's release numbers; the
    first published of equals (endoflife.date lists newest first); ``None`` when none is."""
    if component.version is None:
        return None
    numbers = release_numbers(component.version, component.ecosystem)
    if numbers is None:
        return None
    best: tuple[int, EolCycle] | None = None
    for cycle in cycles:
        key = cycle_numbers(cycle.cycle)
        if key is None or len(key) > len(numbers) or numbers[: len(key)] != key:
            continue
        if best is None or len(key) > best[0]:
            best = (len(key), cycle)
    return best[1] if best else None


def _facts(
    component: Component, chosen: Candidate, cycle: EolCycle | None, notes: Sequence[str]
) -> SupportFacts:
    product = chosen.product
    facts = SupportFacts(
        component=component.bom_ref,
        product=product.name,
        product_title=product.title,
        matched=chosen.matched,
        source=product.source,
        cycle=None,
        version=component.version,
        notes=tuple(notes),
    )
    if cycle is None:
        return replace(facts, notes=(*notes, cycle_unknown_reason(component, product)))
    return replace(
        facts,
        cycle=cycle.cycle,
        eol=cycle.eol,
        support=cycle.support,
        extended_support=cycle.extended_support,
        lts=cycle.lts,
        release_date=cycle.release_date,
        latest=cycle.latest,
        latest_release_date=cycle.latest_release_date,
        codename=cycle.codename,
        link=cycle.link,
    )
