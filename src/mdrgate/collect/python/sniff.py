"""Recognise what an input file really is, so that "wrong kind of file" errors can say so.

A Pipfile.lock given as poetry.lock, or a YAML file given as requirements.txt, must fail with a
message that names both the expected format and what was found instead, not with a parser's
complaint about line 1. These checks run only after a collector has already failed, so they may be
slower than the collectors' fast paths.
"""

from __future__ import annotations

import json
import re
import tomllib
from typing import Any

from mdrgate.errors import InputError

_GENERIC = ("a JSON document", "a TOML document", "a YAML document")
_YAML_LINE = re.compile(r"^(?:---\s*$|-\s+\S|[A-Za-z_][\w.-]*:(?:\s|$))")
_REQUIREMENT_LINE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\s*(?:\[[^\]]*\]\s*)?(?:[=<>!~]=|@)")


def describe(text: str) -> str | None:
    """A short phrase saying what ``text`` looks like ("a Pipfile.lock (JSON)"), or ``None``."""
    try:
        return _describe(text)
    except RecursionError:  # JSON or TOML nested too deeply for the parsers: say nothing
        return None


def _describe(text: str) -> str | None:
    stripped = text.lstrip()
    if not stripped:
        return None
    if stripped[0] == "{":
        return _describe_json(stripped)
    if stripped[0] == "[":
        try:
            json.loads(stripped)
        except ValueError:
            pass  # a TOML table header, most likely
        else:
            return "a JSON document"
    toml = _describe_toml(text)
    if toml is not None:
        return toml
    first = _first_content_line(text)
    if first is not None and _YAML_LINE.match(first):
        if re.search(r"^items:\s*$", text, re.MULTILINE):
            return "a SOUP register (YAML with 'items:')"
        return "a YAML document"
    if first is not None and _REQUIREMENT_LINE.match(first):
        return "a pip requirements file"
    return None


def wrong_kind(text: str, *, expected: str, display: str, problem: str) -> InputError:
    """The error for a file not in the ``expected`` format; ``problem`` says why we think so."""
    found = describe(text)
    if found is None or found.endswith("invalid or truncated"):
        message = f"expected {expected}: {problem}"
        if found is not None:
            message += " (is the file truncated?)"
    else:
        message = f"expected {expected}, but this looks like {found}"
        if found in _GENERIC:
            message += f": {problem}"
    return InputError(
        message,
        source=display,
        hint="check the file and its 'kind' in the configuration, or give the file its usual name",
    )


def _first_content_line(text: str) -> str | None:
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return stripped
    return None


def _describe_json(text: str) -> str:
    try:
        data: Any = json.loads(text)
    except ValueError:
        return "JSON that is invalid or truncated"
    if isinstance(data, dict):
        if "_meta" in data and ("default" in data or "develop" in data):
            return "a Pipfile.lock (JSON with '_meta' and 'default')"
        if "lockfileVersion" in data:
            return "an npm package-lock.json"
        if data.get("bomFormat") == "CycloneDX":
            return "a CycloneDX SBOM (JSON)"
        if "spdxVersion" in data:
            return "an SPDX SBOM (JSON)"
    return "a JSON document"


def _describe_toml(text: str) -> str | None:
    if not re.search(r"^\s*\[|^\s*[\w.\"'-]+\s*=", text, re.MULTILINE):
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        if re.search(r"^\s*\[\[?[\w.-]+\]\]?\s*$", text, re.MULTILINE):
            return "TOML that is invalid or truncated"
        return None
    metadata = data.get("metadata")
    if isinstance(metadata, dict) and "lock-version" in metadata:
        return "a poetry.lock (TOML with [metadata] lock-version)"
    if isinstance(data.get("version"), int) and (
        "requires-python" in data or isinstance(data.get("package"), list)
    ):
        return "a uv.lock (TOML with a top-level 'version' and [[package]] tables)"
    if "lock-version" in data and isinstance(data.get("packages"), list):
        return "a pylock.toml (PEP 751)"
    if "project" in data or "build-system" in data or "tool" in data:
        return "a pyproject.toml"
    if "packages" in data and ("source" in data or "dev-packages" in data):
        return "a Pipfile (TOML), not its lock file"
    if isinstance(data.get("package"), list):
        return "TOML with [[package]] tables but no lock metadata (truncated?)"
    return "a TOML document"
