"""Helpers shared by the image tests."""

from __future__ import annotations

from pathlib import Path

from mdrgate.collect.base import Collected, InputKind, InputSpec
from mdrgate.collect.firmware.images import collect_firmware_image

ASSETS = Path(__file__).resolve().parents[3] / "assets" / "firmware" / "images"


def collect(path: Path, display: str | None = None) -> Collected:
    return collect_firmware_image(InputSpec(InputKind.FIRMWARE_IMAGE, path, display or path.name))


def found(result: Collected) -> set[tuple[str | None, str | None]]:
    return {(c.catalogue_id, c.version) for c in result.components}


def codes(result: Collected) -> list[str]:
    return sorted(d.code for d in result.diagnostics)
