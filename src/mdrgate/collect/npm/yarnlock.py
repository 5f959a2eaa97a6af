"""``yarn.lock``: Yarn classic (``# yarn lockfile v1``) and Yarn 2+ (YAML with ``__metadata``).

Both list each resolved package once, under every descriptor (``name@range``) that resolved to it,
with the descriptors of its own dependencies. Neither marks development dependencies, so the
project's ``package.json`` beside the lock file, and its workspaces' manifests, give the roots:
:mod:`mdrgate.collect.npm.graph` tells required, optional and development-only packages apart.
Without a ``package.json`` every locked package is inventoried and an ``info`` diagnostic says so.

- Classic: workspace packages are not in the lock file (they are linked); the manifests found by
  the ``workspaces`` patterns give their roots. Hashes come from ``integrity``.
- Yarn 2+: the project's own packages are the ``@workspace:`` entries; ``patch:`` entries are the
  patched package itself; ``file:``, ``portal:``, ``link:`` and ``exec:`` entries are local sources.
  Its ``checksum`` is a digest of Yarn's own archive, not of the published package, so it is not
  carried as the package's hash.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from mdrgate.collect.base import Collected, InputKind, InputSpec, read_input
from mdrgate.collect.npm.graph import Reach, classify
from mdrgate.collect.npm.locate import load_yaml_lock
from mdrgate.collect.npm.manifest import (
    MANIFEST,
    Manifest,
    read_manifest,
    sibling,
    workspace_folders,
)
from mdrgate.collect.npm.packages import (
    PROP_ALIAS,
    PROP_SOURCE,
    NpmPackages,
    not_distinguished,
    parse_integrity,
    source_properties,
    split_name,
)
from mdrgate.collect.python.package import brief
from mdrgate.errors import InputError
from mdrgate.model import Diagnostic, DiagnosticLevel, Hash, InputFile

COLLECTOR = InputKind.YARN_LOCK.value
EXPECTED = "a yarn.lock (Yarn classic '# yarn lockfile v1', or Yarn 2+ YAML with '__metadata')"
BERRY_VERSIONS = range(4, 11)
"""``__metadata.version`` values Yarn 2 to 4 have written."""
LOCAL_VERSION = "0.0.0-use.local"
_LOCAL_PROTOCOLS = ("file:", "portal:", "link:", "exec:")
_RANK = {Reach.REQUIRED: 0, Reach.OPTIONAL: 1, Reach.DEV: 2}


@dataclass
class _Entry:
    """One resolved package of the lock file."""

    descriptors: tuple[str, ...]
    line: int
    name: str
    version: str | None
    properties: list[tuple[str, str]] = field(default_factory=list)
    hashes: list[Hash] = field(default_factory=list)
    edges: list[tuple[str, bool]] = field(default_factory=list)
    """Dependencies as (descriptor, optional)."""
    workspace: str | None = None
    """Yarn 2+: the folder of a project package (``.``, ``packages/lib-a``)."""


def collect_yarn_lock(spec: InputSpec) -> Collected:
    """Collect ``spec``; development-only packages only when ``spec.include_dev``."""
    text, file = read_input(spec.path, display=spec.display, kind=spec.kind.value)
    if not text.strip():
        raise InputError(
            "empty file; a yarn.lock always has its header or '__metadata'",
            source=spec.display,
            hint="regenerate it with 'yarn install', or remove it from the inputs if unused",
        )
    berry = re.search(r"^__metadata:", text, re.MULTILINE) is not None
    entries = _berry(text, spec.display) if berry else _classic(text, spec.display)
    files: list[InputFile] = [file]
    manifests = _manifests(spec, entries, berry, files)
    found = NpmPackages(COLLECTOR, spec.display)
    notes: list[Diagnostic] = []
    reach = _reach(entries, manifests, berry, spec.display, notes)
    unreached: list[str] = []
    # An entry no root reaches may be another spelling of a package that is reached (Yarn 2+
    # keeps a built-in ``patch:`` entry beside the package it patches): it shares its fate.
    by_package: dict[tuple[str, str | None], Reach] = {}
    for position, reached in (reach or {}).items():
        key = (entries[position].name, entries[position].version)
        known = by_package.get(key)
        if known is None or _RANK[reached] < _RANK[known]:
            by_package[key] = reached
    for index, entry in enumerate(entries):
        if entry.workspace is not None:
            continue
        how: Reach | None = reach.get(index) if reach is not None else Reach.REQUIRED
        if how is None:
            how = by_package.get((entry.name, entry.version))
        if how is None:
            how = Reach.REQUIRED
            unreached.append(f"{entry.name} {entry.version or '(version unknown)'}")
        if how is Reach.DEV and not spec.include_dev:
            found.skip(entry.name, entry.version)
            continue
        found.add(
            entry.name,
            entry.version,
            line=entry.line,
            hashes=entry.hashes,
            properties=entry.properties,
            dev=how is Reach.DEV,
            optional=how is Reach.OPTIONAL,
            why_unpinned="a local package",
        )
    if reach is None:
        notes.append(
            not_distinguished(
                spec.display,
                sum(1 for e in entries if e.workspace is None),
                f"there is no {MANIFEST} beside it",
            )
        )
    if unreached:
        notes.append(
            Diagnostic(
                code="lock-entries-unreached",
                message=(
                    f"{len(unreached)} locked package(s) are not reached from the dependencies of "
                    f"the project's {MANIFEST} files and were inventoried anyway (is the lock file "
                    f"out of date?): {', '.join(sorted(set(unreached)))}"
                ),
                level=DiagnosticLevel.WARNING,
                path=spec.display,
            )
        )
    notes.extend(found.diagnostics())
    return Collected(found.components(), tuple(sorted(notes)), tuple(sorted(files)))


# -- the project's manifests ---------------------------------------------------------------------


def _manifests(
    spec: InputSpec, entries: list[_Entry], berry: bool, files: list[InputFile]
) -> list[tuple[str, Manifest]] | None:
    """(folder, manifest) of the project and its workspaces; ``None`` without a package.json."""
    root = spec.path.parent
    if not (root / MANIFEST).is_file():
        return None
    manifest, file = read_manifest(root / MANIFEST, sibling(spec.display, MANIFEST))
    files.append(file)
    found = [(".", manifest)]
    if berry:
        folders = sorted({e.workspace for e in entries if e.workspace not in (None, ".")})
    else:
        folders = workspace_folders(root, manifest.workspaces)
    for folder in folders:
        assert folder is not None
        path = root / folder / MANIFEST
        if not path.is_file():
            raise InputError(
                f"the workspace {folder!r} has no {MANIFEST}",
                source=spec.display,
                hint="run 'yarn install' to bring the lock file up to date",
            )
        member, file = read_manifest(path, sibling(spec.display, f"{folder}/{MANIFEST}"))
        files.append(file)
        found.append((folder, member))
    return found


def _reach(
    entries: list[_Entry],
    manifests: list[tuple[str, Manifest]] | None,
    berry: bool,
    display: str,
    notes: list[Diagnostic],
) -> dict[int, Reach] | None:
    if manifests is None:
        return None
    by_descriptor: dict[str, int] = {}
    for index, entry in enumerate(entries):
        for descriptor in entry.descriptors:
            by_descriptor.setdefault(descriptor, index)
            # Yarn 2+ binds local descriptors to their workspace (``::locator=...``); the
            # dependency that asks for them does not.
            by_descriptor.setdefault(descriptor.split("::", 1)[0], index)
    roots: list[tuple[int, Reach]] = []
    missing: list[str] = []
    if berry:
        by_folder = dict(manifests)
        for entry in entries:
            manifest = by_folder.get(entry.workspace) if entry.workspace else None
            if manifest is None:
                continue
            how = {name: reach for name, _, reach in manifest.roots()}
            for descriptor, optional in entry.edges:
                target = by_descriptor.get(descriptor)
                if target is None:
                    missing.append(f"{descriptor} ({manifest.display})")
                    continue
                reach = how.get(split_name(descriptor)[0], Reach.REQUIRED)
                roots.append(
                    (target, Reach.OPTIONAL if optional and reach is Reach.REQUIRED else reach)
                )
    else:
        workspace_names = {m.name for _, m in manifests if m.name}
        for _, manifest in manifests:
            for name, wanted, reach in manifest.roots():
                target = by_descriptor.get(f"{name}@{wanted}")
                if target is not None:
                    roots.append((target, reach))
                elif name not in workspace_names:
                    missing.append(f"{name}@{wanted} ({manifest.display})")
    if missing:
        notes.append(
            Diagnostic(
                code="lock-out-of-date",
                message=(
                    f"{len(missing)} dependenc(ies) the project declares have no entry in the "
                    f"lock file, so they cannot be inventoried: {', '.join(sorted(missing))} "
                    "(run 'yarn install')"
                ),
                level=DiagnosticLevel.WARNING,
                path=display,
            )
        )

    def edges(index: int) -> list[tuple[int, bool]]:
        entry = entries[index]
        if entry.workspace is not None:
            return []  # a workspace's dependencies are roots of their own, by its manifest
        out = []
        for descriptor, optional in entry.edges:
            target = by_descriptor.get(descriptor)
            if target is not None:
                out.append((target, optional))
        return out

    return classify(roots, edges)


# -- Yarn classic ------------------------------------------------------------------------------

_KEY_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[^,\s][^,]*')


def _unquote(token: str, display: str, line: int) -> str:
    token = token.strip()
    if token.startswith('"'):
        try:
            value = json.loads(token)
        except ValueError:
            raise InputError(
                f"unterminated or invalid quoted text {brief(token)}",
                source=display,
                location=str(line),
            ) from None
        if not isinstance(value, str):
            raise InputError(
                f"expected text, got {brief(token)}", source=display, location=str(line)
            )
        return value
    return token


def _split_pair(content: str, display: str, line: int) -> tuple[str, str]:
    """``key value`` with either side possibly quoted."""
    if content.startswith('"'):
        match = re.match(r'"(?:[^"\\]|\\.)*"', content)
        if match is None:
            raise InputError(
                f"unterminated quoted key in {brief(content)}", source=display, location=str(line)
            )
        key, rest = match.group(), content[match.end() :]
    else:
        key, _, rest = content.partition(" ")
        rest = " " + rest
    if not rest.startswith(" ") or not rest.strip():
        raise InputError(
            f"expected 'key value', got {brief(content)}", source=display, location=str(line)
        )
    return _unquote(key, display, line), _unquote(rest, display, line)


def _classic(text: str, display: str) -> list[_Entry]:
    if not re.search(r"^# yarn lockfile v1\s*$", text, re.MULTILINE):
        first = next(
            (ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")), ""
        )
        if first.startswith("{") or not first.endswith(":"):
            raise InputError(
                f"expected {EXPECTED}: it has neither header",
                source=display,
                hint="check the file and its 'kind' in the configuration",
            )
    raw: list[tuple[list[str], int, dict[str, str], dict[str, dict[str, str]]]] = []
    section: dict[str, str] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.rstrip()
        if not stripped.strip() or stripped.lstrip().startswith("#"):
            continue
        indent = len(stripped) - len(stripped.lstrip(" "))
        content = stripped.strip()
        if "\t" in stripped[: indent + 1]:
            raise InputError("tabs are not valid indentation", source=display, location=str(number))
        if indent == 0:
            if not content.endswith(":"):
                raise InputError(
                    f"expected a package header ending with ':', got {brief(content)}",
                    source=display,
                    location=str(number),
                )
            keys = [_unquote(t, display, number) for t in _KEY_TOKEN.findall(content[:-1])]
            if not keys:
                raise InputError(
                    "a package header names nothing", source=display, location=str(number)
                )
            raw.append((keys, number, {}, {}))
            section = None
        elif not raw:
            raise InputError(
                "indented line before any package header", source=display, location=str(number)
            )
        elif indent == 2:
            fields, sections = raw[-1][2], raw[-1][3]
            if content.endswith(":") and " " not in content.rstrip(":").strip('"'):
                section = sections.setdefault(_unquote(content[:-1], display, number), {})
            else:
                key, value = _split_pair(content, display, number)
                fields[key] = value
                section = None
        elif indent == 4 and section is not None:
            key, value = _split_pair(content, display, number)
            section[key] = value
        else:
            raise InputError(
                f"unexpected indentation ({indent} spaces)", source=display, location=str(number)
            )
    return [_classic_entry(k, n, f, s, display) for k, n, f, s in raw]


def _classic_entry(
    keys: list[str],
    line: int,
    fields: dict[str, str],
    sections: dict[str, dict[str, str]],
    display: str,
) -> _Entry:
    name, wanted = split_name(keys[0])
    version = fields.get("version")
    if not version:
        raise InputError(
            f"{keys[0]}: no 'version' (a lock file pins every package)",
            source=display,
            location=str(line),
        )
    properties: list[tuple[str, str]] = []
    real = name
    if wanted.startswith("npm:"):
        real = split_name(wanted[4:])[0]
        properties.append((PROP_ALIAS, name))
    resolved = fields.get("resolved")
    if resolved:
        properties.extend(source_properties(resolved))
    elif wanted.startswith(_LOCAL_PROTOCOLS):
        properties.append((PROP_SOURCE, wanted))
    hashes: list[Hash] = []
    if "integrity" in fields:
        try:
            hashes = parse_integrity(fields["integrity"])
        except ValueError as exc:
            raise InputError(
                f"{keys[0]}: 'integrity': {exc}", source=display, location=str(line)
            ) from None
    edges = [(f"{n}@{r}", False) for n, r in sorted(sections.get("dependencies", {}).items())]
    edges += [
        (f"{n}@{r}", True) for n, r in sorted(sections.get("optionalDependencies", {}).items())
    ]
    return _Entry(tuple(keys), line, real, version, properties, hashes, edges)


# -- Yarn 2+ -----------------------------------------------------------------------------------


def _berry(text: str, display: str) -> list[_Entry]:
    data, lines = load_yaml_lock(text, display=display, max_depth=1)
    if not isinstance(data, dict) or not isinstance(data.get("__metadata"), dict):
        raise InputError(f"expected {EXPECTED}: '__metadata' is not a mapping", source=display)
    version = data["__metadata"].get("version")
    if not (isinstance(version, str) and version.isdigit() and int(version) in BERRY_VERSIONS):
        raise InputError(
            f"__metadata.version {brief(version)} is not supported (supported: "
            f"{BERRY_VERSIONS.start} to {BERRY_VERSIONS.stop - 1}, Yarn 2 to 4)",
            source=display,
            location=str(lines.get(("__metadata",), "")) or None,
            hint="a newer Yarn may have changed the format; please report this file's shape",
        )
    entries = []
    for key, raw in data.items():
        if key == "__metadata":
            continue
        line = lines.get((key,), 0)
        if not isinstance(raw, dict):
            raise InputError(
                f"{key}: expected a mapping, got {brief(raw)}", source=display, location=str(line)
            )
        entries.append(_berry_entry(key, raw, line, display))
    return entries


def _berry_entry(key: str, raw: dict[str, Any], line: int, display: str) -> _Entry:
    where = str(line) if line else None
    resolution = raw.get("resolution")
    if not isinstance(resolution, str) or "@" not in resolution[1:]:
        raise InputError(f"{key}: no 'resolution'", source=display, location=where)
    name, reference = split_name(resolution)
    version = raw.get("version")
    if not isinstance(version, str) or not version:
        raise InputError(
            f"{key}: no 'version' (a lock file pins every package)", source=display, location=where
        )
    descriptors = tuple(d.strip() for d in key.split(",") if d.strip())
    entry = _Entry(descriptors, line, name, None if version == LOCAL_VERSION else version)
    protocol = reference.split(":", 1)[0] + ":" if ":" in reference else ""
    if protocol == "workspace:":
        entry.workspace = reference[len(protocol) :] or "."
    elif protocol in _LOCAL_PROTOCOLS:
        entry.properties.append((PROP_SOURCE, reference.split("::", 1)[0].split("#", 1)[0]))
    elif protocol == "patch:":
        inner = unquote(reference[len(protocol) :].split("#", 1)[0])
        if not inner.split("@", 2)[-1].startswith("npm:"):
            entry.properties.append((PROP_SOURCE, inner.split("::", 1)[0]))
    elif protocol != "npm:":
        entry.properties.extend(source_properties(reference.split("::", 1)[0]))
    for descriptor in descriptors:
        alias, wanted = split_name(descriptor)
        if alias != name and wanted.startswith("npm:"):
            entry.properties.append((PROP_ALIAS, alias))
    dependencies = raw.get("dependencies") or {}
    meta = raw.get("dependenciesMeta") or {}
    if not isinstance(dependencies, dict) or not isinstance(meta, dict):
        raise InputError(
            f"{key}: 'dependencies' must map names to ranges", source=display, location=where
        )
    for dep, wanted in sorted(dependencies.items()):
        if not isinstance(wanted, str):
            raise InputError(
                f"{key}: dependency {dep!r} has no range, got {brief(wanted)}",
                source=display,
                location=where,
            )
        flags = meta.get(dep)
        optional = isinstance(flags, dict) and flags.get("optional") is True
        entry.edges.append((f"{dep}@{wanted}", optional))
    return entry


__all__ = ["collect_yarn_lock"]
