"""``pnpm-lock.yaml``: lockfileVersion 5.x (pnpm 5-7), 6.x (pnpm 8) and 9.x (pnpm 9 and 10).

Every version lists each resolved package once under ``packages``, keyed by its path:
``/name/1.2.3_peer@1.0.0`` (5.x), ``/name@1.2.3(peer@1.0.0)`` (6.x) or ``name@1.2.3`` (9.x, whose
peer-resolved variants are the keys of ``snapshots``). Local, git and tarball packages have keys
of their own and, usually, ``name``/``version`` fields. The project's own packages are the
``importers`` (workspaces are linked, ``link:``), not packages.

Development-only packages: 5.x and 6.x mark them ``dev: true`` (``dev: false`` is production,
no ``dev`` is both). 9.x does not: the ``importers``' ``dependencies``, ``optionalDependencies`` and
``devDependencies`` are the roots of the ``snapshots`` graph (:mod:`mdrgate.collect.npm.graph`).
They are skipped unless ``include_dev``, with an ``info`` diagnostic. Hashes come from
``resolution.integrity``. pnpm does not record the packages a dependency bundles in its tarball
(``bundledDependencies``); each such gap is a warning.
"""

from __future__ import annotations

import re
from typing import Any

from mdrgate.collect.base import Collected, InputKind, InputSpec, read_input
from mdrgate.collect.npm.graph import Reach, classify
from mdrgate.collect.npm.locate import KeyLines, load_yaml_lock
from mdrgate.collect.npm.manifest import local_version
from mdrgate.collect.npm.packages import (
    PROP_SOURCE,
    PROP_VERSION_FROM,
    NpmPackages,
    parse_integrity,
    source_properties,
    split_name,
)
from mdrgate.collect.python.package import brief
from mdrgate.collect.python.sniff import wrong_kind
from mdrgate.errors import InputError
from mdrgate.model import Diagnostic, DiagnosticLevel, Hash, InputFile

COLLECTOR = InputKind.PNPM_LOCK.value
EXPECTED = "a pnpm-lock.yaml (YAML with 'lockfileVersion')"
SUPPORTED_MAJOR = (5, 6, 9)
_ROOT_SECTIONS = (
    ("dependencies", Reach.REQUIRED),
    ("optionalDependencies", Reach.OPTIONAL),
    ("devDependencies", Reach.DEV),
)
_NAMED_REF = re.compile(r"^(?:@[^/@]+/)?[^/@:(]+@")


def collect_pnpm_lock(spec: InputSpec) -> Collected:
    """Collect ``spec``; development-only packages only when ``spec.include_dev``."""
    text, file = read_input(spec.path, display=spec.display, kind=spec.kind.value)
    if not text.strip():
        raise InputError(
            "empty file; a pnpm-lock.yaml always has 'lockfileVersion'",
            source=spec.display,
            hint="regenerate it with 'pnpm install --lockfile-only', or remove it from the inputs "
            "if it is not used",
        )
    data, lines = load_yaml_lock(text, display=spec.display, max_depth=2)
    raw_version = data.get("lockfileVersion") if isinstance(data, dict) else None
    if not isinstance(raw_version, str):
        raise wrong_kind(
            text, expected=EXPECTED, display=spec.display, problem="there is no 'lockfileVersion'"
        )
    major_text = raw_version.split(".", 1)[0]
    if not major_text.isdigit() or int(major_text) not in SUPPORTED_MAJOR:
        raise InputError(
            f"lockfileVersion {raw_version!r} is not supported (supported: 5.x, 6.x and 9.x)",
            source=spec.display,
            location=_where(lines, ("lockfileVersion",)),
            hint="a newer pnpm may have changed the format; please report this file's shape",
        )
    reader = _Reader(spec, lines, int(major_text))
    packages = reader.section(data, "packages")
    if reader.major == 9:
        reader.read_graph(data, packages)
    else:
        reader.read_flagged(packages)
    notes = reader.notes + reader.found.diagnostics()
    files = tuple(sorted({file, *reader.files}))
    return Collected(reader.found.components(), tuple(sorted(notes)), files)


def _where(lines: KeyLines, path: tuple[str, ...]) -> str | None:
    line = lines.get(path)
    return str(line) if line else None


class _Reader:
    def __init__(self, spec: InputSpec, lines: KeyLines, major: int) -> None:
        self.spec = spec
        self.lines = lines
        self.major = major
        self.found = NpmPackages(COLLECTOR, spec.display)
        self.notes: list[Diagnostic] = []
        self.files: list[InputFile] = []

    def error(self, path: tuple[str, ...], message: str) -> InputError:
        return InputError(
            f"{'.'.join(path)}: {message}",
            source=self.spec.display,
            location=_where(self.lines, path),
        )

    def section(self, data: dict[str, Any], name: str) -> dict[str, Any]:
        raw = data.get(name)
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            raise self.error((name,), f"expected a mapping, got {brief(raw)}")
        for key, entry in raw.items():
            if entry is None:
                raw[key] = {}
            elif not isinstance(entry, dict):
                raise self.error((name, key), f"expected a mapping, got {brief(entry)}")
        return raw

    # -- 5.x and 6.x: dev flags per package ----------------------------------------------------

    def read_flagged(self, packages: dict[str, Any]) -> None:
        for key in sorted(packages):
            entry = packages[key]
            dev = entry.get("dev") is True
            self._add(key, entry, dev=dev, optional=entry.get("optional") is True)

    # -- 9.x: the snapshots graph from the importers -------------------------------------------

    def read_graph(self, data: dict[str, Any], packages: dict[str, Any]) -> None:
        snapshots = self.section(data, "snapshots")
        roots: list[tuple[str, Reach]] = []
        for importer in self.section(data, "importers").values():
            for section, reach in _ROOT_SECTIONS:
                deps = importer.get(section) or {}
                if not isinstance(deps, dict):
                    continue
                for name, spec in deps.items():
                    ref = spec.get("version") if isinstance(spec, dict) else spec
                    key = _snapshot_key(name, ref)
                    if key is not None:
                        roots.append((key, reach))

        def edges(key: str) -> list[tuple[str, bool]]:
            entry = snapshots.get(key) or {}
            out = []
            for section, optional in (("dependencies", False), ("optionalDependencies", True)):
                deps = entry.get(section) or {}
                if isinstance(deps, dict):
                    for name, ref in deps.items():
                        target = _snapshot_key(name, ref)
                        if target is not None:
                            out.append((target, optional))
            return out

        reached_by = classify(roots, edges)
        states: dict[str, list[Reach]] = {}
        flagged_optional: set[str] = set()
        for key, entry in snapshots.items():
            base = _base(key)
            how = reached_by.get(key)
            states.setdefault(base, [])
            if how is not None:
                states[base].append(how)
            if entry.get("optional") is True:
                flagged_optional.add(base)
        unreached: list[str] = []
        for key in sorted(packages):
            reached = states.get(key, [])
            if not reached:
                unreached.append(key)
            dev = bool(reached) and all(r is Reach.DEV for r in reached)
            optional = Reach.REQUIRED not in reached and (bool(reached) or key in flagged_optional)
            self._add(key, packages[key], dev=dev, optional=optional and not dev)
        if unreached:
            self.notes.append(
                Diagnostic(
                    code="lock-entries-unreached",
                    message=(
                        f"{len(unreached)} locked package(s) are not reached from the importers' "
                        "dependencies and were inventoried anyway (is the lock file out of "
                        f"date?): {', '.join(unreached)}"
                    ),
                    level=DiagnosticLevel.WARNING,
                    path=self.spec.display,
                )
            )

    # -- one package --------------------------------------------------------------------------

    def _add(self, key: str, entry: dict[str, Any], *, dev: bool, optional: bool) -> None:
        path = ("packages", key)
        name, version = self._name_version(key, entry)
        if dev and not self.spec.include_dev:
            self.found.skip(name, version)
            return
        properties, hashes = self._resolution(path, entry)
        if key.startswith("file:") and not any(p[0] == PROP_SOURCE for p in properties):
            properties.append((PROP_SOURCE, key))
        if version is None:
            version = self._local_version(properties)
        self._bundled(key, name, version, entry)
        self.found.add(
            name,
            version,
            line=self.lines.get(path),
            hashes=hashes,
            properties=properties,
            dev=dev,
            optional=optional,
            why_unpinned=f"{key}",
        )

    def _local_version(self, properties: list[tuple[str, str]]) -> str | None:
        for name, value in properties:
            if name == PROP_SOURCE and value.startswith("file:"):
                version, file = local_version(self.spec.path, self.spec.display, value)
                if file is not None:
                    self.files.append(file)
                if version is not None:
                    properties.append((PROP_VERSION_FROM, file.path if file else ""))
                    return version
        return None

    def _name_version(self, key: str, entry: dict[str, Any]) -> tuple[str, str | None]:
        name, version = entry.get("name"), entry.get("version")
        if isinstance(name, str) and name:
            return name, version if isinstance(version, str) and version else None
        base = _base(key)
        if self.major == 5 and base.startswith("/"):
            parsed_name, _, parsed = base[1:].rpartition("/")
            parsed = parsed.split("_", 1)[0]
        else:
            parsed_name, parsed = split_name(base.removeprefix("/"))
        if not parsed_name:
            raise self.error(("packages", key), "the key names no package and there is no 'name'")
        if isinstance(version, str) and version:
            return parsed_name, version
        plain = parsed and not any(c in parsed for c in ":/")
        return parsed_name, parsed if plain else None

    def _resolution(
        self, path: tuple[str, ...], entry: dict[str, Any]
    ) -> tuple[list[tuple[str, str]], list[Hash]]:
        resolution = entry.get("resolution")
        if not isinstance(resolution, dict):
            raise self.error(path, f"no 'resolution' mapping, got {brief(resolution)}")
        properties: list[tuple[str, str]] = []
        hashes: list[Hash] = []
        integrity = resolution.get("integrity")
        if isinstance(integrity, str):
            try:
                hashes = parse_integrity(integrity)
            except ValueError as exc:
                raise self.error(path, f"resolution.integrity: {exc}") from None
        kind = resolution.get("type")
        if kind == "git" or "commit" in resolution:
            repo = str(resolution.get("repo", ""))
            commit = str(resolution.get("commit", ""))
            url = repo if repo.startswith("git") else f"git+{repo}"
            properties.extend(source_properties(f"{url}#{commit}" if commit else url))
        elif kind == "directory" or "directory" in resolution:
            properties.append((PROP_SOURCE, f"file:{resolution.get('directory', '')}"))
        elif isinstance(resolution.get("tarball"), str):
            tarball = resolution["tarball"]
            if tarball.startswith("file:"):
                properties.append((PROP_SOURCE, tarball))
            else:
                properties.extend(source_properties(tarball))
        return properties, hashes

    def _bundled(self, key: str, name: str, version: str | None, entry: dict[str, Any]) -> None:
        bundled = entry.get("bundledDependencies")
        if bundled is True:
            bundled = ["(all its dependencies)"]
        if not isinstance(bundled, list):
            return
        listed = entry.get("dependencies") or {}
        missing = sorted(str(b) for b in bundled if str(b) not in listed)
        if missing:
            self.notes.append(
                Diagnostic(
                    code="bundled-dependencies-not-listed",
                    message=(
                        f"{name} {version or '(version unknown)'} bundles {', '.join(missing)} in "
                        "its tarball; "
                        "pnpm-lock.yaml does not record bundled packages or their versions, so "
                        "they are not inventoried (declare them in the SOUP register, or inventory "
                        "the installed node_modules)"
                    ),
                    level=DiagnosticLevel.WARNING,
                    path=self.spec.display,
                    line=self.lines.get(("packages", key)),
                )
            )


def _base(key: str) -> str:
    """The package key of a snapshot or package key, without its peer-dependency suffix."""
    return key.split("(", 1)[0]


def _snapshot_key(name: str, ref: Any) -> str | None:
    """The snapshot a 9.x dependency (``name: ref``) points at; ``None`` for linked folders."""
    if not isinstance(ref, str) or not ref or ref.startswith("link:"):
        return None
    if _NAMED_REF.match(ref):
        return ref
    return f"{name}@{ref}"
