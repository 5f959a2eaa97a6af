"""Vendored sources: third-party components found from the version they declare in their files.

``claim`` decides from a file's name (and, for common names such as ``task.h``, ``Makefile`` or
``*.js``, from its first bytes) whether it is a version-declaring file of a catalogue component;
the rules live in ``source_rules.py``. ``collect_firmware_source`` reads the start of the file
(never the whole of a large one), applies the rules and returns one component per version found,
each with the line and text that state it.

What it does not silently resolve:

- a component's file whose version cannot be read (macro missing, binary bytes, a development
  value such as ``V11.1.0+``) gives the component with no version and a ``no-exact-version``
  diagnostic (a "known unknown"); the declared text is kept as its version spec;
- one file that states two different versions gives both, and a ``conflicting-evidence``
  diagnostic on each.

Each component carries the property ``mdrgate:firmware:component-root``: the directory that holds
the component (for Mbed TLS the one with ``include/`` and ``library/``, for the FreeRTOS kernel the
one with ``include/`` and ``tasks.c``), derived from where the file sits in the component's own
layout (``SourceRule.layouts``), else the file's directory. A linker map naming objects under that
directory shows the component was compiled in.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from mdrgate.collect.base import COMPONENT_ROOT, Collected, InputKind, InputSpec
from mdrgate.collect.firmware.source_rules import (
    ARDUINO_LIBRARY,
    CLAIM_HEAD,
    PATTERNED,
    PATTERNED_SUFFIXES,
    Declaration,
    SourceRule,
    by_name,
    pattern,
)
from mdrgate.model import Component, Diagnostic, DiagnosticLevel, InputFile, Origin

if TYPE_CHECKING:
    from mdrgate.collect.firmware.catalogue import ComponentDef

COLLECTOR = "firmware-source"
DIGEST_LIMIT = 16 * 1024 * 1024
"""Files up to this size are digested whole for the evidence; a larger file named like a version
header is digested (and read) only as far as its rules look, and reported."""
_TEXT_LIMIT = 120


def candidates(path: Path) -> tuple[SourceRule, ...]:
    """The rules whose file names and path suffixes ``path`` has (nothing is read)."""
    name = path.name
    rules = list(by_name().get(name, ()))
    if path.suffix in PATTERNED_SUFFIXES:
        rules.extend(r for r in PATTERNED if r.name_pattern and re.fullmatch(r.name_pattern, name))
    if not rules:
        return ()
    posix = path.as_posix()
    return tuple(
        r for r in rules if not r.suffixes or any(_ends_with(posix, s) for s in r.suffixes)
    )


def _ends_with(posix: str, suffix: str) -> bool:
    return posix == suffix or posix.endswith("/" + suffix)


def claim(path: Path) -> InputKind | None:
    """``FIRMWARE_SOURCE`` when the file is a version-declaring file of a known component."""
    rules = candidates(path)
    if not rules:
        return None
    reader = _HeadReader(path)
    for rule in rules:
        if _identifies(rule, path, reader):
            return InputKind.FIRMWARE_SOURCE
    return None


class _HeadReader:
    """Reads the start of a file once, growing the read only when a rule needs more."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data = b""
        self.size: int | None = None
        self.failed = False

    def head(self, limit: int) -> bytes | None:
        if self.failed:
            return None
        if len(self.data) < limit and (self.size is None or len(self.data) < self.size):
            try:
                with self.path.open("rb") as handle:
                    self.size = os.fstat(handle.fileno()).st_size
                    self.data = handle.read(limit)
            except OSError:
                self.failed = True
                return None
        return self.data[:limit]


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace").replace("\r\n", "\n")


def _markers(rule: SourceRule) -> tuple[str, ...]:
    """What proves a file is the rule's: its marker, or (banner rules) a declaration itself."""
    if rule.marker is not None:
        return (rule.marker,)
    if rule.name_pattern is not None:
        return tuple(p for d in rule.declarations for _, p in d.parts)
    return ()


def _identifies(rule: SourceRule, path: Path, reader: _HeadReader) -> bool:
    """Whether the file is the rule's component's (cheap checks first; strict names need none)."""
    if rule.siblings and not any((path.parent / s).exists() for s in rule.siblings):
        return False
    markers = _markers(rule)
    if markers:
        head = reader.head(min(CLAIM_HEAD, rule.head))
        if head is None:
            return False
        text = _text(head)
        if not any(pattern(m).search(text) for m in markers):
            return False
    if rule.confirm is None and rule.reject is None:
        return True
    data = reader.head(rule.head)
    if data is None:
        return False
    text = _text(data)
    if rule.confirm is not None and not pattern(rule.confirm).search(text):
        return False
    return rule.reject is None or not pattern(rule.reject).search(text)


@dataclass(frozen=True, slots=True)
class _Statement:
    """One declared version: its value and where it is."""

    value: str
    line: int
    text: str
    what: str


@dataclass(frozen=True, slots=True)
class _Unreadable:
    """A declaration that was found but does not give a version (a FatFs revision not known)."""

    line: int
    text: str
    what: str
    value: str


def collect_firmware_source(spec: InputSpec) -> Collected:
    """The components a claimed file declares; only its start is read (``SourceRule.head``)."""
    from mdrgate.errors import InputError

    rules = candidates(spec.path)
    limit = max((r.head for r in rules), default=CLAIM_HEAD)
    try:
        with spec.path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            data = handle.read(limit)
            whole = size <= DIGEST_LIMIT
            file = _digest(handle, data, size, spec, whole=whole)
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror or exc}", source=spec.display) from None
    diagnostics: list[Diagnostic] = []
    if not whole:
        diagnostics.append(
            Diagnostic(
                code="large-source-file",
                message=(
                    f"{spec.display} is {size} bytes, far larger than any version-declaring "
                    f"source file; only its first {len(data)} bytes were read and digested"
                ),
                level=DiagnosticLevel.WARNING,
                path=spec.display,
            )
        )
    reader = _HeadReader(spec.path)
    reader.data, reader.size = data, size
    components: list[Component] = []
    for rule in rules:
        if not _identifies(rule, spec.path, reader):
            continue
        found, notes = _apply(rule, data[: rule.head], spec)
        components.extend(found)
        diagnostics.extend(notes)
    if not components and spec.root is None:
        # Given by hand (a configuration's `kind: firmware-source`, or a path on the command
        # line): saying nothing would look as if the file had been assessed.
        diagnostics.append(
            Diagnostic(
                code="no-version-declaration",
                message=(
                    f"{spec.display} declares the version of no component mdrgate knows; nothing "
                    "was inventoried from it (list the component in the SOUP register instead)"
                ),
                level=DiagnosticLevel.WARNING,
                path=spec.display,
            )
        )
    return Collected(tuple(components), tuple(diagnostics), (file,))


def _digest(handle: BinaryIO, data: bytes, size: int, spec: InputSpec, *, whole: bool) -> InputFile:
    """The file's sha256, streamed; of the part read only, when the file is too large."""
    import hashlib

    sha = hashlib.sha256(data)
    if not whole:
        scope = (("digest-scope", f"first {len(data)} bytes of {size}"),)
        return InputFile(spec.display, spec.kind.value, sha.hexdigest(), scope)
    for block in iter(lambda: handle.read(1 << 16), b""):
        sha.update(block)
    return InputFile(path=spec.display, kind=spec.kind.value, sha256=sha.hexdigest())


def _apply(
    rule: SourceRule, data: bytes, spec: InputSpec
) -> tuple[list[Component], list[Diagnostic]]:
    from mdrgate.collect.firmware.catalogue import by_id

    if rule.component == ARDUINO_LIBRARY:
        return _arduino_library(rule, data, spec)
    definition = by_id(rule.component)
    root = _component_root(spec.display, rule.layouts)
    make = _Maker(
        definition.name, spec, rule, root, lambda v, o, s: _catalogue(definition, v, o, s)
    )
    if b"\x00" in data:
        return make.unknown(
            1, None, f"is not a text file (NUL bytes within its first {len(data)} bytes)"
        )
    text = _text(data)
    statements, unreadable = _statements(rule.declarations, text)
    if not statements:
        if not unreadable and rule.defers and pattern(rule.defers).search(text):
            return [], []
        if unreadable:
            u = unreadable[0]
            return make.unknown(
                u.line,
                u.text,
                f"declares {u.value!r} ({u.what}), which mdrgate cannot translate into a release",
                spec_text=u.value,
            )
        looked = ", ".join(d.label for d in rule.declarations)
        return make.unknown(
            1, None, f"declares no version that could be read (looked for {looked})"
        )
    return make.from_statements(statements, unreadable)


def _catalogue(
    definition: ComponentDef, version: str | None, origin: Origin, spec: str | None
) -> Component:
    from mdrgate.collect.firmware.catalogue import make_component

    return make_component(definition, version, origin, version_spec=spec)


@dataclass
class _Maker:
    """Builds the components and diagnostics of one rule applied to one file."""

    name: str
    spec: InputSpec
    rule: SourceRule
    root: str
    build: Callable[[str | None, Origin, str | None], Component]

    def origin(self, line: int, text: str | None) -> Origin:
        return Origin(COLLECTOR, self.spec.display, line, text=text)

    def component(
        self, version: str | None, origins: Sequence[Origin], version_spec: str | None
    ) -> Component:
        built = self.build(version, origins[0], version_spec)
        return replace(
            built,
            origins=tuple(sorted(set(origins))),
            properties=tuple(sorted({*built.properties, (COMPONENT_ROOT, self.root)})),
        )

    def unknown(
        self, line: int, text: str | None, why: str, *, spec_text: str | None = None
    ) -> tuple[list[Component], list[Diagnostic]]:
        component = self.component(None, [self.origin(line, text)], spec_text)
        return [component], [self._no_exact(component, line, why)]

    def _no_exact(self, component: Component, line: int, why: str) -> Diagnostic:
        return Diagnostic(
            code="no-exact-version",
            message=(
                f"{self.spec.display}: {self.name} was found, but its file {why}; it is kept "
                "with no version and cannot be matched against vulnerability data"
            ),
            level=DiagnosticLevel.WARNING,
            path=self.spec.display,
            line=line,
            component=component.bom_ref,
        )

    def from_statements(
        self, statements: Sequence[_Statement], unreadable: Sequence[_Unreadable]
    ) -> tuple[list[Component], list[Diagnostic]]:
        by_value: dict[str, list[_Statement]] = {}
        for statement in sorted(statements, key=lambda s: s.line):
            by_value.setdefault(statement.value, []).append(statement)
        components: list[Component] = []
        notes: list[Diagnostic] = []
        for value, group in by_value.items():
            first = min(group, key=lambda s: s.line)
            origins = [self.origin(s.line, s.text) for s in group]
            exact = not self.rule.partial and re.fullmatch(self.rule.release, value) is not None
            component = self.component(value if exact else None, origins, None if exact else value)
            components.append(component)
            if not exact:
                why = self.rule.note or "is not a release version"
                notes.append(
                    self._no_exact(
                        component, first.line, f"declares {value!r} ({first.what}): {why}"
                    )
                )
        if len(by_value) > 1:
            listing = "; ".join(
                f"{value!r} at line {min(s.line for s in group)} ({group[0].what})"
                for value, group in by_value.items()
            )
            for component, group in zip(components, by_value.values(), strict=True):
                notes.append(
                    Diagnostic(
                        code="conflicting-evidence",
                        message=(
                            f"{self.spec.display} states {len(by_value)} different versions of "
                            f"{self.name}: {listing}"
                        ),
                        level=DiagnosticLevel.WARNING,
                        path=self.spec.display,
                        line=min(s.line for s in group),
                        component=component.bom_ref,
                    )
                )
        for u in unreadable:
            notes.append(
                Diagnostic(
                    code="unreadable-version-declaration",
                    message=(
                        f"{self.spec.display}: {u.what} {u.value!r} could not be translated "
                        f"into a {self.name} release; the other declarations were used"
                    ),
                    level=DiagnosticLevel.INFO,
                    path=self.spec.display,
                    line=u.line,
                )
            )
        return components, notes


def _statements(
    declarations: Sequence[Declaration], text: str
) -> tuple[list[_Statement], list[_Unreadable]]:
    statements: list[_Statement] = []
    unreadable: list[_Unreadable] = []
    for declaration in declarations:
        if len(declaration.parts) == 1:
            ((key, regex),) = declaration.parts
            for match in pattern(regex).finditer(text):
                _record(
                    declaration, {key: match.group(1)}, match.start(1), text, statements, unreadable
                )
            continue
        values: dict[str, str] = {}
        starts: list[int] = []
        for key, regex in declaration.parts:
            found = pattern(regex).search(text)
            if found is None:
                if key in declaration.optional:
                    values[key] = ""
                    continue
                break
            values[key] = found.group(1)
            starts.append(found.start(1))
        else:
            # The evidence is the first part's line (MAJOR, or OPENSSL_VERSION_STR).
            _record(declaration, values, starts[0], text, statements, unreadable)
    return statements, unreadable


def _record(
    declaration: Declaration,
    values: dict[str, str],
    start: int,
    text: str,
    statements: list[_Statement],
    unreadable: list[_Unreadable],
) -> None:
    line = text.count("\n", 0, start) + 1
    evidence = _evidence(text, start)
    value = declaration.build(values)
    if value is None or not value.strip():
        raw = " ".join(v for v in values.values() if v)
        unreadable.append(_Unreadable(line, evidence, declaration.label, raw))
        return
    statements.append(_Statement(value.strip(), line, evidence, declaration.label))


def _evidence(text: str, start: int) -> str:
    """The line holding ``start``, stripped; a window around it when the line is long."""
    begin = text.rfind("\n", 0, start) + 1
    end = text.find("\n", start)
    line = text[begin : end if end != -1 else len(text)]
    stripped = line.strip()
    if len(stripped) <= _TEXT_LIMIT:
        return stripped
    offset = start - begin
    window = line[max(0, offset - 40) : offset + _TEXT_LIMIT - 40]
    return window.strip()


def _component_root(display: str, layouts: Sequence[str]) -> str:
    """The directory that holds the component, from where the file sits in its layout."""
    path = display.replace("\\", "/")
    for layout in layouts:
        if path == layout:
            return "."
        if path.endswith("/" + layout):
            return path[: -len(layout) - 1]
    return path.rsplit("/", 1)[0] if "/" in path else "."


# --- Arduino library.properties ----------------------------------------------------------------

_PROPERTY = re.compile(r"^([A-Za-z_.]+)=(.*?)\s*$", re.MULTILINE)


def _arduino_library(
    rule: SourceRule, data: bytes, spec: InputSpec
) -> tuple[list[Component], list[Diagnostic]]:
    """A library.properties: the library, as its own package, unless the catalogue knows it as
    published by the component's authors (ArduinoJson's own library.properties)."""
    from mdrgate.collect.firmware.catalogue import by_id

    text = _text(data)
    properties: dict[str, tuple[str, int]] = {}
    for match in _PROPERTY.finditer(text):
        key, value = match.group(1), match.group(2)
        properties.setdefault(key, (value, text.count("\n", 0, match.start()) + 1))
    name = properties.get("name", ("", 0))[0].strip()
    root = _component_root(spec.display, rule.layouts)
    upstream = {library.lower(): cid for library, cid in rule.extra}
    if name.lower() in upstream:
        definition = by_id(upstream[name.lower()])
        make = _Maker(
            definition.name, spec, rule, root, lambda v, o, s: _catalogue(definition, v, o, s)
        )
    else:
        supplier = _person(properties.get("maintainer", properties.get("author", ("", 0)))[0])
        repository = properties.get("repository", ("", 0))[0].strip()
        make = _Maker(
            name, spec, rule, root, lambda v, o, s: _arduino(name, supplier, repository, v, o, s)
        )
    statements, unreadable = _statements(rule.declarations, text)
    if not statements:
        return make.unknown(1, None, "declares no version= that could be read")
    return make.from_statements(statements[:1], unreadable)


def _person(text: str) -> str | None:
    """``Arduino <info@arduino.cc>`` → ``Arduino``."""
    person = re.sub(r"\s*<[^>]*>", "", text).strip()
    return person or None


def _arduino(
    name: str,
    supplier: str | None,
    repository: str,
    version: str | None,
    origin: Origin,
    version_spec: str | None,
) -> Component:
    # The purl spec has no type for Arduino (or PlatformIO) libraries (a `platformio` type is
    # only proposed, platformio-core#5371): pkg:generic/<name as declared>, with the declared
    # repository as vcs_url so that two libraries of one name stay apart.
    from packageurl import PackageURL

    from mdrgate.model import ComponentClass

    qualifiers = {"vcs_url": f"git+{repository}"} if re.match(r"https?://", repository) else {}
    purl = PackageURL(type="generic", name=name, version=version, qualifiers=qualifiers)
    return Component(
        name=name,
        version=version,
        component_class=ComponentClass.FIRMWARE,
        purl=purl.to_string(),
        supplier=supplier,
        origins=(origin,),
        version_spec=version_spec,
        description="Arduino library (library.properties)",
    )
