"""``package-lock.json`` and ``npm-shrinkwrap.json``, lockfileVersion 1, 2 and 3.

- Version 2 and 3 (npm ≥ 7) list every installed folder under ``packages``, keyed by its path
  (``node_modules/debug/node_modules/ms``). The root folder ``""`` is the project. A ``link``
  entry points at a folder elsewhere: a workspace member (matched by the root's ``workspaces``
  patterns) is the project's own and is not inventoried, while its own ``node_modules`` are; any
  other linked folder (a ``file:`` dependency) is inventoried with its recorded version and marked
  as a local source. An alias is recorded under the package's real ``name``. Version 2 also
  carries the version 1 tree, which is ignored.
- Version 1 (npm 5 and 6) nests ``dependencies`` objects the way ``node_modules`` nests folders.
  An alias's version reads ``npm:<name>@<version>``; git, tarball and ``file:`` dependencies
  record no package version (they become ``no-exact-version`` components with their source).

Flags: ``dev`` copies are development-only and skipped unless ``include_dev`` (reported);
``optional`` and ``devOptional`` copies are kept, since a production install with optional
dependencies installs them, and are marked optional; ``inBundle``/``bundled`` copies come in
their parent's tarball. Integrity hashes (SHA-2 only) are kept.
"""

from __future__ import annotations

import fnmatch
import json
import posixpath
from typing import Any

from mdrgate.collect.base import Collected, InputKind, InputSpec, read_input
from mdrgate.collect.npm.locate import json_key_lines
from mdrgate.collect.npm.manifest import local_version
from mdrgate.collect.npm.packages import (
    PROP_ALIAS,
    PROP_BUNDLED,
    PROP_SOURCE,
    PROP_VERSION_FROM,
    NpmPackages,
    is_git,
    parse_integrity,
    source_properties,
    split_name,
)
from mdrgate.collect.python.package import brief
from mdrgate.collect.python.sniff import wrong_kind
from mdrgate.errors import InputError
from mdrgate.model import Hash, InputFile

COLLECTOR = InputKind.NPM_LOCK.value
EXPECTED = "an npm package-lock.json (JSON with 'lockfileVersion')"
SUPPORTED = (1, 2, 3)
_NODE_MODULES = "node_modules/"


def collect_package_lock(spec: InputSpec) -> Collected:
    """Collect ``spec``; development-only packages only when ``spec.include_dev``."""
    text, file = read_input(spec.path, display=spec.display, kind=spec.kind.value)
    if not text.strip():
        raise InputError(
            "empty file; a package-lock.json is a JSON object with 'lockfileVersion'",
            source=spec.display,
            hint="regenerate it with 'npm install --package-lock-only', or remove it from the "
            "inputs if it is not used",
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
    version = data.get("lockfileVersion") if isinstance(data, dict) else None
    if not isinstance(version, int) or isinstance(version, bool):
        raise wrong_kind(
            text,
            expected=EXPECTED,
            display=spec.display,
            problem="there is no integer 'lockfileVersion'",
        )
    if version not in SUPPORTED:
        raise InputError(
            f"lockfileVersion {version} is not supported (supported: 1, 2 and 3)",
            source=spec.display,
            hint="a newer npm may have changed the format; please report this file's shape",
        )
    found = NpmPackages(COLLECTOR, spec.display)
    files = {file}
    if version == 1:
        reader = _Version1(spec, text, found)
        reader.read(data)
        files.update(reader.files)
    else:
        _Packages(spec, text, found).read(data)
    return Collected(found.components(), tuple(sorted(found.diagnostics())), tuple(sorted(files)))


class _Packages:
    """lockfileVersion 2 and 3: the flat ``packages`` map."""

    def __init__(self, spec: InputSpec, text: str, found: NpmPackages) -> None:
        self.spec = spec
        self.found = found
        self.lines = json_key_lines(text, 2)

    def error(self, key: str, message: str) -> InputError:
        line = self.lines.get(("packages", key))
        return InputError(
            f"packages[{key!r}]: {message}",
            source=self.spec.display,
            location=str(line) if line else None,
        )

    def read(self, data: dict[str, Any]) -> None:
        packages = data.get("packages")
        if not isinstance(packages, dict):
            raise InputError(
                f"lockfileVersion {data['lockfileVersion']} must have a 'packages' object, "
                f"got {brief(packages)}",
                source=self.spec.display,
            )
        root = packages.get("", {})
        patterns = _workspace_patterns(root.get("workspaces") if isinstance(root, dict) else None)
        linked: dict[str, str] = {}  # target folder → the node_modules path that links it
        for key, entry in packages.items():
            if isinstance(entry, dict) and entry.get("link") is True:
                target = entry.get("resolved")
                if not isinstance(target, str) or not target:
                    raise self.error(key, "a link without 'resolved' (the folder it links to)")
                linked[posixpath.normpath(target)] = key
        for key in sorted(packages):
            entry = packages[key]
            if key == "":
                continue
            if not isinstance(entry, dict):
                raise self.error(key, f"expected an object, got {brief(entry)}")
            if entry.get("link") is True:
                continue
            installed = key.startswith(_NODE_MODULES) or f"/{_NODE_MODULES}" in key
            if not installed and _is_workspace(key, patterns):
                continue  # the project's own package
            self._add(key, entry, installed, linked.get(key))

    def _add(self, key: str, entry: dict[str, Any], installed: bool, link: str | None) -> None:
        where = key.rsplit(_NODE_MODULES, 1)[1] if installed else None
        name = entry.get("name")
        if name is not None and (not isinstance(name, str) or not name):
            raise self.error(key, f"'name' must be a package name, got {brief(name)}")
        folder_name = where or (link.rsplit(_NODE_MODULES, 1)[-1] if link else None)
        real = name or folder_name or ("" if installed else posixpath.basename(key.rstrip("/")))
        if not real:
            raise self.error(key, "names no package folder and has no 'name'")
        version = entry.get("version")
        if version is not None and not isinstance(version, str):
            raise self.error(key, f"'version' must be text, got {brief(version)}")
        properties: list[tuple[str, str]] = []
        if folder_name and folder_name != real:
            properties.append((PROP_ALIAS, folder_name))
        resolved = entry.get("resolved")
        if installed:
            properties.extend(source_properties(resolved if isinstance(resolved, str) else None))
        else:
            properties.append((PROP_SOURCE, f"file:{key}"))
        bundled = entry.get("inBundle") is True
        if bundled:
            properties.append((PROP_BUNDLED, "true"))
        dev = entry.get("dev") is True
        if dev and not self.spec.include_dev:
            self.found.skip(real, version or None)
            return
        self.found.add(
            real,
            version or None,
            line=self.lines.get(("packages", key)),
            install_path=key,
            hashes=self._hashes(key, entry),
            properties=properties,
            dev=dev,
            optional=entry.get("optional") is True or entry.get("devOptional") is True,
            why_unpinned="no 'version'",
        )

    def _hashes(self, key: str, entry: dict[str, Any]) -> list[Hash]:
        integrity = entry.get("integrity")
        if not isinstance(integrity, str):
            return []
        try:
            return parse_integrity(integrity)
        except ValueError as exc:
            raise self.error(key, f"'integrity': {exc}") from None


def _workspace_patterns(raw: Any) -> list[str]:
    if isinstance(raw, dict):
        raw = raw.get("packages")
    if not isinstance(raw, list):
        return []
    return [posixpath.normpath(p.strip("/")) for p in raw if isinstance(p, str) and p.strip("/")]


def _is_workspace(folder: str, patterns: list[str]) -> bool:
    normal = posixpath.normpath(folder)
    return any(
        fnmatch.fnmatchcase(normal, pattern)
        or (pattern.endswith("/**") and normal.startswith(pattern[:-2]))
        for pattern in patterns
    )


class _Version1:
    """lockfileVersion 1: ``dependencies`` nested as ``node_modules`` folders are."""

    def __init__(self, spec: InputSpec, text: str, found: NpmPackages) -> None:
        self.spec = spec
        self.found = found
        self.lines = json_key_lines(text, 64)
        self.files: list[InputFile] = []

    def read(self, data: dict[str, Any]) -> None:
        dependencies = data.get("dependencies", {})
        if not isinstance(dependencies, dict):
            raise InputError(
                f"'dependencies' must be an object, got {brief(dependencies)}",
                source=self.spec.display,
            )
        # Iterative walk: a crafted lock file can nest deeper than Python recurses.
        stack: list[tuple[tuple[str, ...], str, dict[str, Any]]] = [
            (("dependencies",), "", dependencies)
        ]
        while stack:
            path, folder, deps = stack.pop()
            for name in sorted(deps, reverse=True):
                entry = deps[name]
                key_path = (*path, name)
                install = f"{folder}{_NODE_MODULES}{name}"
                if not isinstance(entry, dict):
                    raise self.error(key_path, f"expected an object, got {brief(entry)}")
                self._add(key_path, install, name, entry)
                nested = entry.get("dependencies")
                if nested is not None:
                    if not isinstance(nested, dict):
                        raise self.error(
                            key_path, f"'dependencies' must be an object, got {brief(nested)}"
                        )
                    stack.append(((*key_path, "dependencies"), f"{install}/", nested))

    def error(self, key_path: tuple[str, ...], message: str) -> InputError:
        line = self.lines.get(key_path)
        shown = " > ".join(key_path[1::2])
        return InputError(
            f"dependency {shown}: {message}",
            source=self.spec.display,
            location=str(line) if line else None,
        )

    def _add(
        self, key_path: tuple[str, ...], install: str, name: str, entry: dict[str, Any]
    ) -> None:
        raw = entry.get("version")
        if not isinstance(raw, str) or not raw.strip():
            raise self.error(
                key_path, f"has no 'version' (a lock file pins every package), got {brief(raw)}"
            )
        real, version, properties, why = _version1_version(name, raw.strip())
        if version is None and raw.startswith("file:"):
            version, file = local_version(self.spec.path, self.spec.display, raw.strip())
            if file is not None:
                self.files.append(file)
            if version is not None and file is not None:
                properties.append((PROP_VERSION_FROM, file.path))
        resolved = entry.get("resolved")
        if isinstance(resolved, str) and not any(p[0] == PROP_SOURCE for p in properties):
            properties.extend(source_properties(resolved))
        bundled = entry.get("bundled") is True
        if bundled:
            properties.append((PROP_BUNDLED, "true"))
        dev = entry.get("dev") is True
        if dev and not self.spec.include_dev:
            self.found.skip(real, version)
            return
        hashes: list[Hash] = []
        integrity = entry.get("integrity")
        if isinstance(integrity, str):
            try:
                hashes = parse_integrity(integrity)
            except ValueError as exc:
                raise self.error(key_path, f"'integrity': {exc}") from None
        self.found.add(
            real,
            version,
            line=self.lines.get(key_path),
            install_path=install,
            hashes=hashes,
            properties=properties,
            dev=dev,
            optional=entry.get("optional") is True,
            why_unpinned=why,
        )


def _version1_version(name: str, raw: str) -> tuple[str, str | None, list[tuple[str, str]], str]:
    """(real name, version, properties, why there is no version) of a version 1 entry."""
    if raw.startswith("npm:"):
        real, version = split_name(raw[4:])
        return real, version or None, [(PROP_ALIAS, name)], "alias without a version"
    if is_git(raw):
        return name, None, source_properties(raw), f"git dependency {raw.split('#', 1)[0]}"
    if raw.startswith(("file:", "link:")):
        return name, None, [(PROP_SOURCE, raw)], f"local dependency {raw}"
    if raw.startswith(("http://", "https://")):
        return name, None, source_properties(raw), f"tarball {raw.split('#', 1)[0]}"
    return name, raw, [], ""
