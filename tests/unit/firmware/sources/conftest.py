"""Helpers for the vendored-source tests: collect one file as discovery would hand it over."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from mdrgate.collect.base import Collected, InputKind, InputSpec
from mdrgate.collect.firmware.sources import claim, collect_firmware_source

SOURCES = Path(__file__).resolve().parents[3] / "assets" / "firmware" / "sources"

Collect = Callable[[Path], Collected]


def collect_file(path: Path, display: str | None = None) -> Collected:
    """Claim then collect ``path``; the display path is relative to the assets by default."""
    assert claim(path) is InputKind.FIRMWARE_SOURCE, f"{path} is not claimed"
    if display is None:
        display = (
            path.relative_to(SOURCES).as_posix() if path.is_relative_to(SOURCES) else path.name
        )
    return collect_firmware_source(InputSpec(InputKind.FIRMWARE_SOURCE, path, display))


@pytest.fixture
def sources() -> Path:
    return SOURCES
