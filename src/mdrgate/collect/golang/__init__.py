"""Collector for Go host software: ``go.mod``, cross-checked with ``go.sum``, or ``go.sum`` alone.

``claim`` recognises both by name; the reader is imported only when one is collected.
"""

from __future__ import annotations

from pathlib import Path

from mdrgate.collect.base import Collected, InputKind, InputSpec

_BY_NAME = {"go.mod": InputKind.GO_MOD, "go.sum": InputKind.GO_SUM}


def claim(path: Path) -> InputKind | None:
    return _BY_NAME.get(path.name)


def collect_go_mod(spec: InputSpec) -> Collected:
    from mdrgate.collect.golang.gomod import collect_go_mod as collect

    return collect(spec)


def collect_go_sum(spec: InputSpec) -> Collected:
    from mdrgate.collect.golang.gomod import collect_go_sum as collect

    return collect(spec)


__all__ = ["claim", "collect_go_mod", "collect_go_sum"]
