"""``go.mod`` and ``go.sum``: the Go modules a module builds with.

``go.mod`` lists every module of the build list (Go ≥ 1.17 writes the indirect ones too, marked
``// indirect``) at its selected version. The module itself is the product, not a component.

- ``replace old [v] => new v`` builds ``new`` at ``v`` instead: the component is the replacement
  (``mdrgate:go:replaces`` names what it replaces);
- ``replace old [v] => ./dir`` builds whatever the local directory holds: the component keeps the
  module path but has no version (a ``no-exact-version`` warning says it cannot be assessed) and
  ``mdrgate:go:replaced-by`` names the directory;
- ``exclude`` only forbids versions (a requirement of an excluded version is reported), and
  ``retract`` concerns this module's own releases: neither adds components.

The ``go.sum`` beside a ``go.mod`` is read to cross-check it: a requirement it has no checksum for
is reported (the build would fail or download unverified code). A ``go.sum`` without a ``go.mod``
is read alone: every module it has a source checksum for (not only a ``/go.mod`` one) is
inventoried, which can include versions the build no longer selects; an ``info`` diagnostic says
so. The Go standard library is not in either file: an ``info`` diagnostic names the minimum Go
version so that the toolchain can be declared.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from packageurl import PackageURL

from mdrgate.collect.base import Collected, InputKind, InputSpec, read_input
from mdrgate.collect.python.package import brief
from mdrgate.errors import InputError
from mdrgate.model import Component, ComponentClass, Diagnostic, DiagnosticLevel, InputFile, Origin

ECOSYSTEM = "Go"
PROP_INDIRECT = "mdrgate:go:indirect"
"""``true`` for a requirement marked ``// indirect`` (not imported by the module itself)."""
PROP_REPLACES = "mdrgate:go:replaces"
"""``path version`` of the requirement a ``replace`` directive substitutes with this module."""
PROP_REPLACED_BY = "mdrgate:go:replaced-by"
"""The local directory a ``replace`` directive builds this module from."""

_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|`[^`\n]*`|=>|[()]|(?:[^\s()"`=]|=(?!>))+')
_VERSION = re.compile(r"^v\d+(?:\.\d+){0,2}(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")
_BLOCKS = frozenset({"require", "replace", "exclude", "retract", "godebug", "tool", "ignore"})
_IGNORED = frozenset({"godebug", "tool", "ignore", "retract"})


@dataclass(frozen=True)
class Require:
    path: str
    version: str
    line: int
    indirect: bool


@dataclass(frozen=True)
class Replace:
    old: str
    old_version: str | None
    new: str
    new_version: str | None
    """``None``: ``new`` is a local directory."""
    line: int


@dataclass
class GoMod:
    module: str | None = None
    go: str | None = None
    toolchain: str | None = None
    requires: list[Require] = field(default_factory=list)
    replaces: list[Replace] = field(default_factory=list)
    excludes: dict[tuple[str, str], int] = field(default_factory=dict)
    unknown: list[tuple[str, int]] = field(default_factory=list)


def module_purl(path: str, version: str | None) -> str:
    """``pkg:golang/github.com/x/y@v1.2.3``: the module path's last element is the purl name."""
    namespace, _, name = path.rpartition("/")
    return PackageURL(
        type="golang", namespace=namespace or None, name=name, version=version
    ).to_string()


def _unquote(token: str, display: str, line: int) -> str:
    if token.startswith("`"):
        return token[1:-1]
    if token.startswith('"'):
        try:
            value = json.loads(token)
        except ValueError:
            raise InputError(
                f"invalid quoted text {brief(token)}", source=display, location=str(line)
            ) from None
        return str(value)
    return token


def _split_comment(line: str) -> tuple[str, str | None]:
    """(code, comment text) of one line; ``//`` inside quotes is not a comment."""
    quote: str | None = None
    index = 0
    while index < len(line):
        char = line[index]
        if quote:
            if char == "\\" and quote == '"':
                index += 1
            elif char == quote:
                quote = None
        elif char in '"`':
            quote = char
        elif line.startswith("//", index):
            return line[:index], line[index + 2 :].strip()
        index += 1
    return line, None


def parse_go_mod(text: str, display: str) -> GoMod:
    """The directives of a go.mod; a line Go itself would reject is an ``InputError``."""
    mod = GoMod()
    block: str | None = None
    block_line = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        code, comment = _split_comment(raw)
        tokens = _TOKEN.findall(code)
        leftover = _TOKEN.sub("", code).strip()
        if leftover:
            raise InputError(
                f"unterminated quoted text or stray characters {brief(leftover)}",
                source=display,
                location=str(number),
            )
        if not tokens:
            continue
        indirect = comment is not None and re.match(r"^indirect(?:$|\s*;)", comment) is not None
        if block is not None:
            if tokens == [")"]:
                block = None
                continue
            _directive(mod, block, tokens, number, indirect, display)
            continue
        verb, args = tokens[0], tokens[1:]
        if args == ["("]:
            if verb not in _BLOCKS:
                raise InputError(f"unknown block {verb!r}", source=display, location=str(number))
            block, block_line = verb, number
            continue
        if verb in ("(", ")"):
            raise InputError(f"unexpected {verb!r}", source=display, location=str(number))
        _directive(mod, verb, args, number, indirect, display)
    if block is not None:
        raise InputError(
            f"the '{block} (' block is never closed with ')'",
            source=display,
            location=str(block_line),
        )
    return mod


def _directive(
    mod: GoMod, verb: str, args: list[str], line: int, indirect: bool, display: str
) -> None:
    def fail(message: str) -> InputError:
        return InputError(f"{verb}: {message}", source=display, location=str(line))

    values = [_unquote(a, display, line) for a in args]
    if verb in ("module", "go", "toolchain"):
        if len(values) != 1:
            raise fail(f"expected one value, got {len(values)}")
        setattr(mod, verb, values[0])
    elif verb in ("require", "exclude"):
        if len(values) != 2:
            raise fail(f"expected 'module/path version', got {brief(' '.join(args))}")
        path, version = values
        if not _VERSION.match(version):
            raise fail(f"{version!r} is not a Go module version (vMAJOR.MINOR.PATCH)")
        if verb == "require":
            mod.requires.append(Require(path, version, line, indirect))
        else:
            mod.excludes[(path, version)] = line
    elif verb == "replace":
        mod.replaces.append(_replace(values, args, line, fail))
    elif verb in _IGNORED:
        return
    else:
        mod.unknown.append((verb, line))


def _replace(
    values: list[str], args: list[str], line: int, fail: Callable[[str], InputError]
) -> Replace:
    if "=>" not in args:
        raise fail("expected 'old [version] => new [version]'")
    arrow = args.index("=>")
    left, right = values[:arrow], values[arrow + 1 :]
    if len(left) not in (1, 2) or len(right) not in (1, 2):
        raise fail("expected 'old [version] => new [version]'")
    for version in (*left[1:], *right[1:]):
        if not _VERSION.match(version):
            raise fail(f"{version!r} is not a Go module version (vMAJOR.MINOR.PATCH)")
    new = right[0]
    if len(right) == 1 and not _is_local(new):
        raise fail(
            f"replacement {new!r} has no version, so it must be a directory (./dir, ../dir or an "
            "absolute path)"
        )
    return Replace(
        left[0],
        left[1] if len(left) == 2 else None,
        new,
        right[1] if len(right) == 2 else None,
        line,
    )


def _is_local(path: str) -> bool:
    return (
        path.startswith(("./", "../", "/", ".\\", "..\\"))
        or path in (".", "..")
        or re.match(r"^[A-Za-z]:[\\/]", path) is not None
    )


# -- go.sum ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SumLine:
    path: str
    version: str
    go_mod_only: bool
    line: int


def parse_go_sum(text: str, display: str) -> list[SumLine]:
    entries = []
    for number, raw in enumerate(text.splitlines(), start=1):
        fields = raw.split()
        if not fields:
            continue
        if len(fields) != 3 or not fields[2].startswith(("h1:", "h")) or ":" not in fields[2]:
            raise InputError(
                f"malformed go.sum line {brief(raw.strip())} (expected 'module version h1:hash')",
                source=display,
                location=str(number),
            )
        path, version, _ = fields
        go_mod_only = version.endswith("/go.mod")
        version = version.removesuffix("/go.mod")
        if not _VERSION.match(version):
            raise InputError(
                f"{version!r} is not a Go module version", source=display, location=str(number)
            )
        entries.append(SumLine(path, version, go_mod_only, number))
    return entries


# -- collecting ----------------------------------------------------------------------------------


def _sibling_display(display: str, name: str) -> str:
    head, slash, _ = display.rpartition("/")
    return f"{head}{slash}{name}"


def collect_go_mod(spec: InputSpec) -> Collected:
    """The modules a go.mod requires, cross-checked with the go.sum beside it when there is one."""
    collector = InputKind.GO_MOD.value
    text, file = read_input(spec.path, display=spec.display, kind=collector)
    mod = parse_go_mod(text, spec.display)
    if mod.module is None and not mod.requires:
        raise InputError(
            "expected a go.mod: there is no 'module' directive",
            source=spec.display,
            hint="check the file and its 'kind' in the configuration",
        )
    files: list[InputFile] = [file]
    sums: dict[tuple[str, str], SumLine] | None = None
    sum_path = spec.path.with_name("go.sum")
    sum_display = _sibling_display(spec.display, "go.sum")
    if sum_path.is_file():
        sum_text, sum_file = read_input(sum_path, display=sum_display, kind=InputKind.GO_SUM.value)
        files.append(sum_file)
        sums = {}
        for entry in parse_go_sum(sum_text, sum_display):
            sums.setdefault((entry.path, entry.version), entry)
    components, notes = _components(mod, spec.display, collector, sums, sum_display)
    return Collected(components, tuple(sorted(notes)), tuple(sorted(files)))


def collect_go_sum(spec: InputSpec) -> Collected:
    """A go.sum: read with its go.mod when there is one beside it, else alone."""
    go_mod = spec.path.with_name("go.mod")
    if go_mod.is_file():
        return collect_go_mod(
            InputSpec(
                InputKind.GO_MOD,
                go_mod,
                _sibling_display(spec.display, "go.mod"),
                include_dev=spec.include_dev,
                root=spec.root,
            )
        )
    collector = InputKind.GO_SUM.value
    text, file = read_input(spec.path, display=spec.display, kind=collector)
    entries = parse_go_sum(text, spec.display)
    if not entries:
        raise InputError(
            "empty go.sum and no go.mod beside it: nothing says which modules are built",
            source=spec.display,
            hint="give the module's go.mod",
        )
    chosen: dict[tuple[str, str], SumLine] = {}
    for entry in entries:
        if not entry.go_mod_only:
            chosen.setdefault((entry.path, entry.version), entry)
    components = tuple(
        sorted(
            (
                _component(path, version, Origin(collector, spec.display, entry.line), ())
                for (path, version), entry in chosen.items()
            ),
            key=lambda c: (c.bom_ref, c.name),
        )
    )
    versions: dict[str, int] = {}
    for path, _ in chosen:
        versions[path] = versions.get(path, 0) + 1
    several = sorted(p for p, n in versions.items() if n > 1)
    message = (
        f"read without a go.mod: all {len(components)} module versions with a source checksum "
        "are inventoried; go.sum keeps checksums of versions the build may no longer select"
    )
    if several:
        message += f" ({len(several)} module(s) appear at several versions: {', '.join(several)})"
    note = Diagnostic(
        code="go-sum-without-go-mod",
        message=message + "; give the go.mod for the exact build list",
        level=DiagnosticLevel.INFO,
        path=spec.display,
    )
    return Collected(components, (note,), (file,))


def _component(
    path: str, version: str | None, origin: Origin, properties: tuple[tuple[str, str], ...]
) -> Component:
    return Component(
        name=path,
        version=version,
        component_class=ComponentClass.HOST,
        ecosystem=ECOSYSTEM,
        purl=module_purl(path, version),
        origins=(origin,),
        properties=tuple(sorted(properties)),
    )


def _components(
    mod: GoMod,
    display: str,
    collector: str,
    sums: dict[tuple[str, str], SumLine] | None,
    sum_display: str,
) -> tuple[tuple[Component, ...], list[Diagnostic]]:
    notes: list[Diagnostic] = []
    exact = {(r.old, r.old_version): r for r in mod.replaces if r.old_version is not None}
    wildcard = {r.old: r for r in mod.replaces if r.old_version is None}
    made: dict[tuple[str, str | None], Component] = {}
    missing: list[str] = []
    for req in mod.requires:
        if req.path == mod.module:
            continue
        origin = Origin(collector, display, req.line)
        properties: list[tuple[str, str]] = []
        if req.indirect:
            properties.append((PROP_INDIRECT, "true"))
        if (req.path, req.version) in mod.excludes:
            notes.append(
                Diagnostic(
                    code="go-required-version-excluded",
                    message=(
                        f"{req.path} {req.version} is required but excluded (line "
                        f"{mod.excludes[(req.path, req.version)]}); Go builds the next version "
                        "instead, which go.mod does not name"
                    ),
                    level=DiagnosticLevel.WARNING,
                    path=display,
                    line=req.line,
                )
            )
        replace = exact.get((req.path, req.version)) or wildcard.get(req.path)
        path: str = req.path
        version: str | None = req.version
        spec_text: str | None = None
        if replace is not None and replace.new_version is None:
            version = None
            spec_text = f"{req.version}, replaced by the directory {replace.new}"
            properties.append((PROP_REPLACED_BY, replace.new))
            notes.append(
                Diagnostic(
                    code="no-exact-version",
                    message=(
                        f"{req.path}: cannot be assessed: go.mod replaces it with the local "
                        f"directory {replace.new} (line {replace.line}), whose code is whatever "
                        "that directory holds"
                    ),
                    level=DiagnosticLevel.WARNING,
                    path=display,
                    line=req.line,
                    component=module_purl(req.path, None),
                )
            )
        elif replace is not None:
            path, version = replace.new, replace.new_version
            properties.append((PROP_REPLACES, f"{req.path} {req.version}"))
        if sums is not None and version is not None and (path, version) not in sums:
            missing.append(f"{path} {version}")
        component = _component(path, version, origin, tuple(properties))
        if spec_text:
            component = dataclasses.replace(component, version_spec=spec_text)
        key = (path, version)
        previous = made.get(key)
        if previous is not None:
            component = dataclasses.replace(
                previous,
                origins=tuple(sorted({*previous.origins, origin})),
                properties=tuple(sorted({*previous.properties, *component.properties})),
            )
        made[key] = component
    if missing:
        notes.append(
            Diagnostic(
                code="go-sum-missing",
                message=(
                    f"{sum_display} has no checksum for {len(missing)} module version(s) go.mod "
                    f"requires: {', '.join(sorted(missing))} (run 'go mod tidy'; the build "
                    "downloads them unverified or fails)"
                ),
                level=DiagnosticLevel.WARNING,
                path=sum_display,
            )
        )
    for verb, line in mod.unknown:
        notes.append(
            Diagnostic(
                code="go-mod-unknown-directive",
                message=f"unknown go.mod directive {verb!r} was ignored",
                level=DiagnosticLevel.WARNING,
                path=display,
                line=line,
            )
        )
    if mod.go or mod.toolchain:
        wanted = mod.toolchain or f"go{mod.go}"
        notes.append(
            Diagnostic(
                code="go-stdlib-not-inventoried",
                message=(
                    f"the Go standard library is compiled into the module but is not in go.mod; "
                    f"go.mod asks for {wanted} or newer: declare the toolchain that builds the "
                    "product in the SOUP register (pkg:golang/stdlib@<version>) so that it is "
                    "assessed"
                ),
                level=DiagnosticLevel.INFO,
                path=display,
            )
        )
    components = tuple(sorted(made.values(), key=lambda c: (c.bom_ref, c.name)))
    return components, notes


__all__ = ["collect_go_mod", "collect_go_sum", "module_purl", "parse_go_mod", "parse_go_sum"]
