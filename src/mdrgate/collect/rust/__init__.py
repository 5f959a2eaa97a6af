"""Collector for Rust software (host tools or embedded firmware): ``Cargo.lock``.

``claim`` recognises it by name; the reader is imported only when one is collected.
"""

from __future__ import annotations

from pathlib import Path

from mdrgate.collect.base import Collected, InputKind, InputSpec


def claim(path: Path) -> InputKind | None:
    return InputKind.CARGO_LOCK if path.name == "Cargo.lock" else None


def collect_cargo_lock(spec: InputSpec) -> Collected:
    from mdrgate.collect.rust.cargolock import collect_cargo_lock as collect

    return collect(spec)


__all__ = ["claim", "collect_cargo_lock"]
