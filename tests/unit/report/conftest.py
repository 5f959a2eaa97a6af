"""Golden-file comparison for the renderers; ``MDRGATE_REGEN_GOLDEN=1`` rewrites the files."""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parents[2] / "assets" / "report" / "golden"


@pytest.fixture
def golden() -> Callable[[str, bytes], None]:
    def check(name: str, actual: bytes) -> None:
        path = GOLDEN / name
        if os.environ.get("MDRGATE_REGEN_GOLDEN") == "1":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(actual)
            return
        assert path.exists(), f"{path} is missing; run with MDRGATE_REGEN_GOLDEN=1 to create it"
        expected = path.read_bytes()
        if actual != expected:
            diff = "\n".join(
                difflib.unified_diff(
                    expected.decode("utf-8", "replace").splitlines(),
                    actual.decode("utf-8", "replace").splitlines(),
                    f"golden/{name}",
                    "rendered",
                    lineterm="",
                    n=2,
                )
            )
            pytest.fail(f"{name} differs from the golden file:\n{diff[:4000]}")

    return check
