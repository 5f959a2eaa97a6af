"""``poetry.lock``: every locked package with its exact version and file hashes.

The three shapes Poetry has written:

- lock-version 1.x (Poetry ≤ 1.4): ``category = "main" | "dev"`` per package, hashes under
  ``[metadata.files]`` keyed by package name;
- lock-version 2.0 (Poetry 1.5 to 1.8): hashes in each package's ``files``, and no record of groups,
  so main and development packages cannot be told apart: all are inventoried and an ``info``
  diagnostic says so;
- lock-version 2.1 (Poetry ≥ 2.0): ``groups = [...]`` per package; a package is main when
  ``"main"`` is among its groups.

Development-only packages are skipped unless ``include_dev``; the skip is reported (one ``info``
diagnostic with the count and names) so that it is never silent. Optional packages (extras) are
kept and marked ``mdrgate:python:optional``: they may be shipped. Git, URL, directory and file
sources keep the locked version (Poetry records the version it built) and say where they came from.
"""

from __future__ import annotations

from typing import Any

from mdrgate.collect.base import Collected, InputKind, InputSpec
from mdrgate.collect.python.package import (
    PROP_EDITABLE,
    PROP_GROUPS,
    PROP_INDEX,
    PROP_MARKER,
    PROP_OPTIONAL,
    PROP_SOURCE,
    PackageSet,
    brief,
    dev_skipped,
    normalize,
    parse_hash,
    redact_url,
)
from mdrgate.collect.python.sniff import wrong_kind
from mdrgate.collect.python.tomllock import read_toml_lock, table_lines
from mdrgate.errors import InputError
from mdrgate.model import Diagnostic, DiagnosticLevel, Hash

COLLECTOR = InputKind.POETRY_LOCK.value
EXPECTED = "a poetry.lock (TOML with [[package]] tables and [metadata] lock-version)"
NEVER_EMPTY = "a poetry.lock always has [[package]] tables or [metadata]"
SUPPORTED_MAJOR = (1, 2)


def collect_poetry_lock(spec: InputSpec) -> Collected:
    """Collect ``spec``; development-only packages only when ``spec.include_dev``."""
    dev = spec.include_dev
    text, file, data = read_toml_lock(spec, expected=EXPECTED, never_empty=NEVER_EMPTY)
    major, minor = _lock_version(data, text, spec.display)
    packages = data.get("package", [])
    if not isinstance(packages, list):
        raise wrong_kind(
            text, expected=EXPECTED, display=spec.display, problem="'package' is not an array"
        )
    lines = table_lines(text, "package")
    legacy_files = _legacy_files(data) if major == 1 else {}
    found = PackageSet(COLLECTOR)
    skipped: list[str] = []
    notes: list[Diagnostic] = []
    for index, raw in enumerate(packages):
        line = lines[index] if index < len(lines) else None
        name, version = _name_version(raw, index, spec.display, line)
        groups = _groups(raw, major, minor, spec.display, line)
        main = groups is None or "main" in groups
        if not main and not dev:
            skipped.append(f"{name} {version}")
            continue
        properties: list[tuple[str, str]] = []
        if groups is not None and groups != ["main"]:
            properties.append((PROP_GROUPS, ",".join(sorted(groups))))
        if raw.get("optional") is True:
            properties.append((PROP_OPTIONAL, "true"))
        if raw.get("develop") is True:
            properties.append((PROP_EDITABLE, "true"))
        properties.extend(_source(raw))
        marker = _marker(raw)
        if marker:
            properties.append((PROP_MARKER, marker))
        files = raw.get("files") if major >= 2 else _files_of(legacy_files, name, version)
        found.add(
            name,
            version,
            path=spec.display,
            line=line,
            hashes=_hashes(files, spec.display, line, name),
            properties=properties,
            description=raw.get("description") or None,
        )
    if skipped:
        notes.append(dev_skipped(skipped, spec.display))
    if major == 2 and minor == 0 and packages:
        notes.append(
            Diagnostic(
                code="dev-dependencies-not-distinguished",
                message=(
                    "poetry.lock lock-version 2.0 does not record dependency groups, so "
                    f"development-only packages cannot be told apart: all {len(packages)} locked "
                    "packages are inventoried (re-lock with Poetry 2 to record groups)"
                ),
                level=DiagnosticLevel.INFO,
                path=spec.display,
            )
        )
    notes.extend(found.diagnostics())
    return Collected(found.components(), tuple(sorted(notes)), (file,))


def _lock_version(data: dict[str, Any], text: str, display: str) -> tuple[int, int]:
    metadata = data.get("metadata")
    raw = metadata.get("lock-version") if isinstance(metadata, dict) else None
    if not isinstance(raw, str):
        raise wrong_kind(
            text,
            expected=EXPECTED,
            display=display,
            problem="there is no [metadata] table with a lock-version",
        )
    major_text, _, minor_text = raw.partition(".")
    try:
        major, minor = int(major_text), int(minor_text or "0")
    except ValueError:
        raise InputError(
            f"[metadata] lock-version {brief(raw)} is not a version like '2.1'", source=display
        ) from None
    if major not in SUPPORTED_MAJOR:
        raise InputError(
            f"poetry.lock lock-version {raw} is not supported (supported: 1.x and 2.x)",
            source=display,
            hint="a newer Poetry may have changed the format; please report this file's shape",
        )
    return major, minor


def _name_version(raw: Any, index: int, display: str, line: int | None) -> tuple[str, str]:
    where = str(line) if line else None
    if not isinstance(raw, dict):
        raise InputError(f"package[{index}] is not a table", source=display, location=where)
    name, version = raw.get("name"), raw.get("version")
    if not isinstance(name, str) or not name.strip():
        raise InputError(f"package[{index}] has no 'name'", source=display, location=where)
    if not isinstance(version, str) or not version.strip():
        raise InputError(
            f"package {name!r} has no 'version' (a lock file pins every package)",
            source=display,
            location=where,
        )
    return name.strip(), version.strip()


def _groups(
    raw: dict[str, Any], major: int, minor: int, display: str, line: int | None
) -> list[str] | None:
    """The package's groups: ``["main"]``, ``["dev"]``...; ``None`` when the lock does not say."""
    if major == 1:
        category = raw.get("category", "main")
        return [category] if isinstance(category, str) else ["main"]
    groups = raw.get("groups")
    if groups is None:
        return None if minor == 0 else ["main"]
    if not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
        raise InputError(
            f"package {brief(raw.get('name'))}: 'groups' must be a list of names, "
            f"got {brief(groups)}",
            source=display,
            location=str(line) if line else None,
        )
    return sorted(groups)


def _marker(raw: dict[str, Any]) -> str | None:
    markers = raw.get("markers")
    if isinstance(markers, str):
        return markers
    if isinstance(markers, dict):  # lock 2.1: one marker per group
        parts = [f"{group}: {m}" for group, m in sorted(markers.items()) if isinstance(m, str)]
        return "; ".join(parts) or None
    return None


def _source(raw: dict[str, Any]) -> list[tuple[str, str]]:
    source = raw.get("source")
    if not isinstance(source, dict):
        return []
    kind, url = source.get("type"), source.get("url")
    if not isinstance(url, str):
        return []
    if kind == "git":
        ref = source.get("resolved_reference") or source.get("reference")
        text = f"git+{redact_url(url)}" + (f"@{ref}" if ref else "")
        subdirectory = source.get("subdirectory")
        if subdirectory:
            text += f"#subdirectory={subdirectory}"
        return [(PROP_SOURCE, text)]
    if kind in ("url", "file", "directory"):
        return [(PROP_SOURCE, redact_url(url) if kind == "url" else f"{kind}:{url}")]
    if kind == "legacy":
        return [(PROP_INDEX, redact_url(url))]
    return [(PROP_SOURCE, f"{kind}:{redact_url(url)}")]


def _legacy_files(data: dict[str, Any]) -> dict[str, Any]:
    metadata = data.get("metadata", {})
    files = metadata.get("files") if isinstance(metadata, dict) else None
    if not isinstance(files, dict):
        return {}
    return {normalize(name): value for name, value in files.items()}


def _files_of(legacy: dict[str, Any], name: str, version: str) -> Any:
    """Lock 1.x lists files by name only; keep those whose file name carries this version."""
    files = legacy.get(normalize(name))
    if not isinstance(files, list):
        return None
    mine = [
        f
        for f in files
        if isinstance(f, dict)
        and any(f"-{version}{end}" in str(f.get("file", "")) for end in ("-", ".tar", ".zip"))
    ]
    return mine or files


def _hashes(files: Any, display: str, line: int | None, name: str) -> list[Hash]:
    if not isinstance(files, list):
        return []
    hashes = []
    for entry in files:
        text = entry.get("hash") if isinstance(entry, dict) else None
        if not isinstance(text, str):
            continue
        try:
            parsed = parse_hash(text)
        except ValueError as exc:
            raise InputError(
                f"package {name!r}: file {brief(entry.get('file'))}: {exc}",
                source=display,
                location=str(line) if line else None,
            ) from None
        if parsed is not None:
            hashes.append(parsed)
    return hashes
