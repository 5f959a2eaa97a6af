"""Paths of the VEX test assets and the example device's VEX files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ASSETS = Path(__file__).parents[2] / "assets" / "vex"
EXAMPLE = Path(__file__).parents[3] / "examples" / "infusion-pump" / "vex"


def asset(name: str) -> Path:
    return ASSETS / name


def load_asset(name: str) -> Any:
    return json.loads(asset(name).read_text(encoding="utf-8"))
