"""Placeholder: being written (vendored-source detection)."""

from pathlib import Path

from mdrgate.collect.base import Collected, InputKind, InputSpec


def claim(path: Path) -> InputKind | None:
    return None


def collect_firmware_source(spec: InputSpec) -> Collected:
    raise NotImplementedError
