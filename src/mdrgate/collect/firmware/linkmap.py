"""Placeholder: being written (linker maps)."""

from pathlib import Path

from mdrgate.collect.base import Collected, InputKind, InputSpec


def claim(path: Path) -> InputKind | None:
    return None


def collect_linker_map(spec: InputSpec) -> Collected:
    raise NotImplementedError
