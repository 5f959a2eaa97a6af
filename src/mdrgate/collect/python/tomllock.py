"""TOML lock files (poetry.lock, uv.lock): reading them, and the positions tomllib does not keep."""

from __future__ import annotations

import re
import tomllib
from typing import Any

from mdrgate.collect.base import InputSpec, read_input
from mdrgate.collect.python.sniff import wrong_kind
from mdrgate.errors import InputError
from mdrgate.model import InputFile


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


def read_toml_lock(
    spec: InputSpec, *, expected: str, never_empty: str
) -> tuple[str, InputFile, dict[str, Any]]:
    """(text, digest, parsed table) of a TOML lock file.

    A lock file is never legitimately empty (``never_empty`` says what it always has), so an empty
    one is an error: passing it would inventory nothing and let the gate pass. A file that is not
    TOML is reported as the wrong kind of input, naming what it looks like.
    """
    text, file = read_input(spec.path, display=spec.display, kind=spec.kind.value)
    if not text.strip():
        raise InputError(
            f"empty file; {never_empty}",
            source=spec.display,
            hint="regenerate the lock file, or remove it from the inputs if it is not used",
        )
    try:
        return text, file, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise wrong_kind(
            text, expected=expected, display=spec.display, problem=f"invalid TOML ({exc})"
        ) from None
    except RecursionError:
        raise InputError(
            f"expected {expected}: its TOML is nested too deeply to be read", source=spec.display
        ) from None
