"""Rebuild the bundled NVD excerpt: every CVE that names a CPE product of the example device.

The CVE records are copied unchanged (as parsed JSON objects) from the NVD data in the project's
shared data set: the CVE API 2.0 subset (`shared/data/nvd/nvd-subset.json.zip`) and the yearly JSON
2.0 feeds (`shared/data/nvd/feeds/*.json.zip`); when both hold a CVE, the most recently modified
copy is kept. The output is shaped like one CVE API 2.0 answer and gzip-compressed without a
timestamp, so a rebuild gives the same bytes.
Run: python examples/infusion-pump/nvd/build_excerpt.py [SHARED_NVD_DIR]
"""

from __future__ import annotations

import gzip
import json
import sys
import zipfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_SOURCE = HERE.parents[3] / "shared" / "data" / "nvd"
# vendor:product of every CPE the example's SOUP register and firmware catalogue give.
PRODUCTS = {
    "amazon:freertos", "amazon:freertos-plus-tcp", "arm:mbed_tls", "lwip_project:lwip",
    "cjson_project:cjson", "davegamble:cjson", "elm-chan:fatfs", "nanopb_project:nanopb",
    "python:python",
}  # fmt: skip


def _products(cve: dict[str, Any]) -> set[str]:
    found = set()
    for config in cve.get("configurations", []):
        for node in config.get("nodes", []):
            for match in node.get("cpeMatch", []):
                parts = match["criteria"].split(":")
                found.add(f"{parts[3]}:{parts[4]}".lower())
    return found


def _answers(source: Path) -> list[dict[str, Any]]:
    answers = []
    for path in [source / "nvd-subset.json.zip", *sorted((source / "feeds").glob("*.json.zip"))]:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                answers.append(json.loads(archive.read(name)))
    return answers


def main() -> int:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE
    if not (source / "nvd-subset.json.zip").is_file():
        print(f"NVD data not found under {source}", file=sys.stderr)
        return 1
    kept: dict[str, dict[str, Any]] = {}
    timestamps = []
    for answer in _answers(source):
        timestamps.append(answer["timestamp"])
        for item in answer["vulnerabilities"]:
            cve = item["cve"]
            if not _products(cve) & PRODUCTS:
                continue
            old = kept.get(cve["id"])
            if old is None or cve.get("lastModified", "") > old["cve"].get("lastModified", ""):
                kept[cve["id"]] = item
    items = [kept[key] for key in sorted(kept)]
    answer = {
        "resultsPerPage": len(items),
        "startIndex": 0,
        "totalResults": len(items),
        "format": "NVD_CVE",
        "version": "2.0",
        "timestamp": min(timestamps),
        "vulnerabilities": items,
    }
    data = json.dumps(answer, indent=1, ensure_ascii=False).encode() + b"\n"
    target = HERE / "nvd-excerpt.json.gz"
    target.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    print(f"{len(items)} CVE records -> {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
