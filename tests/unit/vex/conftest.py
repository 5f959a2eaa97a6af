from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """Write a (modified) document as 2-space-indented JSON, the layout of the assets."""

    def _write(data: Any, name: str = "doc.json") -> Path:
        path = tmp_path / name
        text = data if isinstance(data, str) else json.dumps(data, indent=2)
        path.write_text(text, encoding="utf-8")
        return path

    return _write
