"""Rebuild the bundled OSV excerpt: every PyPI record that names a package of the example.

The records are copied byte for byte from the PyPA advisory database export
(`shared/data/osv/PyPI/all.zip`, see README.md here); the zip uses fixed entry timestamps so that a
rebuild gives the same bytes. Run: python examples/infusion-pump/osv/build_excerpt.py [SOURCE_ZIP]
"""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path

from packaging.utils import canonicalize_name

HERE = Path(__file__).resolve().parent
DEFAULT_SOURCE = HERE.parents[3] / "shared" / "data" / "osv" / "PyPI" / "all.zip"
PACKAGES = {
    "requests", "urllib3", "idna", "certifi", "chardet", "cffi", "pycparser", "six",
    "cryptography", "pyyaml", "jinja2", "markupsafe", "pyserial",
}  # fmt: skip


def main() -> int:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE
    if not source.is_file():
        print(f"source export not found: {source}", file=sys.stderr)
        return 1
    kept: list[tuple[str, bytes]] = []
    with zipfile.ZipFile(source) as archive:
        for name in sorted(archive.namelist()):
            raw = archive.read(name)
            record = json.loads(raw)
            names = {canonicalize_name(a["package"]["name"]) for a in record.get("affected", [])}
            if names & PACKAGES:
                kept.append((name, raw))
    target = HERE / "PyPI" / "all.zip"
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as out:
        for name, raw in kept:
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(info, raw)
    print(f"{len(kept)} records written to {target.relative_to(HERE.parents[2])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
