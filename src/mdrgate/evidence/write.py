"""Write an evidence directory atomically, and never over a directory that is not evidence.

``--out .`` by mistake must not replace someone's working tree: an existing directory is only
replaced when everything in it is a file mdrgate writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from mdrgate.atomic import replace_directory
from mdrgate.errors import OutputError, UsageError


def write_evidence(out_dir: Path, files: Mapping[str, bytes], *, display: str) -> None:
    _refuse_foreign(out_dir, allowed=set(files), display=display)
    try:
        replace_directory(out_dir, files)
    except OSError as exc:
        raise OutputError(
            f"cannot write the evidence: {exc.strerror or exc}", source=display
        ) from None


def _refuse_foreign(out_dir: Path, *, allowed: set[str], display: str) -> None:
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise UsageError("the evidence directory exists and is not a directory", source=display)
    foreign = sorted(p.name for p in out_dir.iterdir() if p.name not in allowed)
    if foreign:
        shown = ", ".join(foreign[:5]) + (" ..." if len(foreign) > 5 else "")
        raise UsageError(
            f"refusing to replace {display}: it holds files that are not mdrgate evidence "
            f"({shown})",
            hint="choose an empty or new directory with --out",
        )
