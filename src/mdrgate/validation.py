"""JSON-Schema validation of configuration, register and policy documents, explained to people.

Validation uses ``jsonschema-rs``: fast to import and to run, which keeps the whole gate within
its start-up budget (python-jsonschema with its format extras takes most of a second just to
import). Each violation becomes ``file:line: key.path: expected …, got …``; a schema may give a
phrase for "expected" with the ``x-expected`` annotation, and the fix for a missing key with
``x-missing`` (key → hint) beside its ``required``.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator, Mapping
from functools import cache
from importlib import resources
from typing import Any

import jsonschema_rs

from mdrgate.documents import Document, KeyPath
from mdrgate.errors import MdrgateError, UsageError


@cache
def packaged_schema(*parts: str) -> Mapping[str, Any]:
    """A JSON Schema shipped in the package, e.g. ``("schemas", "config.schema.json")``."""
    text = resources.files("mdrgate").joinpath(*parts).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _validator(*parts: str) -> Any:
    return jsonschema_rs.validator_for(dict(packaged_schema(*parts)))


def validate(
    doc: Document,
    schema: tuple[str, ...],
    *,
    what: str,
    error: type[MdrgateError] = UsageError,
) -> None:
    """Raise ``error`` for the first violation in document order, phrased for people.

    ``schema`` names a packaged schema file, e.g. ``("schemas", "config.schema.json")``.
    """
    validate_against(doc, packaged_schema(*schema), _validator(*schema), what=what, error=error)


def validate_against(
    doc: Document,
    schema: Mapping[str, Any],
    validator: Any,
    *,
    what: str,
    error: type[MdrgateError] = UsageError,
) -> None:
    """:func:`validate` with a schema and a ``jsonschema_rs`` validator built by the caller.

    For schemas that reference other files (CSAF's CVSS schemas, CycloneDX's SPDX list), which
    the caller resolves offline with a retriever.
    """
    problems = list(_problems(doc, schema, validator))
    if not problems:
        return
    key_path, message, hint = problems[0]
    extra = len(problems) - 1
    if extra:
        more = f"{extra} more problem{'s' if extra > 1 else ''} in this {what}"
        hint = f"{hint}; {more}" if hint else more
    raise doc.error(key_path, message, error=error, hint=hint)


def _problems(
    doc: Document, root: Mapping[str, Any], validator: Any
) -> Iterator[tuple[KeyPath, str, str | None]]:
    errors = list(validator.iter_errors(doc.data))
    # A wrong value inside an if/then branch makes the whole branch fail, and then every key the
    # branch declares is also reported as "unevaluated". Those echoes would call known keys
    # unknown, so an object's unevaluated-keys report is kept only when nothing else is wrong in it.
    real = [tuple(e.instance_path) for e in errors if _kind(e) != "UnevaluatedProperties"]

    def echo(err: Any) -> bool:
        here = tuple(err.instance_path)
        return _kind(err) == "UnevaluatedProperties" and any(p[: len(here)] == here for p in real)

    located = []
    for err in errors:
        if echo(err):
            continue
        key = (*err.instance_path, *_offending_key(err))
        value = _value_at(doc.data, err.instance_path, err.instance)
        message, hint = _humanize(err, _subschema(root, list(err.schema_path)[:-1]), value)
        located.append((doc.line_of(key) or 0, len(key), key, message, hint))
    for _, _, key, message, hint in sorted(located, key=lambda t: (t[0], t[1], t[3])):
        yield key, message, hint


def _kind(err: Any) -> str:
    return type(err.kind).__name__


def _subschema(root: Mapping[str, Any], path: list[str | int]) -> Mapping[str, Any]:
    node: Any = root
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return {}
    return node if isinstance(node, Mapping) else {}


def _unknown_keys(err: Any) -> list[str]:
    if _kind(err) in ("AdditionalProperties", "UnevaluatedProperties"):
        return [str(k) for k in err.kind.unexpected]
    return []


def _offending_key(err: Any) -> tuple[str, ...]:
    """For an unknown key, the key itself, so that the error points at its line."""
    unknown = _unknown_keys(err)
    return (unknown[0],) if unknown else ()


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


def _property_names(schema: Any) -> set[str]:
    """Every property name a (sub)schema mentions, through allOf/if/then branches."""
    names: set[str] = set()
    if isinstance(schema, Mapping):
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


def _quote_hint(err: Any) -> str:
    """YAML read a number where text was expected; versions lose digits, so say so for them."""
    keys = [part for part in err.instance_path if isinstance(part, str)]
    if keys and "version" in keys[-1].lower():
        return "put it in quotes so YAML keeps it as text (2.10 would otherwise become 2.1)"
    return "put it in quotes so YAML keeps it as text"


def _value_at(data: Any, path: Any, default: Any) -> Any:
    """The document's own value at ``path``: the validator's copy turns NaN into null."""
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return default
    return data


def _humanize(err: Any, schema: Mapping[str, Any], value: Any) -> tuple[str, str | None]:
    """(message, hint) for one violation; ``schema`` is the subschema that holds the keyword."""
    kind = _kind(err)
    details: dict[str, Any] = err.kind.as_dict()
    expected = schema.get("x-expected")
    got = describe_value(value)
    if kind == "Required":
        missing = str(details["property"])
        return f"missing required key {missing!r}", (schema.get("x-missing") or {}).get(missing)
    if kind in ("AdditionalProperties", "UnevaluatedProperties"):
        bad = _offending_key(err)[0]
        allowed = sorted(_property_names(schema))
        close = difflib.get_close_matches(bad, allowed, n=1)
        hint = f"did you mean {close[0]!r}?" if close else None
        if kind == "UnevaluatedProperties":
            return "unknown key for this kind of entry", hint
        return f"unknown key (allowed keys: {', '.join(allowed) or 'none'})", hint
    if kind == "Type":
        types = details["types"]
        hint = None
        if "string" in types and isinstance(value, int | float) and not isinstance(value, bool):
            hint = _quote_hint(err)
        return f"expected {_expected_types(types)}, got {got}", hint
    if kind == "Enum":
        options = [str(o) for o in details["options"]]
        hint = None
        if isinstance(value, str):
            close = difflib.get_close_matches(value, options, n=1, cutoff=0.5)
            hint = f"did you mean {close[0]!r}?" if close else None
        return f"expected one of {', '.join(repr(o) for o in options)}, got {got}", hint
    if kind == "Constant":
        return f"expected {schema.get('const')!r}, got {got}", None
    if kind in ("Minimum", "Maximum", "ExclusiveMinimum", "ExclusiveMaximum"):
        low, high = schema.get("minimum"), schema.get("maximum")
        if low is not None and high is not None:
            return f"expected a number from {low} to {high}, got {got}", None
        sign = {"Minimum": "≥", "Maximum": "≤", "ExclusiveMinimum": ">", "ExclusiveMaximum": "<"}
        return f"expected a number {sign[kind]} {details.get('limit')}, got {got}", None
    if kind == "MinLength":
        return f"expected {expected or 'a non-empty string'}, got {got}", None
    if kind == "MinItems":
        return f"expected at least {details.get('limit')} item(s), got {got}", None
    if kind in ("Pattern", "Format"):
        what = expected or schema.get("description") or f"text matching {schema.get('pattern')!r}"
        return f"expected {what}, got {got}", None
    if expected:
        return f"expected {expected}, got {got}", None
    return str(err.message), None
