"""Untrusted YAML/JSON documents: load them with line numbers, validate them against a JSON Schema.

Configuration, policy and register files are the boundary where people's typing meets the tool.
Errors here must name the file, the line and the key path, say what was expected and what was
found, and never show a traceback. Dates stay strings (the schemas check their shape) so that
``2025-02-30`` is reported where it is written instead of failing inside a YAML library.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from mdrgate.errors import MdrgateError, UsageError

KeyPath = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves timestamps as text."""


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
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


def read_text(path: Path, *, display: str, error: type[MdrgateError]) -> str:
    """Read a UTF-8 text file, turning OS and encoding errors into a located ``error``."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise error("file not found", source=display) from None
    except IsADirectoryError:
        raise error("is a directory, expected a file", source=display) from None
    except UnicodeDecodeError as exc:
        raise error(f"not UTF-8 text (byte {exc.start})", source=display) from None
    except OSError as exc:
        raise error(f"cannot be read: {exc.strerror or exc}", source=display) from None


def load_yaml(path: Path, *, display: str | None = None, error: type[MdrgateError]) -> Document:
    """Parse one YAML document, keeping the line of every key and refusing duplicate keys."""
    shown = display or str(path)
    text = read_text(path, display=shown, error=error)
    return parse_yaml(text, display=shown, error=error)


def parse_yaml(text: str, *, display: str, error: type[MdrgateError]) -> Document:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        lines: dict[KeyPath, int] = {}
        data = _construct(loader, node, (), lines, display, error) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        location = f"{mark.line + 1}" if mark else None
        raise error(f"invalid YAML: {problem}", source=display, location=location) from None
    except yaml.YAMLError as exc:
        raise error(f"invalid YAML: {exc}", source=display) from None
    finally:
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
            key = loader.construct_object(key_node, deep=True)
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
    return loader.construct_object(node, deep=True)


def load_json(path: Path, *, display: str | None = None, error: type[MdrgateError]) -> Document:
    shown = display or str(path)
    text = read_text(path, display=shown, error=error)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(f"invalid JSON: {exc.msg}", source=shown, location=str(exc.lineno)) from None
    return Document(shown, data, {})


def packaged_schema(name: str) -> dict[str, Any]:
    """A JSON Schema shipped in ``mdrgate/schemas``."""
    text = resources.files("mdrgate").joinpath("schemas", name).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def validate(
    doc: Document,
    schema: Mapping[str, Any],
    *,
    what: str,
    error: type[MdrgateError] = UsageError,
) -> None:
    """Raise ``error`` for the first (shallowest) schema violation, phrased for people."""
    errors = _ranked_errors(doc, schema)
    if not errors:
        return
    first = errors[0]
    message, hint = _humanize(first)
    key_path: KeyPath = (*first.absolute_path, *_offending_key(first))
    extra = len(errors) - 1
    if extra:
        more = f"{extra} more problem{'s' if extra > 1 else ''} in this {what}"
        hint = f"{hint}; {more}" if hint else more
    raise doc.error(key_path, message, error=error, hint=hint)


def _ranked_errors(
    doc: Document, schema: Mapping[str, Any]
) -> list[jsonschema.ValidationError]:
    """Violations in document order, without the echoes of one mistake.

    A wrong value inside a conditional branch also makes its key "unevaluated"; that second
    report would call a known key unknown, so it is dropped when the key has its own error.
    """
    validator = jsonschema.Draft202012Validator(schema)
    errors = list(validator.iter_errors(doc.data))
    located = {tuple(e.absolute_path) for e in errors if e.validator != "unevaluatedProperties"}

    def echo(err: jsonschema.ValidationError) -> bool:
        if err.validator != "unevaluatedProperties":
            return False
        key = (*err.absolute_path, *_offending_key(err))
        return any(path[: len(key)] == key for path in located)

    return sorted((e for e in errors if not echo(e)), key=lambda e: _error_rank(doc, e))


def _error_rank(doc: Document, err: jsonschema.ValidationError) -> tuple[int, int, int, str]:
    # Report the problem that comes first in the document, then the shallowest one.
    key_path = (*err.absolute_path, *_offending_key(err))
    line = doc.line_of(key_path) or 0
    return (line, len(key_path), 0 if err.validator == "required" else 1, str(err.message))


def iter_all_errors(doc: Document, schema: Mapping[str, Any]) -> Iterator[str]:
    """Every violation as ``line: key.path: message`` (for tests and verbose output)."""
    for err in _ranked_errors(doc, schema):
        message, _ = _humanize(err)
        key_path = (*err.absolute_path, *_offending_key(err))
        yield f"{doc.line_of(key_path)}: {format_key_path(key_path)}: {message}"


_TYPE_NAMES = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "object": "a mapping",
    "array": "a list",
    "null": "nothing (null)",
}


def describe_value(value: Any) -> str:
    """How a value is shown in "got ..." messages: its YAML type and a short rendering."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, int):
        return f"integer {value}"
    if isinstance(value, float):
        return f"number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f"string {shown!r}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return f"a list of {len(value)} item{'s' if len(value) != 1 else ''}"
    return type(value).__name__


def _unknown_keys(err: jsonschema.ValidationError) -> list[str]:
    value = err.instance
    if not isinstance(value, dict):
        return []
    if err.validator == "additionalProperties":
        schema = err.schema if isinstance(err.schema, dict) else {}
        allowed = set((schema.get("properties") or {}).keys())
        return [k for k in value if k not in allowed]
    if err.validator == "unevaluatedProperties":
        return [k for k in re.findall(r"'([^']+)'", err.message) if k in value]
    return []


def _offending_key(err: jsonschema.ValidationError) -> tuple[str, ...]:
    """For an unknown key, the key itself, so the error points at its line."""
    unknown = _unknown_keys(err)
    return (unknown[0],) if unknown else ()


def _property_names(schema: Any) -> set[str]:
    """Every property name a (sub)schema mentions, through allOf/if/then branches."""
    names: set[str] = set()
    if isinstance(schema, dict):
        names.update((schema.get("properties") or {}).keys())
        for key in ("allOf", "anyOf", "oneOf"):
            for sub in schema.get(key, []):
                names |= _property_names(sub)
        for key in ("then", "else"):
            names |= _property_names(schema.get(key))
    return names


def _expected_types(types: Any) -> str:
    names = [types] if isinstance(types, str) else list(types)
    return " or ".join(_TYPE_NAMES.get(t, t) for t in names)


def _humanize(err: jsonschema.ValidationError) -> tuple[str, str | None]:
    """(message, hint) for one schema violation."""
    kind = err.validator
    value = err.instance
    wanted: Any = err.validator_value
    schema = err.schema if isinstance(err.schema, dict) else {}
    expected = schema.get("x-expected") if isinstance(schema, dict) else None
    if kind == "required":
        missing = [k for k in wanted if isinstance(value, dict) and k not in value]
        keys = ", ".join(repr(k) for k in missing) or "a required key"
        return f"missing required key {keys}", None
    if kind in ("additionalProperties", "unevaluatedProperties") and isinstance(value, dict):
        unknown = _unknown_keys(err)
        bad = unknown[0] if unknown else "?"
        allowed = sorted(_property_names(schema))
        close = difflib.get_close_matches(bad, allowed, n=1)
        hint = f"did you mean {close[0]!r}?" if close else None
        if kind == "unevaluatedProperties":
            return "unknown key for this kind of entry", hint
        listed = ", ".join(allowed) if allowed else "none"
        return f"unknown key (allowed keys: {listed})", hint
    if kind == "type":
        hint = None
        if "string" in ([wanted] if isinstance(wanted, str) else wanted) and (
            isinstance(value, int | float) and not isinstance(value, bool)
        ):
            hint = "put it in quotes so YAML keeps it as text (2.10 would otherwise become 2.1)"
        return f"expected {_expected_types(wanted)}, got {describe_value(value)}", hint
    if kind == "enum":
        options = ", ".join(repr(v) for v in wanted)
        hint = None
        if isinstance(value, str):
            close = difflib.get_close_matches(value, [str(v) for v in wanted], n=1, cutoff=0.5)
            hint = f"did you mean {close[0]!r}?" if close else None
        return f"expected one of {options}, got {describe_value(value)}", hint
    if kind == "const":
        return f"expected {wanted!r}, got {describe_value(value)}", None
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        low = schema.get("minimum")
        high = schema.get("maximum")
        if low is not None and high is not None:
            return f"expected a number from {low} to {high}, got {describe_value(value)}", None
        bound = {"minimum": "≥", "maximum": "≤", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}
        return (
            f"expected a number {bound[str(kind)]} {wanted}, got {describe_value(value)}",
            None,
        )
    if kind in ("minLength",) and isinstance(value, str):
        return f"expected {expected or 'a non-empty string'}, got {describe_value(value)}", None
    if kind in ("minItems",):
        return (
            f"expected at least {wanted} item(s), got {describe_value(value)}",
            None,
        )
    if kind in ("pattern", "format"):
        what = expected or schema.get("description") or f"text matching {wanted!r}"
        return f"expected {what}, got {describe_value(value)}", None
    if kind in ("oneOf", "anyOf") and expected:
        return f"expected {expected}, got {describe_value(value)}", None
    return err.message, None


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
