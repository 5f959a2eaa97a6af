"""Whether a component's declared licences meet allow/deny lists, read as SPDX expressions.

Expressions are parsed by ``license-expression`` (the SPDX licence list it ships; unknown keys
are kept as written, so ``LicenseRef-Proprietary`` can be listed too). A component that declares
several licences is read as all of them applying (AND) — the conservative reading, since a list
says nothing about choice. The expression is brought into alternatives (an OR of ANDs): the
component meets the terms when one alternative uses only allowed, undenied licences — the
licensee may choose. Patterns are case-insensitive and may use ``*`` (``GPL-*``, ``AGPL-*``).

``X WITH E`` (a licence with an exception): an exception only adds permissions, so a pattern
naming the whole ``X WITH E`` decides first; otherwise ``X`` itself is judged (denying
``GPL-2.0-only`` also denies ``GPL-2.0-only WITH Classpath-exception-2.0`` unless the
combination is allowed by name).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from license_expression import (
    AND,
    OR,
    ExpressionError,
    LicenseSymbol,
    LicenseWithExceptionSymbol,
    Licensing,
    get_spdx_licensing,
)

MAX_ALTERNATIVES = 256
"""More alternatives than this is an expression nobody can review: reported, not judged."""


class LicenceVerdict(StrEnum):
    ALLOWED = "allowed"
    DENIED = "denied"
    NOT_ALLOWED = "not-allowed"
    """Not denied, but not on the allow list either."""
    UNDECLARED = "undeclared"
    UNREADABLE = "unreadable"


@dataclass(frozen=True, slots=True)
class LicenceTerms:
    allow: tuple[str, ...] = ()
    """Patterns of allowed licences; empty: every licence not denied is allowed."""
    deny: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LicenceJudgement:
    verdict: LicenceVerdict
    expression: str | None
    """The normalised expression judged (``None`` when nothing was declared)."""
    reason: str


def judge_licences(declared: Sequence[str], terms: LicenceTerms) -> LicenceJudgement:
    """How the declared licences (SPDX ids or expressions) fare against ``terms``."""
    texts = [t.strip() for t in declared if t and t.strip()]
    if not texts:
        return LicenceJudgement(LicenceVerdict.UNDECLARED, None, "no licence is declared")
    combined = " AND ".join(f"({t})" if len(texts) > 1 else t for t in texts)
    try:
        parsed = _licensing().parse(combined, validate=False, simple=False)
    except ExpressionError as exc:
        return LicenceJudgement(
            LicenceVerdict.UNREADABLE, combined, f"not an SPDX licence expression ({exc})"
        )
    if parsed is None:
        return LicenceJudgement(LicenceVerdict.UNDECLARED, None, "no licence is declared")
    expression = str(parsed)
    alternatives = _alternatives(parsed)
    if alternatives is None:
        return LicenceJudgement(
            LicenceVerdict.UNREADABLE,
            expression,
            f"more than {MAX_ALTERNATIVES} ways to comply: review it by hand",
        )
    judged = [_judge_alternative(alt, terms) for alt in alternatives]
    for alt, (denied, missing) in zip(alternatives, judged, strict=True):
        if not denied and not missing:
            chosen = " AND ".join(sorted(alt))
            how = "" if len(alternatives) == 1 else f" (choosing {chosen})"
            return LicenceJudgement(LicenceVerdict.ALLOWED, expression, f"allowed{how}")
    if all(denied for denied, _ in judged):
        names = sorted({name for denied, _ in judged for name in denied})
        return LicenceJudgement(
            LicenceVerdict.DENIED,
            expression,
            f"{', '.join(names)} {'is' if len(names) == 1 else 'are'} denied, and no alternative "
            "avoids it"
            if len(alternatives) > 1
            else f"{', '.join(names)} {'is' if len(names) == 1 else 'are'} denied",
        )
    names = sorted({name for denied, missing in judged for name in (*denied, *missing)})
    return LicenceJudgement(
        LicenceVerdict.NOT_ALLOWED,
        expression,
        f"{', '.join(names)} {'is' if len(names) == 1 else 'are'} not on the allow list",
    )


def canonical_pattern(pattern: str) -> str:
    """A pattern without wildcards in the form expressions are judged in.

    The licence list maps deprecated ids to their current ones (``GPL-2.0`` is read as
    ``GPL-2.0-only``, ``GPL-2.0+`` as ``GPL-2.0-or-later``): a deny list that kept ``GPL-2.0``
    as written would never match a component declaring ``GPL-2.0`` — a silent pass. Patterns
    with ``*``/``?`` are kept as written (they name families, e.g. ``GPL-*``).
    """
    if any(ch in pattern for ch in "*?[") or not pattern.strip():
        return pattern
    try:
        parsed = _licensing().parse(pattern, validate=False, simple=False)
    except ExpressionError:
        return pattern
    return pattern if parsed is None else str(parsed)


@cache
def _licensing() -> Licensing:
    return get_spdx_licensing()


def _alternatives(expression: Any) -> list[frozenset[str]] | None:
    """The expression as an OR of ANDs of licence texts; ``None`` when it has too many."""
    if isinstance(expression, LicenseWithExceptionSymbol | LicenseSymbol):
        return [frozenset({str(expression)})]
    if isinstance(expression, OR):
        found: list[frozenset[str]] = []
        for arg in expression.args:
            sub = _alternatives(arg)
            if sub is None:
                return None
            found.extend(sub)
            if len(found) > MAX_ALTERNATIVES:
                return None
        return list(dict.fromkeys(found))
    if isinstance(expression, AND):
        product: list[frozenset[str]] = [frozenset()]
        for arg in expression.args:
            sub = _alternatives(arg)
            if sub is None:
                return None
            product = [a | b for a in product for b in sub]
            if len(product) > MAX_ALTERNATIVES:
                return None
        return list(dict.fromkeys(product))
    return [frozenset({str(expression)})]


def _judge_alternative(
    licences: frozenset[str], terms: LicenceTerms
) -> tuple[list[str], list[str]]:
    """(denied licences, licences not on the allow list) of one alternative."""
    denied: list[str] = []
    missing: list[str] = []
    for text in sorted(licences):
        base = text.split(" WITH ", 1)[0]
        if _matches(text, terms.allow) and " WITH " in text:
            continue  # the combination allowed by name
        if _matches(text, terms.deny) or _matches(base, terms.deny):
            denied.append(text)
        elif terms.allow and not (_matches(text, terms.allow) or _matches(base, terms.allow)):
            missing.append(text)
    return denied, missing


def _matches(text: str, patterns: Sequence[str]) -> bool:
    folded = text.casefold()
    return any(fnmatch.fnmatchcase(folded, p.casefold()) for p in patterns)
