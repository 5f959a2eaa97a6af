"""The committed OSV excerpts (real records, see tests/assets/PROVENANCE.md) and zip helpers."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from pathlib import Path

from mdrgate.vulndb import import_osv

OSV = Path(__file__).resolve().parents[2] / "assets" / "osv"
PYPI = OSV / "PyPI" / "all.zip"
GO = OSV / "Go" / "all.zip"
CRATES = OSV / "crates.io" / "all.zip"
OSS_FUZZ = OSV / "OSS-Fuzz" / "all.zip"
GHSA_PYPI = OSV / "osv-ghsa" / "PyPI" / "sample.zip"
ALL = (PYPI, GO, CRATES, OSS_FUZZ, GHSA_PYPI)

NOW = datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC)


def entries(archive: Path) -> dict[str, bytes]:
    """The archive's entries, name → bytes, as published."""
    with zipfile.ZipFile(archive) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def record(archive: Path, advisory_id: str) -> bytes:
    return entries(archive)[f"{advisory_id}.json"]


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def build_db(path: Path, archives: tuple[Path, ...] = ALL) -> Path:
    import_osv(path, archives, now=NOW)
    return path
