"""Rebuild the endoflife.date excerpt of the support (end-of-life) tests from /work/shared/data.

The ``products/<name>.json`` and ``api/<name>.json`` members of the chosen products are copied
byte for byte; ``api/all.json`` names exactly those products. Member timestamps are fixed, so
re-running it reproduces the file. Source and licence: ../PROVENANCE.md ("support/").

    .venv/bin/python tests/assets/support/build_assets.py [/work/shared/data]
"""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

PRODUCTS = (
    "ansible",  # named by cpe redhat:ansible and by pkg:pypi/ansible
    "ansible-core",  # named by cpe redhat:ansible too: the one shared identifier in the data
    "django",  # pkg:pypi/django; cycles 1.3 ... 6.1
    "nodejs",  # pkg:generic/node; major-number cycles, LTS from a date
    "openssl",  # CPE only; cycles 1.1.1, 1.0.2 ... with letter releases
    "python",  # cpe python:python, many purls; active support and eol dates
    "sqlite",  # eol: false on the current cycle
)


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/work/shared/data")
    members: dict[str, bytes] = {}
    with zipfile.ZipFile(data / "eol" / "endoflife-date.zip") as source:
        for product in PRODUCTS:
            for name in (f"products/{product}.json", f"api/{product}.json"):
                members[name] = source.read(name)
    members["api/all.json"] = (json.dumps(list(PRODUCTS), indent=2) + "\n").encode()
    with zipfile.ZipFile(HERE / "endoflife-support.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        for name, raw in members.items():
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, raw)


if __name__ == "__main__":
    main()
