"""``Pipfile.lock`` (pipenv, ``pipfile-spec`` 6): the ``default`` packages, others on request.

Every top-level key but ``_meta`` is a package category: ``default`` is what runs, ``develop`` and
custom categories (pipenv ≥ 2022.10) are development-only and skipped unless ``include_dev``, with
one ``info`` diagnostic naming them. An entry's ``version`` is ``"==x"``; git, path and file entries
have none and become ``no-exact-version`` components (``path: "."`` is the project itself and is
skipped with a warning, because its own dependencies are not in this file).
"""

from __future__ import annotations

import json
import re
from typing import Any

from mdrgate.collect.base import Collected, InputKind, InputSpec, read_input
from mdrgate.collect.python.package import (
    PROP_EDITABLE,
    PROP_EXTRAS,
    PROP_GROUPS,
    PROP_INDEX,
    PROP_MARKER,
    PROP_SOURCE,
    PackageSet,
    brief,
    dev_skipped,
    parse_hash,
    redact_url,
)
from mdrgate.collect.python.sniff import wrong_kind
from mdrgate.errors import InputError
from mdrgate.model import Diagnostic, DiagnosticLevel, Hash

COLLECTOR = InputKind.PIPFILE_LOCK.value
EXPECTED = "a Pipfile.lock (JSON with '_meta' and 'default')"
MAIN_CATEGORY = "default"
SUPPORTED_SPEC = 6


def collect_pipfile_lock(spec: InputSpec) -> Collected:
    """Collect ``spec``; development-only packages only when ``spec.include_dev``."""
    dev = spec.include_dev
    text, file = read_input(spec.path, display=spec.display, kind=spec.kind.value)
    if not text.strip():
        raise InputError(
            "empty file; a Pipfile.lock always has a '_meta' object and a 'default' category",
            source=spec.display,
            hint="regenerate the lock file, or remove it from the inputs if it is not used",
        )
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise wrong_kind(
            text, expected=EXPECTED, display=spec.display, problem=f"invalid JSON ({exc})"
        ) from None
    except RecursionError:
        raise InputError(
            f"expected {EXPECTED}: its JSON is nested too deeply to be read", source=spec.display
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("_meta"), dict):
        raise wrong_kind(
            text, expected=EXPECTED, display=spec.display, problem="there is no '_meta' object"
        )
    _check_spec(data["_meta"], spec.display)
    index_names = _index_urls(data["_meta"])
    found = PackageSet(COLLECTOR)
    notes: list[Diagnostic] = []
    skipped: list[str] = []
    locator = _Locator(text)
    for category in sorted(k for k in data if k != "_meta"):
        entries = data[category]
        if not isinstance(entries, dict):
            raise InputError(
                f"'{category}' must be an object of packages, got {type(entries).__name__}",
                source=spec.display,
                location=_loc(locator.line(category, None)),
            )
        main = category == MAIN_CATEGORY
        for name in sorted(entries):
            entry = entries[name]
            line = locator.line(category, name)
            if not name.strip():
                raise InputError(
                    f"'{category}' has a package with an empty name",
                    source=spec.display,
                    location=_loc(line),
                )
            if not isinstance(entry, dict):
                raise InputError(
                    f"{category}.{name} must be an object, got {brief(entry)}",
                    source=spec.display,
                    location=_loc(line),
                )
            if not main and not dev:
                version = _exact(entry.get("version"))
                skipped.append(f"{name} {version}" if version else name)
                continue
            _add(found, notes, name, entry, category, index_names, spec.display, line)
    if skipped:
        notes.append(dev_skipped(skipped, spec.display))
    notes.extend(found.diagnostics())
    return Collected(found.components(), tuple(sorted(notes)), (file,))


def _check_spec(meta: dict[str, Any], display: str) -> None:
    version = meta.get("pipfile-spec")
    if version is None:
        return
    if not isinstance(version, int) or isinstance(version, bool) or version > SUPPORTED_SPEC:
        raise InputError(
            f"_meta.pipfile-spec {brief(version)} is not supported "
            f"(supported: up to {SUPPORTED_SPEC})",
            source=display,
            hint="a newer pipenv may have changed the format; please report this file's shape",
        )


def _index_urls(meta: dict[str, Any]) -> dict[str, str]:
    sources = meta.get("sources")
    urls: dict[str, str] = {}
    if isinstance(sources, list):
        for source in sources:
            if isinstance(source, dict):
                name, url = source.get("name"), source.get("url")
                if isinstance(name, str) and isinstance(url, str):
                    urls[name] = redact_url(url)
    return urls


def _exact(version: Any) -> str | None:
    if not isinstance(version, str):
        return None
    for prefix in ("===", "=="):
        if version.startswith(prefix):
            rest = version[len(prefix) :].strip()
            return rest if rest and not rest.endswith("*") else None
    return None


def _add(
    found: PackageSet,
    notes: list[Diagnostic],
    name: str,
    entry: dict[str, Any],
    category: str,
    index_names: dict[str, str],
    display: str,
    line: int | None,
) -> None:
    properties: list[tuple[str, str]] = []
    if category != MAIN_CATEGORY:
        properties.append((PROP_GROUPS, category))
    markers = entry.get("markers")
    if isinstance(markers, str) and markers:
        properties.append((PROP_MARKER, markers))
    extras = entry.get("extras")
    if isinstance(extras, list) and extras:
        properties.append((PROP_EXTRAS, ",".join(sorted(str(e) for e in extras))))
    if entry.get("editable") is True:
        properties.append((PROP_EDITABLE, "true"))
    index = entry.get("index")
    if isinstance(index, str) and index != "pypi":
        properties.append((PROP_INDEX, index_names.get(index, index)))
    version = _exact(entry.get("version"))
    declared = None
    if "git" in entry or "hg" in entry or "svn" in entry or "bzr" in entry:
        vcs = next(k for k in ("git", "hg", "svn", "bzr") if k in entry)
        ref = entry.get("ref")
        declared = f"{vcs}+{redact_url(str(entry[vcs]))}" + (f"@{ref}" if ref else "")
    elif "path" in entry:
        path = str(entry["path"])
        if path.rstrip("/\\") in (".", ""):
            notes.append(_project_skipped(name, display, line))
            return
        declared = path
    elif "file" in entry:
        declared = redact_url(str(entry["file"]))
    if declared is not None:
        properties.append((PROP_SOURCE, declared))
    elif version is None:
        raw = entry.get("version")
        declared = str(raw) if raw is not None else None
    found.add(
        name,
        version,
        path=display,
        line=line,
        version_spec=declared if version is None else None,
        hashes=_hashes(entry.get("hashes"), name, display, line),
        properties=properties,
    )


def _hashes(raw: Any, name: str, display: str, line: int | None) -> list[Hash]:
    if not isinstance(raw, list):
        return []
    hashes = []
    for text in raw:
        try:
            parsed = parse_hash(str(text))
        except ValueError as exc:
            raise InputError(f"{name}: {exc}", source=display, location=_loc(line)) from None
        if parsed is not None:
            hashes.append(parsed)
    return hashes


def _project_skipped(name: str, display: str, line: int | None) -> Diagnostic:
    return Diagnostic(
        code="local-project-skipped",
        message=(
            f"{name} (path '.') is the project itself: it is not a third-party component, and the "
            "dependencies it declares are not in this lock file unless pipenv locked them"
        ),
        level=DiagnosticLevel.WARNING,
        path=display,
        line=line,
    )


def _loc(line: int | None) -> str | None:
    return str(line) if line else None


class _Locator:
    """Line numbers of categories and packages in the JSON text (json keeps no positions)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts: dict[str, int] = {}

    def line(self, category: str, name: str | None) -> int | None:
        start = self._starts.get(category)
        if start is None:
            match = re.search(rf'^[ \t]*"{re.escape(category)}"\s*:', self._text, re.MULTILINE)
            if match is None:
                return None
            start = self._starts[category] = match.start()
        if name is None:
            return self._text.count("\n", 0, start) + 1
        key = re.compile(rf"^[ \t]*{re.escape(json.dumps(name))}\s*:\s*\{{", re.MULTILINE)
        found = key.search(self._text, start)
        if found is None:
            return None
        return self._text.count("\n", 0, found.start()) + 1
