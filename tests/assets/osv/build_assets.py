"""Rebuild the OSV test archives from the real exports in /work/shared/data (run by hand).

Each record is copied byte-for-byte from the upstream export into a small zip in the published
layout (``<Ecosystem>/all.zip``, one ``<id>.json`` per record). Entries are sorted and carry a
fixed timestamp and mode, so re-running the script reproduces the committed zips exactly. The
GHSA PyPI sample is copied unchanged. Sources and licences: ../PROVENANCE.md ("OSV excerpts").

    .venv/bin/python tests/assets/osv/build_assets.py [/work/shared/data]
"""

from __future__ import annotations

import shutil
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

# (export directory under <data>/osv, record ids) — why each record is here is in PROVENANCE.md.
RECORDS: dict[str, tuple[str, ...]] = {
    "PyPI": (
        "PYSEC-2012-1",  # beaker: fixed 1.6.5.post1 (post-release bound)
        "PYSEC-2019-125",  # steam: fixed '2019-09-12' is not PEP 440
        "PYSEC-2021-13",  # flask-caching: withdrawn
        "PYSEC-2021-338",  # leo: versions list with non-PEP 440 entries ('4.11-final')
        "PYSEC-2021-371",  # binderhub: fails the OSV schema; fixed '0.2.0-n653' not PEP 440
        "PYSEC-2022-42969",  # py: last_affected 1.11.0
        "PYSEC-2023-192",  # urllib3: two intervals, events out of order, CVSS_V3
        "PYSEC-2023-212",  # urllib3: two intervals, CVSS_V3
        "PYSEC-2023-221",  # werkzeug: two intervals, CVSS_V3, GIT range with two fixes
        "PYSEC-2023-74",  # requests: introduced 2.3.0, fixed 2.31.0, versions list
        "PYSEC-2024-46",  # apache-airflow: fixed 2.8.3rc1 (pre-release bound)
        "PYSEC-2024-55",  # cipherbcrypt: modified is the 0001-01-01 placeholder, no published
    ),
    "Go": (
        "GO-2022-0617",  # k8s.io/kubernetes: withdrawn
        "GO-2025-3451",  # github.com/boltdb-go/bolt: SEMVER range
    ),
    "crates.io": (
        "RUSTSEC-2021-0006",  # cache: CVSS_V3
        "RUSTSEC-2026-0024",  # libcrux-psq: CVSS_V4
    ),
    "OSS-Fuzz": (
        "OSV-2017-1",  # curl: OSS-Fuzz ecosystem, GIT range
        "OSV-2021-449",  # tensorflow (PyPI): GIT range only, no versions list
        "OSV-2022-1074",  # pillow (PyPI): GIT range only, versions list
        "OSV-2022-840",  # wolfssl: OSS-Fuzz ecosystem, GIT range
    ),
}
GHSA_SAMPLES = ("PyPI",)
ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def build(data: Path) -> None:
    for ecosystem, ids in RECORDS.items():
        with zipfile.ZipFile(data / "osv" / ecosystem / "all.zip") as source:
            members = {name: source.read(name) for name in (f"{i}.json" for i in ids)}
        target = HERE / ecosystem / "all.zip"
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(target, "w") as out:
            for name in sorted(members):
                info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3
                info.external_attr = 0o644 << 16
                out.writestr(info, members[name])
        print(f"{target.relative_to(HERE)}: {len(members)} records")
    for ecosystem in GHSA_SAMPLES:
        target = HERE / "osv-ghsa" / ecosystem / "sample.zip"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(data / "osv-ghsa" / ecosystem / "sample.zip", target)
        print(f"{target.relative_to(HERE)}: copied unchanged")


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/work/shared/data"))
