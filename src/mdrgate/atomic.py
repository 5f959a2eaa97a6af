"""Writes that never leave a half-written file or directory behind.

A file is written to a temporary sibling, flushed and renamed over the target; a directory of
evidence is staged beside the target and swapped in with renames, so a crash leaves either the old
evidence or the new, never a mixture.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (same directory temp file + ``os.replace``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def replace_directory(target: Path, files: Mapping[str, bytes]) -> None:
    """Make ``target`` hold exactly ``files`` (relative names → bytes), swapping it in atomically.

    Files in an existing ``target`` that are not in ``files`` are removed with the old directory:
    a directory of evidence must never mix two runs.
    """
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".new", dir=target.parent))
    try:
        for name, data in sorted(files.items()):
            dest = staging / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            with dest.open("wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        old: Path | None = None
        if target.exists():
            if not target.is_dir():
                raise NotADirectoryError(f"{target} exists and is not a directory")
            old = Path(
                tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent)
            )
            old.rmdir()
            target.rename(old)
        staging.rename(target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
