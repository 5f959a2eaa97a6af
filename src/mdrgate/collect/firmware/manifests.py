"""Placeholder: being written (build manifests)."""

from pathlib import Path

from mdrgate.collect.base import Collected, InputKind, InputSpec


def claim(path: Path) -> InputKind | None:
    return None


def collect_build_manifest(spec: InputSpec) -> Collected:
    raise NotImplementedError
