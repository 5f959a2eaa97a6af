"""Rebuild the feed excerpts of the vulnerability-database tests from /work/shared/data (by hand).

Every record is copied unchanged (same keys, order and values) from its source file and written
as 2-space-indented UTF-8 JSON; only the envelopes' counts are set to the excerpt's size. Sources
and licences: ../PROVENANCE.md ("nvd/, kev/, eol/, epss/"). Re-running it reproduces the files.

    .venv/bin/python tests/assets/nvd/build_assets.py [/work/shared/data]
"""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parents[1]
"""tests/assets: the excerpts go to nvd/, kev/ and eol/ there."""

# NVD API-shaped subset: embedded components.
API_CVES = (
    "CVE-2018-16601",  # FreeRTOS+TCP as a:amazon:freertos; 'affected' (unknown field)
    "CVE-2020-22283",  # lwIP, version '-'
    "CVE-2020-22284",  # lwIP 2.1.2
    "CVE-2020-36421",  # Mbed TLS; 'affected' and metrics.ssvcV203 (unknown fields)
    "CVE-2021-31571",  # FreeRTOS kernel as o:amazon:freertos
    "CVE-2023-45853",  # zlib <= 1.3; V3.1 Primary and Secondary
    "CVE-2024-23170",  # Mbed TLS, two ranges
)
# Official 2015 yearly feed.
FEED_CVES = (
    "CVE-2015-1160",  # Rejected, no configurations
    "CVE-2015-1194",  # criteria with quoted characters
    "CVE-2015-5895",  # SQLite AND iPhone OS (vulnerable: false platform)
    "CVE-2015-10148",  # cvssMetricV40
)
KEV_CVES = (
    "CVE-2021-44228",  # Log4Shell, ransomware Known
    "CVE-2014-0160",  # Heartbleed (OpenSSL)
    "CVE-2023-38545",  # curl SOCKS5 heap overflow, if listed
    "CVE-2021-22205",  # GitLab
)
EOL_PRODUCTS = ("openssl", "python", "sqlite")


def _zip_json(path: Path) -> Any:
    with zipfile.ZipFile(path) as zf:
        return json.loads(zf.read(zf.namelist()[0]))


def _dump(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def _nvd(data: Path) -> None:
    subset = _zip_json(data / "nvd" / "nvd-subset.json.zip")
    by_id = {v["cve"]["id"]: v for v in subset["vulnerabilities"]}
    items = [by_id[cve] for cve in API_CVES]
    envelope = {k: v for k, v in subset.items() if k != "vulnerabilities"}
    envelope.update(resultsPerPage=len(items), totalResults=len(items), startIndex=0)
    (HERE / "nvd").mkdir(exist_ok=True)
    (HERE / "nvd" / "embedded-api.json").write_text(
        _dump({**envelope, "vulnerabilities": items}), "utf-8"
    )
    feed = _zip_json(data / "nvd" / "feeds" / "nvdcve-2.0-2015.json.zip")
    by_id = {v["cve"]["id"]: v for v in feed["vulnerabilities"]}
    items = [by_id[cve] for cve in FEED_CVES]
    envelope = {k: v for k, v in feed.items() if k != "vulnerabilities"}
    envelope.update(resultsPerPage=len(items), totalResults=len(items))
    (HERE / "nvd" / "nvdcve-2.0-2015-excerpt.json").write_text(
        _dump({**envelope, "vulnerabilities": items}), "utf-8"
    )


def _kev(data: Path) -> None:
    catalog = json.loads((data / "kev" / "known_exploited_vulnerabilities.json").read_text("utf-8"))
    by_id = {v["cveID"]: v for v in catalog["vulnerabilities"]}
    items = [by_id[cve] for cve in KEV_CVES if cve in by_id]
    out = {k: v for k, v in catalog.items() if k != "vulnerabilities"}
    out["count"] = len(items)
    (HERE / "kev").mkdir(exist_ok=True)
    (HERE / "kev" / "kev-excerpt.json").write_text(
        _dump({**out, "vulnerabilities": items}), "utf-8"
    )


def _eol(data: Path) -> None:
    (HERE / "eol").mkdir(exist_ok=True)
    target = HERE / "eol" / "endoflife-excerpt.zip"
    with zipfile.ZipFile(data / "eol" / "endoflife-date.zip") as source:
        members = {}
        for product in EOL_PRODUCTS:
            for name in (f"products/{product}.json", f"api/{product}.json"):
                members[name] = source.read(name)
        (HERE / "eol" / "openssl.json").write_bytes(members["api/openssl.json"])
    members["api/all.json"] = (json.dumps(list(EOL_PRODUCTS), indent=2) + "\n").encode()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, raw in members.items():
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, raw)


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/work/shared/data")
    _nvd(data)
    _kev(data)
    _eol(data)


if __name__ == "__main__":
    main()
