"""Rebuild the NVD and OSV records of the CPE-matching tests from /work/shared/data (run by hand).

Each NVD file is one element of a feed's ``vulnerabilities`` list (``{"cve": {...}}``), its
bytes copied exactly as they stand in the source file — the official yearly feed where it holds
the CVE, the API-shaped subset otherwise — followed by a newline. Each OSV file is a record's
bytes copied from its export zip. Re-running the script reproduces the committed files byte for
byte. Sources and licences: ../PROVENANCE.md ("nvd-match").

    .venv/bin/python tests/assets/nvd-match/build_assets.py [/work/shared/data]
"""

from __future__ import annotations

import json
import re
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Why each CVE is here: tests/unit/nvd_match/cve_table.py (the audited table) and PROVENANCE.md.
CVES = (
    "CVE-1999-0428",  # OpenSSL: versionEndExcluding 0.9.2b (letter release bound)
    "CVE-2002-0059",  # zlib: versionEndIncluding 1.1.3
    "CVE-2002-0657",  # OpenSSL: exact 0.9.7 with updates beta1, beta2 only
    "CVE-2003-0078",  # OpenSSL: range, exact 0.9.6i, 0.9.7 update '-' and beta1..beta6
    "CVE-2003-1605",  # curl: 7.1.0 <= v < 7.10.7
    "CVE-2005-2096",  # zlib: exact 1.2.0, 1.2.1, 1.2.2
    "CVE-2006-10002",  # XML::Parser: escaped colons in the product, target_sw perl
    "CVE-2011-4354",  # OpenSSL: target_hw x86 on every entry
    "CVE-2011-4574",  # PolarSSL (mbed TLS before 1.3): < 1.1.0
    "CVE-2015-0204",  # OpenSSL: <= 0.9.8zc, exact 1.0.0a..1.0.0o, 1.0.1a..1.0.1j
    "CVE-2015-0207",  # OpenSSL: exact 1.0.2 and 1.0.2 beta1..beta3
    "CVE-2015-1283",  # Expat: <= 2.1.0, several configurations
    "CVE-2015-2883",  # Philips In.Sight B120/37: escaped backslash, version '-'
    "CVE-2015-3144",  # curl/libcurl: exact versions, libcurl '7.39'
    "CVE-2015-3216",  # OpenSSL: exact '1.0.1e-25.el7' (not a firmware version)
    "CVE-2015-5895",  # SQLite AND running on iOS (vulnerable: false platform with a range)
    "CVE-2015-6607",  # SQLite AND running on Android 5.1 (vulnerable: false, exact version)
    "CVE-2015-6925",  # wolfSSL: <= 3.6.6
    "CVE-2015-7764",  # NVD CVSS for PYSEC-2017-50 (V3.1 and V2, Primary)
    "CVE-2015-10004",  # NVD CVSS for GO-2020-0023 (V3.1 Primary and Secondary)
    "CVE-2015-10085",  # NVD CVSS for GO-2023-1590 (V3.1 Secondary 3.5, Primary 7.5; V2 Secondary)
    "CVE-2018-16601",  # FreeRTOS filed as a:amazon:freertos, <= 10.0.1
    "CVE-2019-14192",  # U-Boot: <= 2019.07
    "CVE-2020-22283",  # lwIP: version '-' ("git head")
    "CVE-2020-22284",  # lwIP: exact 2.1.2
    "CVE-2021-31571",  # FreeRTOS filed as o:amazon:freertos, < 10.4.3
    "CVE-2021-42374",  # BusyBox: 1.27.0..1.33.1; NetApp firmware AND hardware (vulnerable: false)
    "CVE-2021-44732",  # Mbed TLS: two ranges, exact 3.0.0 update '-' and update preview1
    "CVE-2022-25638",  # wolfSSL: < 5.2.0
    "CVE-2022-30790",  # U-Boot: exact 2022.01
    "CVE-2022-35409",  # Mbed TLS: arm:mbed_tls < 2.28.1, trustedfirmware:mbed_tls 3.0.0..3.2.0
    "CVE-2022-35737",  # SQLite: 1.0.12 <= v < 3.39.2; alias of RUSTSEC-2022-0090
    "CVE-2022-40674",  # Expat: < 2.4.9
    "CVE-2022-48174",  # BusyBox: <= 1.36.1
    "CVE-2023-38545",  # curl (libcurl): 7.69.0 <= v < 8.4.0
    "CVE-2023-45853",  # zlib: <= 1.3
)
OSV = {
    "PyPI": ("PYSEC-2017-50",),  # no severity; alias CVE-2015-7764
    "Go": ("GO-2020-0023", "GO-2023-1590"),  # no severity; aliases CVE-2015-10004, CVE-2015-10085
    "crates.io": ("RUSTSEC-2022-0090",),  # CVSS_V3 of its own; alias CVE-2022-35737
}
_FEED = re.compile(r"nvdcve-2\.0-(\d{4})\.json\.zip")


def _feed_years(data: Path) -> set[int]:
    return {
        int(match[1])
        for path in (data / "nvd" / "feeds").iterdir()
        if (match := _FEED.fullmatch(path.name))
    }


def _feed_of(cve: str, years: set[int]) -> tuple[str, str]:
    """(zip under nvd/, member) holding the CVE: its yearly feed, else the subset."""
    year = int(cve.split("-")[1])
    feed_year = 2002 if year < 2002 else year
    if feed_year in years:
        return f"feeds/nvdcve-2.0-{feed_year}.json.zip", f"nvdcve-2.0-{feed_year}.json"
    return "nvd-subset.json.zip", "nvd-subset.json"


def _slice(text: str, cve: str) -> str:
    pattern = re.compile(r'\{\s*"cve"\s*:\s*\{\s*"id"\s*:\s*"' + re.escape(cve) + '"')
    starts = [m.start() for m in pattern.finditer(text)]
    if len(starts) != 1:
        raise SystemExit(f"{cve}: found {len(starts)} times")
    item, end = json.JSONDecoder().raw_decode(text, starts[0])
    assert item["cve"]["id"] == cve
    return text[starts[0] : end]


def build(data: Path) -> None:
    years = _feed_years(data)
    wanted: dict[tuple[str, str], list[str]] = {}
    for cve in CVES:
        wanted.setdefault(_feed_of(cve, years), []).append(cve)
    out = HERE / "nvd"
    out.mkdir(exist_ok=True)
    for (archive, member), cves in sorted(wanted.items()):
        with zipfile.ZipFile(data / "nvd" / archive) as source:
            text = source.read(member).decode("utf-8")
        for cve in cves:
            (out / f"{cve}.json").write_bytes((_slice(text, cve) + "\n").encode("utf-8"))
    for ecosystem, ids in OSV.items():
        target = HERE / "osv"
        target.mkdir(exist_ok=True)
        with zipfile.ZipFile(data / "osv" / ecosystem / "all.zip") as source:
            for ident in ids:
                (target / f"{ident}.json").write_bytes(source.read(f"{ident}.json"))


if __name__ == "__main__":
    build(Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data"))
