"""Untrusted YAML/JSON documents, loaded with the line of every key.

Configuration, policy and register files are the boundary where people's typing meets the tool.
Errors here must name the file, the line and the key path, say what was expected and what was
found, and never show a traceback. Dates stay strings (the schemas check their shape) so that
``2025-02-30`` is reported where it is written instead of failing inside a YAML library.

The YAML accepted is deliberately small, because these files may come from anyone's branch: no
anchors or aliases (an alias bomb expands to gigabytes, a recursive alias never ends, and mdrgate's
files never need them), only the core tags (str, int, float, bool, null, map, seq), and at most
``MAX_DEPTH`` levels of nesting. Each refusal is a located error, never a crash.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from mdrgate.errors import MdrgateError, UsageError
from mdrgate.textfiles import read_text

KeyPath = tuple[str | int, ...]


MAX_DEPTH = 100
"""Nesting deeper than this is refused: no mdrgate file needs more than a handful of levels."""

_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset(_CORE + t for t in ("str", "int", "float", "bool", "null"))
_TAG_FOR_NODE: dict[type[yaml.Node], str] = {
    yaml.SequenceNode: _CORE + "seq",
    yaml.MappingNode: _CORE + "map",
}
_IMPLICIT_TAGS = frozenset(_CORE + t for t in ("int", "float", "bool", "null"))


class _Refused(yaml.MarkedYAMLError):
    """Valid YAML that mdrgate does not accept (anchors, other tags, depth)."""


class _Loader(yaml.SafeLoader):
    """SafeLoader without anchors and aliases, limited to the core tags and to ``MAX_DEPTH``.

    Timestamps, merge keys (``<<``) and ``=`` stay text: only ints, floats, booleans and null are
    resolved implicitly.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event: Any = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent):
            mark: Any = event.start_mark
            raise _Refused(
                problem=f"YAML aliases (*{event.anchor}) are not supported; write the value out",
                problem_mark=mark,
            )
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise _Refused(
                problem=f"YAML anchors (&{anchor}) are not supported; write the value out",
                problem_mark=event.start_mark,
            )
        if self._depth >= MAX_DEPTH:
            raise _Refused(
                problem=f"nested more than {MAX_DEPTH} levels deep",
                problem_mark=event.start_mark,
            )
        self._depth += 1
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if node is None:
            return None
        allowed = _TAG_FOR_NODE.get(type(node))
        if node.tag not in (_SCALAR_TAGS if allowed is None else {allowed}):
            raise _Refused(
                problem=f"the YAML tag {_show_tag(node.tag)} is not supported here "
                "(only plain text, numbers, true/false, null, mappings and lists)",
                problem_mark=event.start_mark,
            )
        return node


def _show_tag(tag: str) -> str:
    return "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag in _IMPLICIT_TAGS]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class Document:
    """A parsed document: its display path, its data and the line of every key path."""

    path: str
    data: Any
    lines: Mapping[KeyPath, int] = field(default_factory=dict)

    def line_of(self, key_path: KeyPath) -> int | None:
        """The line of ``key_path`` or of its nearest ancestor that has one."""
        for end in range(len(key_path), -1, -1):
            line = self.lines.get(key_path[:end])
            if line is not None:
                return line
        return None

    def error(
        self,
        key_path: KeyPath,
        message: str,
        *,
        error: type[MdrgateError] = UsageError,
        hint: str | None = None,
    ) -> MdrgateError:
        """An error located at ``key_path`` of this document: ``file:line: key.path: message``."""
        line = self.line_of(key_path)
        shown = format_key_path(key_path)
        text = f"{shown}: {message}" if shown else message
        return error(text, source=self.path, location=str(line) if line else None, hint=hint)


def format_key_path(key_path: KeyPath) -> str:
    """``("items", 3, "version")`` → ``items[3].version``."""
    out = ""
    for part in key_path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def load_yaml(path: Path, *, display: str | None = None, error: type[MdrgateError]) -> Document:
    """Parse one YAML document, keeping the line of every key and refusing duplicate keys."""
    shown = display or str(path)
    text = read_text(path, display=shown, error=error)
    return parse_yaml(text, display=shown, error=error)


def parse_yaml(text: str, *, display: str, error: type[MdrgateError]) -> Document:
    """Parse one YAML document; anything mdrgate cannot accept is ``error`` with a line."""
    loader: _Loader | None = None
    try:
        loader = _Loader(text)  # the reader refuses control characters here already
        node = loader.get_single_node()
        lines: dict[KeyPath, int] = {}
        data = _construct(loader, node, (), lines, display, error) if node is not None else None
    except _Refused as exc:
        mark = exc.problem_mark
        raise error(
            str(exc.problem), source=display, location=f"{mark.line + 1}" if mark else None
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        location = f"{mark.line + 1}" if mark else None
        raise error(f"invalid YAML: {problem}", source=display, location=location) from None
    except yaml.reader.ReaderError as exc:
        raise error(
            f"invalid YAML: character U+{exc.character:04X} is not allowed in YAML text",
            source=display,
            location=str(text.count("\n", 0, exc.position) + 1),
        ) from None
    except yaml.YAMLError as exc:
        raise error(f"invalid YAML: {exc}", source=display) from None
    finally:
        if loader is not None:
            loader.dispose()
    return Document(display, data, lines)


def _construct(
    loader: _Loader,
    node: yaml.Node,
    key_path: KeyPath,
    lines: dict[KeyPath, int],
    display: str,
    error: type[MdrgateError],
) -> Any:
    lines.setdefault(key_path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise error(
                    f"{format_key_path(key_path) or 'the document'}: a key must be plain text, "
                    "not a list or a mapping",
                    source=display,
                    location=str(key_node.start_mark.line + 1),
                )
            key = _scalar(loader, key_node, display, error)
            if key == "<<":
                raise error(
                    "YAML merge keys (<<) are not supported; write the keys out",
                    source=display,
                    location=str(key_node.start_mark.line + 1),
                )
            if not isinstance(key, str):
                key = str(key)
            if key in result:
                raise error(
                    f"{format_key_path((*key_path, key))}: duplicate key "
                    f"(first at line {lines[(*key_path, key)]})",
                    source=display,
                    location=str(key_node.start_mark.line + 1),
                )
            lines[(*key_path, key)] = key_node.start_mark.line + 1
            result[key] = _construct(loader, value_node, (*key_path, key), lines, display, error)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _construct(loader, item, (*key_path, i), lines, display, error)
            for i, item in enumerate(node.value)
        ]
    return _scalar(loader, node, display, error)


def _scalar(loader: _Loader, node: yaml.Node, display: str, error: type[MdrgateError]) -> Any:
    """A scalar's value; an explicit tag that does not fit (``!!int abc``) is a located error."""
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, KeyError, IndexError, OverflowError, TypeError):
        text = str(node.value)
        shown = repr(text if len(text) <= 40 else text[:37] + "...")
        if node.tag == _CORE + "int" and len(text) > 1000:
            message = f"{shown} is a number too long to read"
            hint = "put it in quotes if it is text"
        else:
            message, hint = f"{shown} is not a valid {_show_tag(node.tag)} value", None
        raise error(
            message, source=display, location=str(node.start_mark.line + 1), hint=hint
        ) from None


def load_json(path: Path, *, display: str | None = None, error: type[MdrgateError]) -> Document:
    shown = display or str(path)
    text = read_text(path, display=shown, error=error)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(f"invalid JSON: {exc.msg}", source=shown, location=str(exc.lineno)) from None
    except RecursionError:
        raise error("JSON nested too deeply to be read", source=shown) from None
    return Document(shown, data, {})


def parse_date(
    doc: Document, key_path: KeyPath, value: str, *, error: type[MdrgateError] = UsageError
) -> date:
    """A ``YYYY-MM-DD`` string (shape checked by the schema) as a date, or a located error."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise doc.error(
            key_path, f"expected a calendar date YYYY-MM-DD, got {value!r}", error=error
        ) from None
