"""Positions in TOML lock files, which tomllib does not keep."""

from __future__ import annotations

import re


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
