"""The committed NVD and OSV records of the CPE-matching tests (tests/assets/nvd-match)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

ASSETS = Path(__file__).resolve().parents[2] / "assets" / "nvd-match"
NVD = ASSETS / "nvd"
OSV = ASSETS / "osv"


@cache
def cve_record(cve: str) -> dict[str, Any]:
    """The ``cve`` object of a committed NVD record, as published."""
    item = json.loads((NVD / f"{cve}.json").read_text(encoding="utf-8"))
    record: dict[str, Any] = item["cve"]
    assert record["id"] == cve
    return record


def configurations(cve: str) -> Any:
    return cve_record(cve)["configurations"]


def committed_cves() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in NVD.glob("CVE-*.json")))
