"""Which locked packages production needs, when the lock file does not say it per package.

Yarn's lock files and pnpm's lockfile 9 record a dependency graph but not which packages are
development-only: that follows from the project's roots. Three sets come out of one walk each:

- *required*: reached from the production roots through non-optional edges;
- *optional*: reached from the production roots only through an optional edge somewhere (an
  installation with optional dependencies ships them);
- *dev*: reached only from the development roots.

Anything else is *unreached*: the lock file lists it but no root leads to it (a stale lock, or a
root the reader could not see); collectors keep those and say so.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from enum import StrEnum
from typing import TypeVar

N = TypeVar("N", bound=Hashable)


class Reach(StrEnum):
    REQUIRED = "required"
    OPTIONAL = "optional"
    DEV = "dev"


def classify(
    roots: Iterable[tuple[N, Reach]],
    edges: Callable[[N], Iterable[tuple[N, bool]]],
) -> dict[N, Reach]:
    """Each node reached from ``roots``, with how; ``edges(node)`` yields (target, optional)."""
    start = list(roots)
    required = _walk([n for n, r in start if r is Reach.REQUIRED], edges, follow_optional=False)
    production = [n for n, r in start if r is not Reach.DEV]
    optional = _walk(production, edges, follow_optional=True) - required
    dev = _walk([n for n, r in start if r is Reach.DEV], edges, follow_optional=True)
    result: dict[N, Reach] = dict.fromkeys(dev - required - optional, Reach.DEV)
    result.update(dict.fromkeys(optional, Reach.OPTIONAL))
    result.update(dict.fromkeys(required, Reach.REQUIRED))
    return result


def _walk(
    start: list[N], edges: Callable[[N], Iterable[tuple[N, bool]]], *, follow_optional: bool
) -> set[N]:
    seen: set[N] = set()
    stack = list(start)
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        for target, optional in edges(node):
            if (follow_optional or not optional) and target not in seen:
                stack.append(target)
    return seen
