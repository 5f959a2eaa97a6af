"""Placeholder: being written (compiled images)."""

from pathlib import Path

from mdrgate.collect.base import Collected, InputKind, InputSpec


def claim(path: Path) -> InputKind | None:
    return None


def collect_firmware_image(spec: InputSpec) -> Collected:
    raise NotImplementedError
