"""Rebuild the OSV accuracy excerpts from the real exports in /work/shared/data (run by hand).

Each record is copied byte-for-byte from the upstream export into ``<Ecosystem>.zip`` (one
``<id>.json`` per record, sorted, fixed timestamps: re-running reproduces the zips exactly).
Why each record is here is noted beside it; sources and licences: ../PROVENANCE.md
("osv_accuracy/").

    .venv/bin/python tests/assets/osv_accuracy/build_assets.py [/work/shared/data]
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

RECORDS: dict[str, tuple[str, ...]] = {
    "PyPI": (
        "PYSEC-2006-1",  # cherrypy: enumerates '2.0.0-final' (not PEP 440)
        "PYSEC-2008-8",  # paramiko: enumerates '0.9-doduo' and other non-PEP 440 versions
        "PYSEC-2010-27",  # a fixed bound that is a pre-release
        "PYSEC-2011-17",  # three intervals
        "PYSEC-2012-1",  # beaker: fixed 1.6.5.post1 (post-release bound)
        "PYSEC-2014-1",  # three intervals
        "PYSEC-2014-27",  # plone: introduced '4.3a0', a bound no enumeration lists
        "PYSEC-2021-114",  # wagtail: overlapping intervals (introduced 0 listed after 2.11)
        "PYSEC-2022-236",  # pyspark: touching intervals (fixed 3.1.1, introduced 3.1.1)
        "PYSEC-2022-300",  # a post-release bound
        "PYSEC-2022-42969",  # py: last_affected 1.11.0
        "PYSEC-2022-42972",  # apache-iotdb: touching intervals the enumeration drops
        "PYSEC-2023-177",  # gevent: enumerates its own fixed version 23.9.0
        "PYSEC-2023-61",  # django: enumerates pre-releases of introduced 3.2 and 4.2
        "PYSEC-2023-72",  # pyspark: touching intervals, 3.2.0-3.2.1 not enumerated
        "PYSEC-2023-74",  # requests: one interval, GIT range beside it
    ),
    "Go": (
        "GO-2020-0004",  # pseudo-versions without a base tag on both bounds
        "GO-2020-0005",  # fixed at a pseudo-version after a pre-release (alpha.5.0.<time>)
        "GO-2020-0009",  # fixed at a base-less pseudo-version
        "GO-2021-0067",  # stdlib: introduced 1.16.0-0
        "GO-2021-0068",  # toolchain: two intervals
        "GO-2021-0069",  # stdlib: two intervals opened at X.Y.0-0
        "GO-2021-0072",  # fixed 2.7.0-rc.0+incompatible
        "GO-2021-0073",  # fixed at a pseudo-version with +incompatible
        "GO-2021-0076",  # a release interval and an +incompatible one
        "GO-2021-0085",  # runc: fixed 1.0.0-rc8.0.<time>-<rev>
        "GO-2022-0344",  # three or more intervals
        "GO-2022-0617",  # withdrawn
        "GO-2022-0755",  # rancher: pseudo-version after rc6, +incompatible
        "GO-2024-2659",  # docker: +incompatible releases and release candidates
    ),
    "crates.io": (
        "RUSTSEC-2016-0001",  # openssl: introduced 0.0.0-0
        "RUSTSEC-2018-0003",  # smallvec: four intervals opened at X.Y.0-0
        "RUSTSEC-2018-0005",  # serde_yaml: introduced 0.6.0-rc1
        "RUSTSEC-2019-0031",  # withdrawn
        "RUSTSEC-2020-0048",  # actix-http: fixed 2.0.0-alpha.1
        "RUSTSEC-2020-0049",  # actix-codec: fixed 0.3.0-beta.1
        "RUSTSEC-2020-0069",  # lettre: four intervals, the last between alpha pre-releases
        "RUSTSEC-2020-0071",  # time: several intervals
    ),
}
ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def build(data: Path) -> None:
    for ecosystem, ids in RECORDS.items():
        with zipfile.ZipFile(data / "osv" / ecosystem / "all.zip") as source:
            members = {f"{i}.json": source.read(f"{i}.json") for i in ids}
        with zipfile.ZipFile(HERE / f"{ecosystem}.zip", "w", zipfile.ZIP_DEFLATED) as target:
            for name in sorted(members):
                info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                target.writestr(info, members[name])


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/work/shared/data"))
