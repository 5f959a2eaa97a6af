"""VEX JSON documents with the line of every key, located by JSON pointer.

VEX files are JSON written by other tools, and people fix them by searching for the place a
message names. A JSON pointer (``/statements/3/status``) names that place in every format and is
what the standards' own validators print, so errors here say ``file:line: /pointer: message``.

Duplicate keys are refused: JSON parsers keep either the first or the last, so a statement with
two ``status`` keys says different things to different tools, and a VEX statement decides whether
a finding fails the gate.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from mdrgate.documents import Document, KeyPath
from mdrgate.errors import MdrgateError, UsageError

_WS = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|false|null")
_DECODER = json.JSONDecoder()
_scanstring: Any = json.decoder.scanstring  # type: ignore[attr-defined]


def pointer(key_path: KeyPath) -> str:
    """``("statements", 3, "status")`` → ``/statements/3/status`` (RFC 6901 escaping)."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in key_path)


@dataclass(frozen=True)
class VexDocument(Document):
    """A parsed VEX file whose errors name the JSON pointer instead of a dotted key path."""

    def error(
        self,
        key_path: KeyPath,
        message: str,
        *,
        error: type[MdrgateError] = UsageError,
        hint: str | None = None,
    ) -> MdrgateError:
        line = self.line_of(key_path)
        text = f"{pointer(key_path) or '/'}: {message}"
        return error(text, source=self.path, location=str(line) if line else None, hint=hint)


class _Duplicate(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Duplicate(key)
        result[key] = value
    return result


def parse_json(text: str, *, display: str) -> VexDocument:
    """Parse ``text``; invalid JSON or a duplicate key is a ``UsageError`` with its line."""
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"invalid JSON: {exc.msg} (column {exc.colno})",
            source=display,
            location=str(exc.lineno),
            hint="a VEX document must be one JSON object",
        ) from None
    except RecursionError:
        raise UsageError("JSON nested too deeply to be read", source=display) from None
    except _Duplicate as dup:
        lines = _key_lines(text, display)
        raise UsageError(
            f"duplicate key {dup.key!r} (JSON readers disagree on which value counts)",
            source=display,
            location=str(lines.duplicate_line) if lines.duplicate_line else None,
            hint="keep one of them",
        ) from None
    return VexDocument(display, data, _key_lines(text, display).lines)


@dataclass
class _Lines:
    lines: dict[KeyPath, int]
    duplicate_line: int | None = None


def _key_lines(text: str, display: str) -> _Lines:
    """The line of every key path of valid (or duplicate-keyed) JSON ``text``."""
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    out = _Lines({})

    def line(pos: int) -> int:
        return bisect_right(starts, pos)

    def skip(pos: int) -> int:
        match = _WS.match(text, pos)
        return match.end() if match else pos

    def value(pos: int, path: KeyPath) -> int:
        pos = skip(pos)
        out.lines.setdefault(path, line(pos))
        char = text[pos]
        if char == "{":
            seen: set[str] = set()
            pos = skip(pos + 1)
            if text[pos] == "}":
                return pos + 1
            while True:
                key_pos = pos
                key, pos = _scanstring(text, pos + 1)
                if key in seen and out.duplicate_line is None:
                    out.duplicate_line = line(key_pos)
                seen.add(key)
                out.lines[(*path, key)] = line(key_pos)
                pos = skip(pos) + 1  # the colon
                pos = skip(value(pos, (*path, key)))
                if text[pos] == "}":
                    return pos + 1
                pos = skip(pos + 1)  # the comma
        if char == "[":
            pos = skip(pos + 1)
            if text[pos] == "]":
                return pos + 1
            index = 0
            while True:
                pos = skip(value(pos, (*path, index)))
                index += 1
                if text[pos] == "]":
                    return pos + 1
                pos = skip(pos + 1)
        if char == '"':
            return int(_scanstring(text, pos + 1)[1])
        match = _SCALAR.match(text, pos)
        if match is None:  # NaN, Infinity: what json.loads also accepts
            return int(_DECODER.raw_decode(text, pos)[1])
        return match.end()

    try:
        value(0, ())
    except RecursionError:
        raise UsageError("JSON nested too deeply to be read", source=display) from None
    return out
