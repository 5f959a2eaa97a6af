"""Conan: ``conanfile.txt``, ``conanfile.py`` (read as a syntax tree, never run) and ``conan.lock``.

A Conan reference is ``name/version[@user/channel][#recipe_revision[%timestamp]]``. Its package URL
is ``pkg:conan/<name>@<version>`` with ``user``, ``channel`` and ``rrev`` qualifiers as the purl
spec's conan type defines them. A version in brackets is a range (``zlib/[>=1.2 <2]``): kept as the
version spec, never as a version. ``tool_requires``/``build_requires``/``test_requires`` (and a
lock's ``build_requires``/``python_requires``, Conan 1 nodes of the ``build`` context) are tools the
build runs, not code in the device: they are inventoried only with ``include_dev`` and then carry
``mdrgate:manifest:scope=build``. ``conanfile.py`` requirements inside ``if`` blocks are kept (the
inventory does not know the profile) with the condition recorded.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass

from packageurl import PackageURL

from mdrgate.collect.base import InputSpec
from mdrgate.collect.firmware.manifests.declared import (
    PROP_SCOPE,
    PROP_VERSION_FROM,
    Declared,
    LineFinder,
    Manifest,
)
from mdrgate.errors import InputError
from mdrgate.model import DiagnosticLevel, InputFile

_REF = re.compile(
    r"^(?P<name>[A-Za-z0-9_][A-Za-z0-9_.+-]*)/(?P<version>\[[^\]]*\]|[^@#/\s]+)"
    r"(?:@(?P<user>[^/#\s]+)(?:/(?P<channel>[^#\s]+))?)?"
    r"(?:#(?P<rrev>[0-9A-Za-z]+)(?:%(?P<ts>[0-9.]+))?)?$"
)
PROP_CONDITION = "mdrgate:conan:condition"
"""The ``if`` condition under which ``conanfile.py`` adds the requirement."""
PROP_TIMESTAMP = "mdrgate:conan:recipe-timestamp"

_RUNTIME_SECTIONS = {"requires"}
_BUILD_SECTIONS = {"tool_requires", "build_requires", "test_requires"}


@dataclass(frozen=True, slots=True)
class Reference:
    name: str
    version: str | None
    spec: str | None
    user: str | None
    channel: str | None
    rrev: str | None
    timestamp: str | None


def parse_reference(text: str) -> Reference | None:
    match = _REF.match(text.strip())
    if match is None:
        return None
    raw = match.group("version")
    is_range = raw.startswith("[")
    user = match.group("user")
    if user == "_":
        user = None
    channel = match.group("channel")
    if channel == "_":
        channel = None
    return Reference(
        name=match.group("name"),
        version=None if is_range else raw,
        spec=raw if is_range else None,
        user=user,
        channel=channel,
        rrev=match.group("rrev"),
        timestamp=match.group("ts"),
    )


def _declare(
    manifest: Manifest,
    ref: Reference,
    line: int | None,
    text: str,
    *,
    build: bool,
    pinned_by: str,
    extra: tuple[tuple[str, str], ...] = (),
) -> None:
    qualifiers = {
        k: v for k, v in (("user", ref.user), ("channel", ref.channel), ("rrev", ref.rrev)) if v
    }
    properties = list(extra)
    if ref.version is not None and ref.version != "system":
        properties.append((PROP_VERSION_FROM, pinned_by))
    if build:
        properties.append((PROP_SCOPE, "build"))
    if ref.timestamp:
        properties.append((PROP_TIMESTAMP, ref.timestamp))
    version, spec, why = ref.version, ref.spec, f"version range {ref.spec}" if ref.spec else None
    if version == "system":
        # Conan's "system" packages wrap whatever the build machine has installed
        version, spec, why = None, "system", "a system package: the build machine's own version"
    manifest.add(
        Declared(
            name=ref.name,
            purl=PackageURL(type="conan", name=ref.name, qualifiers=qualifiers or None),
            line=line,
            text=text,
            version=version,
            version_spec=spec,
            unknown_because=why,
            properties=tuple(properties),
        )
    )


def _bad_reference(manifest: Manifest, text: str, line: int | None) -> None:
    manifest.note(
        "unparsable-reference",
        f"{text!r} is not a Conan reference (name/version[@user/channel][#revision]); "
        "it was not inventoried",
        line,
        level=DiagnosticLevel.ERROR,
    )


def read_conanfile_txt(spec: InputSpec, text: str, manifest: Manifest) -> tuple[InputFile, ...]:
    section: str | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip().lower()
            continue
        if section is None:
            raise InputError(
                f"{line!r} comes before any [section]; a conanfile.txt starts with [requires]",
                source=spec.display,
                location=str(number),
            )
        if section in _RUNTIME_SECTIONS or section in _BUILD_SECTIONS:
            build = section in _BUILD_SECTIONS
            if build and not spec.include_dev:
                continue
            ref = parse_reference(line)
            if ref is None:
                _bad_reference(manifest, line, number)
                continue
            _declare(manifest, ref, number, raw, build=build, pinned_by="pin")
    return ()


_CALLS = {"requires": False, "tool_requires": True, "build_requires": True, "test_requires": True}


def read_conanfile_py(spec: InputSpec, text: str, manifest: Manifest) -> tuple[InputFile, ...]:
    try:
        tree = ast.parse(text, filename=spec.display)
    except SyntaxError as exc:
        raise InputError(
            f"is not valid Python ({exc.msg}); mdrgate reads conanfile.py without running it",
            source=spec.display,
            location=str(exc.lineno) if exc.lineno else None,
        ) from None
    except (ValueError, RecursionError, MemoryError):
        raise InputError("cannot be read as Python source", source=spec.display) from None
    lines = text.splitlines()
    _Visitor(spec, manifest, lines).visit(tree)
    return ()


class _Visitor(ast.NodeVisitor):
    """Finds ``requires = ...`` attributes and ``self.requires(...)`` calls, with their ``if``s."""

    def __init__(self, spec: InputSpec, manifest: Manifest, lines: list[str]) -> None:
        self.spec = spec
        self.manifest = manifest
        self.lines = lines
        self.conditions: list[str] = []

    def visit_If(self, node: ast.If) -> None:
        self.visit(node.test)
        condition = ast.unparse(node.test)
        self.conditions.append(condition)
        for child in node.body:
            self.visit(child)
        self.conditions.pop()
        self.conditions.append(f"not ({condition})")
        for child in node.orelse:
            self.visit(child)
        self.conditions.pop()

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for statement in node.body:
            if isinstance(statement, ast.Assign | ast.AnnAssign):
                targets = (
                    statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                )
                for target in targets:
                    if isinstance(target, ast.Name) and target.id in _CALLS and statement.value:
                        self._values(statement.value, build=_CALLS[target.id])
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr in _CALLS
            and isinstance(func.value, ast.Name)
            and func.value.id == "self"
            and node.args
        ):
            self._values(node.args[0], build=_CALLS[func.attr])
        self.generic_visit(node)

    def _values(self, value: ast.expr, *, build: bool) -> None:
        if build and not self.spec.include_dev:
            return
        items = value.elts if isinstance(value, ast.Tuple | ast.List) else [value]
        for item in items:
            line = getattr(item, "lineno", None)
            source = self.lines[line - 1] if line and line <= len(self.lines) else ""
            if isinstance(item, ast.Constant) and isinstance(item.value, str):
                ref = parse_reference(item.value)
                if ref is None:
                    _bad_reference(self.manifest, item.value, line)
                    continue
                extra: tuple[tuple[str, str], ...] = ()
                if self.conditions:
                    extra = ((PROP_CONDITION, " and ".join(self.conditions)),)
                _declare(
                    self.manifest, ref, line, source, build=build, pinned_by="pin", extra=extra
                )
            else:
                self.manifest.note(
                    "unresolved-requirement",
                    f"a requirement is computed ({ast.unparse(item)}), not written out; mdrgate "
                    "does not run conanfile.py, so it was not inventoried",
                    line,
                )


def read_lock(spec: InputSpec, text: str, manifest: Manifest) -> tuple[InputFile, ...]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"invalid JSON: {exc.msg}", source=spec.display, location=str(exc.lineno)
        ) from None
    except RecursionError:
        raise InputError("JSON nested too deeply to be read", source=spec.display) from None
    if not isinstance(data, dict):
        raise InputError("a conan.lock is a JSON object", source=spec.display)
    finder = LineFinder(text)
    if "graph_lock" in data:
        _read_v1(spec, data["graph_lock"], manifest, finder)
    elif isinstance(data.get("requires"), list):
        sections = [("requires", False), ("build_requires", True), ("python_requires", True)]
        for key, build in sections:
            entries = data.get(key) or []
            if not isinstance(entries, list):
                raise InputError(f"{key}: expected a list of references", source=spec.display)
            if build and not spec.include_dev:
                continue
            for entry in entries:
                if not isinstance(entry, str) or (ref := parse_reference(entry)) is None:
                    _bad_reference(manifest, str(entry), finder.line(str(entry)))
                    continue
                _declare(manifest, ref, finder.line(entry), entry, build=build, pinned_by="lock")
    else:
        raise InputError(
            "is neither a Conan 2 lock (a 'requires' list) nor a Conan 1 lock ('graph_lock')",
            source=spec.display,
        )
    return ()


def _read_v1(spec: InputSpec, graph: object, manifest: Manifest, finder: LineFinder) -> None:
    nodes = graph.get("nodes") if isinstance(graph, dict) else None
    if not isinstance(nodes, dict):
        raise InputError("graph_lock.nodes: expected an object of nodes", source=spec.display)
    for key in sorted(nodes, key=lambda k: (len(str(k)), str(k))):
        node = nodes[key]
        if not isinstance(node, dict):
            raise InputError(f"graph_lock.nodes.{key}: expected an object", source=spec.display)
        if node.get("path") is not None:
            continue  # the consumer itself (its conanfile), not a dependency
        raw = node.get("ref") or node.get("pref")
        if not isinstance(raw, str):
            continue
        text = raw.split(":", 1)[0]  # a Conan 1.x "pref" adds ":<package_id>#<prev>"
        build = node.get("context") == "build"
        if build and not spec.include_dev:
            continue
        ref = parse_reference(text)
        if ref is None:
            _bad_reference(manifest, raw, finder.line(raw))
            continue
        _declare(manifest, ref, finder.line(raw), raw, build=build, pinned_by="lock")
