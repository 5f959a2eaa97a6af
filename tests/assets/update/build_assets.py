"""Rebuild the ``db update`` test assets from the other committed excerpts (by hand).

The files the local test server serves as the official endpoints would. Every file but one is a
byte-for-byte copy of an excerpt whose provenance ../PROVENANCE.md already records;
``eol-v1-products-full.json`` holds the same endoflife.date records (openssl, python, sqlite)
reshaped into the documented API v1 ``/api/v1/products/full`` shape (the inverse of the v0
reshaping described in the shared PROVENANCE section 5; field by field, nothing added).

    .venv/bin/python tests/assets/update/build_assets.py
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ASSETS = HERE.parent
GENERATED = "2026-08-22"
"""The endoflife.date commit's date: the flags (isEol...) are judged as of it."""

COPIES = {
    "osv-PyPI-all.zip": "osv/PyPI/all.zip",
    "osv-Go-all.zip": "osv/Go/all.zip",
    "nvd-api-answer.json": "nvd/embedded-api.json",
    "nvdcve-2.0-2015-excerpt.json": "nvd/nvdcve-2.0-2015-excerpt.json",
    "known_exploited_vulnerabilities.json": "kev/kev-excerpt.json",
    "epss_scores-current.csv": "epss/epss-format-sample.csv",
    "eol-openssl.json": "eol/openssl.json",
}


def _flag_and_date(value: Any, *, negate: bool) -> tuple[bool | None, str | None]:
    if isinstance(value, bool):
        return (not value if negate else value), None
    if isinstance(value, str):
        return value <= GENERATED, value
    return None, None


def _release(cycle: dict[str, Any]) -> dict[str, Any]:
    is_lts, lts_from = _flag_and_date(cycle.get("lts"), negate=False)
    if lts_from is not None:
        is_lts = True
    is_eoas, eoas_from = _flag_and_date(cycle.get("support"), negate=True)
    is_eol, eol_from = _flag_and_date(cycle.get("eol"), negate=False)
    is_eoes, eoes_from = _flag_and_date(cycle.get("extendedSupport"), negate=True)
    is_disc, disc_from = _flag_and_date(cycle.get("discontinued"), negate=False)
    latest = None
    if cycle.get("latest") is not None:
        latest = {
            "name": cycle.get("latest"),
            "date": cycle.get("latestReleaseDate"),
            "link": cycle.get("link"),
        }
    return {
        "name": str(cycle["cycle"]),
        "codename": cycle.get("codename"),
        "label": str(cycle["cycle"]),
        "releaseDate": cycle.get("releaseDate"),
        "isLts": bool(is_lts),
        "ltsFrom": lts_from,
        "isEoas": is_eoas,
        "eoasFrom": eoas_from,
        "isEol": is_eol,
        "eolFrom": eol_from,
        "isEoes": is_eoes,
        "eoesFrom": eoes_from,
        "isDiscontinued": is_disc,
        "discontinuedFrom": disc_from,
        "isMaintained": not is_eol,
        "latest": latest,
        "custom": None,
    }


def _eol_v1() -> None:
    with zipfile.ZipFile(ASSETS / "eol" / "endoflife-excerpt.zip") as archive:
        names = json.loads(archive.read("api/all.json"))
        result = []
        for name in names:
            page = json.loads(archive.read(f"products/{name}.json"))
            cycles = json.loads(archive.read(f"api/{name}.json"))
            identifiers = [
                {"id": value, "type": kind}
                for item in page.get("identifiers", [])
                for kind, value in item.items()
            ]
            result.append(
                {
                    "name": name,
                    "aliases": [],
                    "label": page.get("title"),
                    "category": page.get("category"),
                    "tags": [],
                    "identifiers": identifiers,
                    "releases": [_release(c) for c in cycles],
                }
            )
    answer = {
        "schema_version": "1.2.0",
        "generated_at": f"{GENERATED}T00:00:00+00:00",
        "total": len(result),
        "result": result,
    }
    text = json.dumps(answer, indent=2, ensure_ascii=False) + "\n"
    (HERE / "eol-v1-products-full.json").write_text(text, "utf-8")


def main() -> None:
    for target, source in COPIES.items():
        shutil.copyfile(ASSETS / source, HERE / target)
    _eol_v1()


if __name__ == "__main__":
    main()
