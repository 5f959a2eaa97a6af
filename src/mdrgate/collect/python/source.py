"""Reading an input file once: its exact bytes for the evidence digest, its text for the parser."""

from __future__ import annotations

import re
from pathlib import Path

from mdrgate.collect.base import digest_bytes
from mdrgate.errors import InputError
from mdrgate.model import InputFile


def read_input(path: Path, *, display: str, kind: str) -> tuple[str, InputFile]:
    """The file's text (UTF-8, BOM dropped) and the sha256 of its bytes as they are on disk."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", source=display) from None
    except IsADirectoryError:
        raise InputError("is a directory, expected a file", source=display) from None
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror or exc}", source=display) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"is not UTF-8 text (invalid byte at offset {exc.start})", source=display
        ) from None
    return text, digest_bytes(data, display=display, kind=kind)


def table_lines(text: str, header: str) -> list[int]:
    """1-based line numbers of every ``[[header]]`` array-of-tables header in a TOML text.

    tomllib keeps no positions; the n-th header is the n-th element of the array, which is enough
    to point people at the package a message is about.
    """
    pattern = re.compile(rf"^[ \t]*\[\[[ \t]*{re.escape(header)}[ \t]*\]\][ \t]*(?:#.*)?$", re.M)
    lines = []
    line, pos = 1, 0
    for match in pattern.finditer(text):
        line += text.count("\n", pos, match.start())
        pos = match.start()
        lines.append(line)
    return lines
