"""``uv.lock`` (lock ``version = 1``): the packages the project's runtime needs.

uv locks one universal resolution for a project or workspace. The project's own packages (source
``editable`` or ``virtual``, and ``[manifest] members``) are not third-party components and are
skipped. Which locked packages are runtime and which development-only is not written per package:
it follows from the dependency graph. So:

- *runtime* = everything reachable from the project packages' ``dependencies`` and from their
  ``optional-dependencies`` (extras may be shipped; packages only reached through an extra are
  marked ``mdrgate:python:optional``), following each dependency's requested ``extra``s;
- *development-only* = reachable only through the project packages' ``dev-dependencies`` groups;
  skipped unless ``include_dev``, with one ``info`` diagnostic naming them;
- a package no project package reaches (or a lock without a project package) is kept: when in
  doubt, inventory.

Hashes come from ``sdist`` and ``wheels``. Git, URL, path and directory sources keep the locked
version (uv records the version it built) and say where they came from.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mdrgate.collect.base import Collected, InputKind, InputSpec
from mdrgate.collect.python.package import (
    PROP_GROUPS,
    PROP_INDEX,
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
from mdrgate.model import Diagnostic, Hash

COLLECTOR = InputKind.UV_LOCK.value
EXPECTED = "a uv.lock (TOML with a top-level 'version' and [[package]] tables)"
NEVER_EMPTY = "a uv.lock always has a top-level 'version' and the project's [[package]]"
SUPPORTED_VERSIONS = (1,)
PROJECT_SOURCES = ("editable", "virtual")
PYPI = "https://pypi.org/simple"

_Key = tuple[str, str | None]  # (PEP 503 name, version)


def collect_uv_lock(spec: InputSpec) -> Collected:
    """Collect ``spec``; development-only packages only when ``spec.include_dev``."""
    dev = spec.include_dev
    text, file, data = read_toml_lock(spec, expected=EXPECTED, never_empty=NEVER_EMPTY)
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or "metadata" in data:
        raise wrong_kind(
            text,
            expected=EXPECTED,
            display=spec.display,
            problem="there is no top-level integer 'version'",
        )
    if version not in SUPPORTED_VERSIONS:
        raise InputError(
            f"uv.lock version {version} is not supported (supported: 1)",
            source=spec.display,
            hint="a newer uv may have changed the format; please report this file's shape",
        )
    raw_packages = data.get("package", [])
    if not isinstance(raw_packages, list):
        raise wrong_kind(
            text, expected=EXPECTED, display=spec.display, problem="'package' is not an array"
        )
    lines = table_lines(text, "package")
    packages = [
        _Package.parse(raw, index, spec.display, lines[index] if index < len(lines) else None)
        for index, raw in enumerate(raw_packages)
    ]
    members = _members(data)
    graph = _Graph(packages)
    roots = [p for p in packages if p.is_project or p.canonical in members]
    required = graph.closure(dep for r in roots for dep in r.dependencies)
    optional = graph.closure(dep for r in roots for dep in r.optional) - required
    development = graph.closure(dep for r in roots for dep in r.dev) - required - optional

    group_reach: dict[str, set[_Key]] = {}
    for root in roots if dev else ():
        for group, deps in root.dev_groups.items():
            group_reach.setdefault(group, set()).update(graph.closure(deps))
    found = PackageSet(COLLECTOR)
    skipped: list[str] = []
    for package in packages:
        if package in roots:
            continue
        key = package.key
        properties = list(package.properties)
        if roots and key not in required and key not in optional:
            if key in development:
                if not dev:
                    skipped.append(f"{package.name} {package.version}")
                    continue
                groups = sorted(g for g, reach in group_reach.items() if key in reach)
                properties.append((PROP_GROUPS, ",".join(groups)))
        elif key in optional:
            properties.append((PROP_OPTIONAL, "true"))
        if package.version is None:
            raise InputError(
                f"package {package.name!r} has no 'version' (a lock file pins every package)",
                source=spec.display,
                location=str(package.line) if package.line else None,
            )
        found.add(
            package.name,
            package.version,
            path=spec.display,
            line=package.line,
            hashes=package.hashes,
            properties=properties,
        )
    notes: list[Diagnostic] = []
    if skipped:
        notes.append(dev_skipped(skipped, spec.display))
    notes.extend(found.diagnostics())
    return Collected(found.components(), tuple(sorted(notes)), (file,))


def _members(data: dict[str, Any]) -> set[str]:
    manifest = data.get("manifest")
    members = manifest.get("members") if isinstance(manifest, dict) else None
    if not isinstance(members, list):
        return set()
    return {normalize(m) for m in members if isinstance(m, str)}


class _Dep:
    """A dependency edge: the target package and the extras it asks for."""

    __slots__ = ("extras", "name", "version")

    def __init__(self, name: str, version: str | None, extras: tuple[str, ...]) -> None:
        self.name = name
        self.version = version
        self.extras = extras


class _Package:
    __slots__ = (
        "canonical",
        "dependencies",
        "dev",
        "dev_groups",
        "extras",
        "hashes",
        "is_project",
        "line",
        "name",
        "optional",
        "properties",
        "version",
    )

    def __init__(self) -> None:
        self.name = ""
        self.canonical = ""
        self.version: str | None = None
        self.line: int | None = None
        self.is_project = False
        self.dependencies: list[_Dep] = []
        self.extras: dict[str, list[_Dep]] = {}
        self.optional: list[_Dep] = []
        self.dev: list[_Dep] = []
        self.dev_groups: dict[str, list[_Dep]] = {}
        self.hashes: list[Hash] = []
        self.properties: list[tuple[str, str]] = []

    @property
    def key(self) -> _Key:
        return (self.canonical, self.version)

    @classmethod
    def parse(cls, raw: Any, index: int, display: str, line: int | None) -> _Package:
        where = str(line) if line else None
        if not isinstance(raw, dict):
            raise InputError(f"package[{index}] is not a table", source=display, location=where)
        name = raw.get("name")
        if not isinstance(name, str) or not name.strip():
            raise InputError(f"package[{index}] has no 'name'", source=display, location=where)
        package = cls()
        package.name = name.strip()
        package.canonical = normalize(package.name)
        version = raw.get("version")
        package.version = version.strip() if isinstance(version, str) and version.strip() else None
        package.line = line
        source = raw.get("source")
        if isinstance(source, dict):
            package.is_project = any(k in source for k in PROJECT_SOURCES)
            package.properties = _source_properties(source)
        package.dependencies = _deps(raw.get("dependencies"), display, where)
        optional = raw.get("optional-dependencies")
        if isinstance(optional, dict):
            package.extras = {k: _deps(v, display, where) for k, v in optional.items()}
            package.optional = [d for deps in package.extras.values() for d in deps]
        dev = raw.get("dev-dependencies")
        if isinstance(dev, dict):
            package.dev_groups = {k: _deps(v, display, where) for k, v in dev.items()}
            package.dev = [d for deps in package.dev_groups.values() for d in deps]
        package.hashes = _hashes(raw, package.name, display, where)
        return package


def _deps(raw: Any, display: str, where: str | None) -> list[_Dep]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise InputError(
            f"dependencies must be an array of tables, got {brief(raw)}",
            source=display,
            location=where,
        )
    deps = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise InputError(
                f"a dependency must be a table with a 'name', got {brief(item)}",
                source=display,
                location=where,
            )
        version = item.get("version")
        extras = item.get("extra", [])
        deps.append(
            _Dep(
                normalize(item["name"]),
                version if isinstance(version, str) else None,
                tuple(e for e in extras if isinstance(e, str)) if isinstance(extras, list) else (),
            )
        )
    return deps


def _source_properties(source: dict[str, Any]) -> list[tuple[str, str]]:
    if "registry" in source:
        registry = str(source["registry"]).rstrip("/")
        return [] if registry == PYPI else [(PROP_INDEX, redact_url(registry))]
    if "git" in source:
        return [(PROP_SOURCE, f"git+{redact_url(str(source['git']))}")]
    if "url" in source:
        return [(PROP_SOURCE, redact_url(str(source["url"])))]
    for kind in ("path", "directory"):
        if kind in source:
            return [(PROP_SOURCE, f"{kind}:{source[kind]}")]
    return []


def _hashes(raw: dict[str, Any], name: str, display: str, where: str | None) -> list[Hash]:
    artifacts: list[Any] = []
    sdist = raw.get("sdist")
    if isinstance(sdist, dict):
        artifacts.append(sdist)
    wheels = raw.get("wheels")
    if isinstance(wheels, list):
        artifacts.extend(wheels)
    hashes = []
    for artifact in artifacts:
        text = artifact.get("hash") if isinstance(artifact, dict) else None
        if not isinstance(text, str):
            continue
        try:
            parsed = parse_hash(text)
        except ValueError as exc:
            raise InputError(f"package {name!r}: {exc}", source=display, location=where) from None
        if parsed is not None:
            hashes.append(parsed)
    return hashes


class _Graph:
    """Reachability over the lock's dependency edges, following requested extras."""

    def __init__(self, packages: list[_Package]) -> None:
        self._by_name: dict[str, list[_Package]] = {}
        for package in packages:
            self._by_name.setdefault(package.canonical, []).append(package)

    def _targets(self, dep: _Dep) -> list[_Package]:
        candidates = self._by_name.get(dep.name, [])
        if dep.version is not None:
            candidates = [p for p in candidates if p.version == dep.version]
        return candidates

    def closure(self, start: Iterable[_Dep]) -> set[_Key]:
        seen: set[_Key] = set()
        extras_seen: set[tuple[_Key, str]] = set()
        stack = list(start)
        while stack:
            dep = stack.pop()
            for package in self._targets(dep):
                if package.key not in seen:
                    seen.add(package.key)
                    stack.extend(package.dependencies)
                for extra in dep.extras:
                    if (package.key, extra) not in extras_seen:
                        extras_seen.add((package.key, extra))
                        stack.extend(package.extras.get(extra, []))
        return seen
