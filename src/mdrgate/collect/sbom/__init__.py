"""Placeholder: being written (SBOM import)."""

from pathlib import Path

from mdrgate.collect.base import Collected, InputKind, InputSpec


def claim(path: Path) -> InputKind | None:
    return None


def collect_sbom(spec: InputSpec) -> Collected:
    raise NotImplementedError
