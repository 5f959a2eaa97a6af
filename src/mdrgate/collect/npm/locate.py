"""Line numbers for lock files whose parsers keep none (``json``), and a YAML reader that does.

Messages and component origins point at the line that records a package. ``json`` keeps no
positions, so ``json_key_lines`` scans the text once more for the keys whose values are objects.
YAML lock files (``pnpm-lock.yaml``, yarn 2+ ``yarn.lock``) are composed by libyaml when it is
available (they can be megabytes) and built here, keeping the line of every key down to a depth.
Scalars stay text except booleans and null: ``lockfileVersion: 5.4`` or a version ``1.10`` must
not become a float.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from mdrgate.errors import InputError

KeyLines = dict[tuple[str, ...], int]

_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|[{}\[\],:]|\n')


def json_key_lines(text: str, max_depth: int) -> KeyLines:
    """The line of every object-valued key of a JSON text, by key path, down to ``max_depth``.

    Keys inside arrays are not recorded. The text is assumed to be valid JSON (it was parsed
    first); on anything else the result is merely incomplete.
    """
    lines: KeyLines = {}
    line = 1
    # One frame per open container: (is_object, path or None when not recorded).
    stack: list[tuple[bool, tuple[str, ...] | None]] = []
    want_key = False
    key: str | None = None
    key_line = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        first = token[0]
        if first == "\n":
            line += 1
        elif first == '"':
            if want_key:
                key = json.loads(token) if "\\" in token else token[1:-1]
                key_line = line
                want_key = False
        elif first == "{":
            path: tuple[str, ...] | None = ()
            if stack:
                is_object, parent = stack[-1]
                path = (
                    (*parent, key) if is_object and parent is not None and key is not None else None
                )
                if path is not None and len(path) > max_depth:
                    path = None
                if path is not None:
                    lines.setdefault(path, key_line)
            stack.append((True, path))
            want_key, key = True, None
        elif first == "[":
            stack.append((False, None))
            want_key = False
        elif first in "}]":
            if stack:
                stack.pop()
            want_key = False
        elif first == ",":
            want_key = bool(stack) and stack[-1][0]
            key = None
    return lines


_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR = "tag:yaml.org,2002:str"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"


def load_yaml_lock(text: str, *, display: str, max_depth: int) -> tuple[Any, KeyLines]:
    """A YAML lock file's data and the line of every mapping key down to ``max_depth``.

    Anchors and aliases (which no lock file writer emits) are refused: a shared node would let a
    small file expand to gigabytes. Every problem is an ``InputError`` with a line.
    """
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise InputError(
            f"invalid YAML: {exc.problem or exc.context or 'cannot be parsed'}",
            source=display,
            location=str(mark.line + 1) if mark else None,
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(f"invalid YAML: {exc}", source=display) from None
    except RecursionError:
        raise InputError("its YAML is nested too deeply to be read", source=display) from None
    lines: KeyLines = {}
    try:
        data = _Builder(display, lines, max_depth).build(node, ())
    except RecursionError:
        raise InputError("its YAML is nested too deeply to be read", source=display) from None
    return data, lines


class _Builder:
    def __init__(self, display: str, lines: KeyLines, max_depth: int) -> None:
        self.display = display
        self.lines = lines
        self.max_depth = max_depth
        self.seen: set[int] = set()

    def build(self, node: yaml.Node | None, path: tuple[str, ...]) -> Any:
        if node is None:
            return None
        if isinstance(node, yaml.ScalarNode):
            return _scalar(node)
        if id(node) in self.seen:
            raise InputError(
                "YAML aliases are not accepted in a lock file (no lock file writer uses them)",
                source=self.display,
                location=str(node.start_mark.line + 1),
            )
        self.seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path) for item in node.value]
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise InputError(
                    "a key must be plain text, not a list or a mapping",
                    source=self.display,
                    location=str(key_node.start_mark.line + 1),
                )
            key = str(key_node.value)
            if len(path) < self.max_depth:
                self.lines.setdefault((*path, key), key_node.start_mark.line + 1)
            result[key] = self.build(value_node, (*path, key))
        return result


_TRUE = re.compile(r"^(?:y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON)$")


def _scalar(node: yaml.ScalarNode) -> Any:
    if node.tag == _BOOL:
        return bool(_TRUE.match(node.value))
    if node.tag == _NULL and node.style is None:
        return None
    return str(node.value)
