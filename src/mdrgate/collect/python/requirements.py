"""pip requirements files (``requirements.txt``): pins, hashes, includes, constraints, markers.

What we chose, where pip leaves room:

- Every requirement is kept whatever its environment marker says: we do not know the interpreter
  the device runs, so ``foo==1; python_version < "3.9"`` is inventoried and the marker recorded.
- Only ``==`` without a wildcard and ``===`` give an exact version. Anything else (``>=``, ``~=``,
  ``==1.*``, no specifier, VCS, URL, local path) becomes a component with ``version=None`` and a
  ``no-exact-version`` warning, unless a constraint or another line pins it (next point).
- ``-c`` constraint files add no component. A constraint ``==`` pin (or a pin on another line of the
  same input) gives its version to an unpinned requirement whose specifier it satisfies, the way pip
  would install it; the component records ``mdrgate:python:pinned-by``. A pinned requirement that a
  constraint pins to another version is a ``constraint-conflict`` warning (pip would refuse it).
- A wheel or sdist named by URL or path gives its version from its file name (the name in the file
  name must match the declared one); a VCS reference never does (a branch or tag is not a version).
- ``-r``/``-c`` paths are relative to the including file; a cycle is an error naming the chain;
  remote includes (``-r https://...``) are refused because the gate runs offline. ``.`` (the project
  itself) is not a third-party component: it is skipped with a warning because the dependencies it
  declares are not in this file.
- ``${VAR}`` references are not expanded: the inventory must not depend on the CI environment.
- Credentials in URLs (``https://user:token@host/...``) are removed before they reach the SBOM.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion

from mdrgate.collect.base import (
    Collected,
    InputKind,
    InputSpec,
    not_a_regular_file,
    read_input,
)
from mdrgate.collect.python.package import (
    PROP_EDITABLE,
    PROP_EXTRAS,
    PROP_MARKER,
    PROP_PINNED_BY,
    PROP_SOURCE,
    PROP_VERSION_FROM,
    PackageSet,
    parse_hash,
    redact_url,
)
from mdrgate.collect.python.sniff import describe
from mdrgate.errors import InputError
from mdrgate.model import Diagnostic, DiagnosticLevel, Hash, InputFile

COLLECTOR = InputKind.REQUIREMENTS.value

_COMMENT = re.compile(r"(^|\s+)#.*$")
_VCS = re.compile(r"^(?:git|hg|svn|bzr)\+", re.IGNORECASE)
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_NAMED_URL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\s*(?:\[[^\]]*\])?\s*@")
_EDITABLE = re.compile(r"^(?:-e|--editable)(?:=|\s+)?(.*)$", re.DOTALL)
_ARCHIVE = (".whl", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tar.xz", ".txz", ".tar", ".zip")

# Options pip accepts on a line of their own; they change how pip finds packages, not which.
_GLOBAL_WITH_VALUE = frozenset(
    {
        "-i",
        "--index-url",
        "--extra-index-url",
        "-f",
        "--find-links",
        "--no-binary",
        "--only-binary",
        "--trusted-host",
        "--use-feature",
        "--config-settings",
        "--global-option",
    }
)
_GLOBAL_FLAGS = frozenset({"--no-index", "--pre", "--prefer-binary", "--require-hashes"})
# Options pip accepts after a requirement on the same line.
_PER_REQUIREMENT_WITH_VALUE = frozenset(
    {"--config-settings", "--global-option", "--install-option"}
)


@dataclass(frozen=True, slots=True)
class Include:
    """``-r FILE`` (``constraint=False``) or ``-c FILE`` (``constraint=True``)."""

    target: str
    constraint: bool


@dataclass(frozen=True, slots=True)
class Declared:
    """One requirement as a line declares it, before pins from elsewhere are applied."""

    name: str
    version: str | None
    """Exact version when the line pins one (``==`` without wildcard, ``===``, a wheel name)."""
    version_spec: str | None = None
    """What was declared when there is no exact version: a specifier, URL or path."""
    specifier: SpecifierSet | None = None
    """The specifier of a named requirement (for applying constraint pins), else ``None``."""
    extras: tuple[str, ...] = ()
    marker: str | None = None
    source: str | None = None
    hashes: tuple[Hash, ...] = ()
    editable: bool = False
    version_from_filename: bool = False
    is_project: bool = False
    """``.``: the project itself, not a third-party component."""


Parsed = Include | Declared | None


class LineError(ValueError):
    """A requirement line pip would not accept; the message says why."""


def logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """``(first physical line number, text)`` of each logical line, joined and without comments.

    As pip does: a line ending in ``\\`` continues on the next unless it is a comment line; a ``#``
    at the start or after whitespace starts a comment (so URL fragments like ``#egg=`` survive).
    """
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), 1):
        if raw.endswith("\\") and not _COMMENT.match(raw):
            if not pending:
                start = number
            pending.append(raw.strip("\\"))
            continue
        if pending:
            pending.append(raw)
            joined, first = "".join(pending), start
            pending = []
        else:
            joined, first = raw, number
        stripped = _COMMENT.sub("", joined).strip()
        if stripped:
            yield first, stripped
    if pending:
        stripped = _COMMENT.sub("", "".join(pending)).strip()
        if stripped:
            yield start, stripped


def parse_line(text: str) -> Parsed:
    """Parse one logical line: an include, a requirement, or ``None`` for a global option.

    Raises ``LineError`` for anything pip would reject.
    """
    if text.startswith("-"):
        return _parse_option_line(text)
    tokens = text.split()
    for index, token in enumerate(tokens):
        if token.startswith("-"):
            requirement = " ".join(tokens[:index])
            options = " ".join(tokens[index:])
            break
    else:
        requirement, options = text, ""
    hashes = _parse_requirement_options(options) if options else ()
    declared = _parse_requirement(requirement, editable=False)
    if hashes:
        declared = _with_hashes(declared, hashes)
    return declared


def collect_requirements(spec: InputSpec) -> Collected:
    reader = _Reader(spec)
    reader.read(spec.path.absolute(), spec.display, constraint=False, chain=())
    return reader.result()


# --------------------------------------------------------------------------------------------
# Reading files and includes


@dataclass
class _Line:
    declared: Declared
    path: str
    line: int


@dataclass
class _Reader:
    spec: InputSpec
    requirements: list[_Line] = field(default_factory=list)
    constraints: list[_Line] = field(default_factory=list)
    files: dict[str, InputFile] = field(default_factory=dict)
    notes: list[Diagnostic] = field(default_factory=list)
    seen: set[tuple[Path, bool]] = field(default_factory=set)

    def read(
        self, path: Path, display: str, *, constraint: bool, chain: tuple[tuple[Path, str], ...]
    ) -> None:
        key = (_normpath(path), constraint)
        if key in self.seen:
            return
        self.seen.add(key)
        text, file = read_input(path, display=display, kind=self.spec.kind.value)
        self.files.setdefault(file.path, file)
        here = (*chain, (key[0], display))
        for number, line in logical_lines(text):
            try:
                parsed = parse_line(line)
            except LineError as exc:
                raise self._line_error(text, display, number, line, str(exc)) from None
            if parsed is None:
                continue
            if isinstance(parsed, Include):
                self._include(parsed, path, display, number, here, constraint=constraint)
                continue
            target = self.constraints if constraint else self.requirements
            target.append(_Line(parsed, display, number))

    def _include(
        self,
        include: Include,
        including: Path,
        display: str,
        number: int,
        chain: tuple[tuple[Path, str], ...],
        *,
        constraint: bool,
    ) -> None:
        option = "-c" if include.constraint else "-r"
        if _URL.match(include.target):
            raise InputError(
                f"{option} {include.target}: remote requirement files are not fetched "
                "(mdrgate runs offline)",
                source=display,
                location=str(number),
                hint="download the file into the repository and include it by path",
            )
        target = Path(include.target).expanduser()
        resolved = target if target.is_absolute() else including.parent / target
        shown = (
            target.as_posix()
            if target.is_absolute()
            else posixpath.normpath(posixpath.join(posixpath.dirname(display), include.target))
        )
        normalized = _normpath(resolved)
        for seen_path, _ in chain:
            if seen_path == normalized:
                names = " → ".join([*(d for _, d in chain), shown])
                raise InputError(
                    f"{option} {include.target} makes an include cycle: {names}",
                    source=display,
                    location=str(number),
                )
        problem = not_a_regular_file(resolved)
        if problem is not None:
            raise InputError(
                f"{option} {include.target}: the included file {problem} (looked for {shown})",
                source=display,
                location=str(number),
            )
        # pip: "-r" inside a constraints file reads requirements, "-c" inside any file constraints.
        self.read(resolved, shown, constraint=include.constraint, chain=chain)

    def _line_error(
        self, text: str, display: str, number: int, line: str, reason: str
    ) -> InputError:
        looks_like = describe(text)
        if looks_like is not None and not looks_like.startswith("a pip requirements"):
            return InputError(
                f"expected a pip requirements file, but this looks like {looks_like}",
                source=display,
                hint="check the file and its 'kind' in the configuration",
            )
        return InputError(f"{reason}: {line!r}", source=display, location=str(number))

    def result(self) -> Collected:
        packages = PackageSet(COLLECTOR)
        pins = _pins(self.requirements, self.constraints)
        for entry in self.requirements:
            declared = entry.declared
            if declared.is_project:
                self.notes.append(_project_skipped(entry))
                continue
            version, pinned_by = declared.version, None
            if version is None and declared.specifier is not None:
                version, pinned_by = _pin_for(declared, pins)
            properties = _properties(declared)
            if pinned_by is not None:
                properties.append((PROP_PINNED_BY, pinned_by))
            packages.add(
                declared.name,
                version,
                path=entry.path,
                line=entry.line,
                version_spec=declared.version_spec,
                hashes=declared.hashes,
                properties=properties,
            )
        self.notes.extend(_constraint_conflicts(self.requirements, self.constraints))
        self.notes.extend(packages.diagnostics())
        return Collected(
            components=packages.components(),
            diagnostics=tuple(sorted(set(self.notes))),
            files=tuple(sorted(self.files.values())),
        )


def _normpath(path: Path) -> Path:
    return Path(posixpath.normpath(path.absolute().as_posix()))


# --------------------------------------------------------------------------------------------
# Pins from constraints and other lines


def _pins(requirements: list[_Line], constraints: list[_Line]) -> dict[str, list[tuple[str, str]]]:
    """Exact pins by PEP 503 name: ``(version, "file:line")``, constraints first."""
    pins: dict[str, list[tuple[str, str]]] = {}
    for entry in [*constraints, *requirements]:
        declared = entry.declared
        if declared.version is not None and not declared.version_from_filename:
            pins.setdefault(canonicalize_name(declared.name), []).append(
                (declared.version, f"{entry.path}:{entry.line}")
            )
    return pins


def _pin_for(
    declared: Declared, pins: dict[str, list[tuple[str, str]]]
) -> tuple[str | None, str | None]:
    """The one pinned version that satisfies ``declared``'s specifier, if exactly one does."""
    assert declared.specifier is not None
    matching: dict[str, str] = {}
    for version, where in pins.get(canonicalize_name(declared.name), []):
        if declared.specifier.contains(version, prereleases=True):
            matching.setdefault(version, where)
    if len(matching) != 1:
        return None, None
    ((version, where),) = matching.items()
    return version, where


def _constraint_conflicts(requirements: list[_Line], constraints: list[_Line]) -> list[Diagnostic]:
    pinned: dict[str, list[_Line]] = {}
    for entry in constraints:
        if entry.declared.version is not None:
            pinned.setdefault(canonicalize_name(entry.declared.name), []).append(entry)
    notes = []
    for entry in requirements:
        declared = entry.declared
        if declared.version is None:
            continue
        for constraint in pinned.get(canonicalize_name(declared.name), []):
            if constraint.declared.version != declared.version:
                notes.append(
                    Diagnostic(
                        code="constraint-conflict",
                        message=(
                            f"{declared.name} is pinned to {declared.version} here but "
                            f"constrained to {constraint.declared.version} at "
                            f"{constraint.path}:{constraint.line}; pip would refuse to install "
                            "this combination"
                        ),
                        level=DiagnosticLevel.WARNING,
                        path=entry.path,
                        line=entry.line,
                    )
                )
    return notes


def _project_skipped(entry: _Line) -> Diagnostic:
    return Diagnostic(
        code="local-project-skipped",
        message=(
            f"'{entry.declared.version_spec}' installs the project itself from source; it is not a "
            "third-party component, and the dependencies it declares are not in this file, so they "
            "are not inventoried from here (use a lock file or the installed environment)"
        ),
        level=DiagnosticLevel.WARNING,
        path=entry.path,
        line=entry.line,
    )


def _properties(declared: Declared) -> list[tuple[str, str]]:
    properties = []
    if declared.marker:
        properties.append((PROP_MARKER, declared.marker))
    if declared.extras:
        properties.append((PROP_EXTRAS, ",".join(declared.extras)))
    if declared.source:
        properties.append((PROP_SOURCE, declared.source))
    if declared.editable:
        properties.append((PROP_EDITABLE, "true"))
    if declared.version_from_filename:
        properties.append((PROP_VERSION_FROM, "filename"))
    return properties


# --------------------------------------------------------------------------------------------
# Parsing one line


def _parse_option_line(text: str) -> Parsed:
    editable = _EDITABLE.match(text)
    if editable is not None:
        target = editable.group(1).strip()
        if not target:
            raise LineError("-e needs a path or VCS URL")
        return _parse_requirement(target, editable=True)
    try:
        tokens = shlex.split(text, comments=False, posix=True)
    except ValueError as exc:
        raise LineError(f"cannot split the options ({exc})") from None
    index = 0
    while index < len(tokens):
        token = tokens[index]
        option, value = _split_option(token, tokens, index)
        if option in ("-r", "--requirement", "-c", "--constraint"):
            if value is None:
                raise LineError(f"{option} needs a file name")
            return Include(value, constraint=option in ("-c", "--constraint"))
        if option in _GLOBAL_WITH_VALUE:
            if value is None:
                raise LineError(f"{option} needs a value")
            index += 1 if "=" in token or _attached(token) else 2
            continue
        if option in _GLOBAL_FLAGS:
            index += 1
            continue
        if option == "--hash":
            raise LineError("--hash must follow a requirement on the same line")
        raise LineError(f"unknown option {option}")
    return None


def _attached(token: str) -> bool:
    """``-rfile.txt`` style: a short option with its value attached."""
    return len(token) > 2 and token[0] == "-" and token[1] != "-"


def _split_option(token: str, tokens: list[str], index: int) -> tuple[str, str | None]:
    if token.startswith("--"):
        name, sep, value = token.partition("=")
        if sep:
            return name, value
        return name, tokens[index + 1] if index + 1 < len(tokens) else None
    if _attached(token):
        return token[:2], token[2:]
    return token, tokens[index + 1] if index + 1 < len(tokens) else None


def _parse_requirement_options(options: str) -> tuple[Hash, ...]:
    try:
        tokens = shlex.split(options, comments=False, posix=True)
    except ValueError as exc:
        raise LineError(f"cannot split the options ({exc})") from None
    hashes: list[Hash] = []
    index = 0
    while index < len(tokens):
        option, value = _split_option(tokens[index], tokens, index)
        step = 1 if "=" in tokens[index] else 2
        if option == "--hash":
            if value is None:
                raise LineError("--hash needs a value like sha256:<hex>")
            try:
                parsed = parse_hash(value)
            except ValueError as exc:
                raise LineError(f"--hash {value}: {exc}") from None
            if parsed is None or parsed.algorithm == "MD5":
                raise LineError(
                    f"--hash {value}: pip accepts only sha256, sha384 and sha512 digests"
                )
            hashes.append(parsed)
        elif option in _PER_REQUIREMENT_WITH_VALUE:
            if value is None:
                raise LineError(f"{option} needs a value")
        else:
            raise LineError(f"unknown option {option} after a requirement")
        index += step
    return tuple(hashes)


def _with_hashes(declared: Declared, hashes: tuple[Hash, ...]) -> Declared:
    return Declared(
        name=declared.name,
        version=declared.version,
        version_spec=declared.version_spec,
        specifier=declared.specifier,
        extras=declared.extras,
        marker=declared.marker,
        source=declared.source,
        hashes=hashes,
        editable=declared.editable,
        version_from_filename=declared.version_from_filename,
        is_project=declared.is_project,
    )


def _looks_like_location(text: str) -> bool:
    head = text.split(";", 1)[0].strip()
    if _VCS.match(head) or _URL.match(head):
        return True
    if _NAMED_URL.match(head):
        return False
    if head.startswith((".", "/", "~")) or "/" in head or "\\" in head:
        return True
    bare = re.sub(r"\[[^\]]*\]$", "", head).lower()
    return bare.endswith(_ARCHIVE)


def _parse_requirement(text: str, *, editable: bool) -> Declared:
    if editable or _looks_like_location(text):
        return _parse_location(text, editable=editable)
    try:
        req = Requirement(text)
    except InvalidRequirement as exc:
        reason = str(exc).splitlines()[0] if str(exc) else "not a requirement"
        raise LineError(f"invalid requirement ({reason})") from None
    extras = tuple(sorted(req.extras))
    marker = str(req.marker) if req.marker else None
    if req.url:
        return _from_url(req.name, req.url, extras=extras, marker=marker, editable=False)
    version = _exact_version(req.specifier)
    spec_text = str(req.specifier) or None
    return Declared(
        name=req.name,
        version=version,
        version_spec=None if version is not None else spec_text,
        specifier=req.specifier if version is None else None,
        extras=extras,
        marker=marker,
    )


def _exact_version(specifier: SpecifierSet) -> str | None:
    exact = {
        s.version
        for s in specifier
        if s.operator == "===" or (s.operator == "==" and not s.version.endswith(".*"))
    }
    return exact.pop() if len(exact) == 1 else None


def _parse_location(text: str, *, editable: bool) -> Declared:
    """A VCS URL, archive URL or local path, possibly with ``[extras]`` and ``; markers``."""
    is_url = bool(_VCS.match(text) or _URL.match(text))
    location, marker = text, None
    separator = "; " if is_url else ";"
    if separator in text:
        location, _, marker_text = text.partition(separator)
        marker = _parse_marker(marker_text.strip())
    location = location.strip()
    extras: tuple[str, ...] = ()
    extras_match = re.search(r"\[([^\]]*)\]$", location)
    if extras_match and not is_url:
        extras = tuple(sorted(e.strip() for e in extras_match.group(1).split(",") if e.strip()))
        location = location[: extras_match.start()]
    if not is_url and location.rstrip("/\\") in (".", ""):
        return Declared(name=".", version=None, version_spec=".", is_project=True)
    if is_url:
        return _from_url(None, location, extras=extras, marker=marker, editable=editable)
    return _from_path(location, extras=extras, marker=marker, editable=editable)


def _parse_marker(text: str) -> str:
    try:
        return str(Requirement(f"placeholder; {text}").marker)
    except InvalidRequirement as exc:
        reason = str(exc).splitlines()[0]
        raise LineError(f"invalid environment marker ({reason})") from None


def _fragment_name(fragment: str) -> tuple[str | None, tuple[str, ...]]:
    for part in fragment.split("&"):
        key, _, value = part.partition("=")
        if key == "egg" and value:
            match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[([^\]]*)\])?", unquote(value))
            if match is None:
                raise LineError(f"#egg={value} is not a project name")
            extras = tuple(sorted(e.strip() for e in (match.group(2) or "").split(",") if e))
            return match.group(1), extras
    return None, ()


def _from_url(
    name: str | None,
    url: str,
    *,
    extras: tuple[str, ...],
    marker: str | None,
    editable: bool,
) -> Declared:
    try:
        parts = urlsplit(url)
    except ValueError as exc:  # unbalanced brackets in the host ("Invalid IPv6 URL")
        raise LineError(f"{redact_url(url)!r} is not a valid URL ({exc})") from None
    egg, egg_extras = _fragment_name(parts.fragment)
    name = name or egg
    extras = tuple(sorted(set(extras) | set(egg_extras)))
    shown = redact_url(url)
    file_name = unquote(parts.path.rsplit("/", 1)[-1])
    if not _VCS.match(url):
        from_file = _name_version_from_filename(file_name)
        if from_file is not None and (name is None or _same(name, from_file[0])):
            return Declared(
                name=name or from_file[0],
                version=from_file[1],
                extras=extras,
                marker=marker,
                source=shown,
                editable=editable,
                version_from_filename=True,
            )
    if name is None:
        repo = parts.path.rstrip("/").rsplit("/", 1)[-1].split("@", 1)[0]
        name = repo.removesuffix(".git") or parts.netloc or url
    return Declared(
        name=name,
        version=None,
        version_spec=shown,
        extras=extras,
        marker=marker,
        source=shown,
        editable=editable,
    )


def _from_path(
    location: str, *, extras: tuple[str, ...], marker: str | None, editable: bool
) -> Declared:
    file_name = re.split(r"[/\\]", location.rstrip("/\\"))[-1]
    from_file = _name_version_from_filename(file_name)
    if from_file is not None:
        return Declared(
            name=from_file[0],
            version=from_file[1],
            extras=extras,
            marker=marker,
            source=location,
            editable=editable,
            version_from_filename=True,
        )
    return Declared(
        name=file_name or location,
        version=None,
        version_spec=location,
        extras=extras,
        marker=marker,
        source=location,
        editable=editable,
    )


def _name_version_from_filename(file_name: str) -> tuple[str, str] | None:
    """``(name, version)`` from a wheel or sdist file name, ``None`` when it is neither."""
    lowered = file_name.lower()
    try:
        if lowered.endswith(".whl"):
            wheel_name, wheel_version, _, _ = parse_wheel_filename(file_name)
            return str(wheel_name), str(wheel_version)
        if lowered.endswith((".tar.gz", ".zip")):
            sdist_name, sdist_version = parse_sdist_filename(file_name)
            return sdist_name, str(sdist_version)
    except (InvalidWheelFilename, InvalidSdistFilename, InvalidVersion):
        return None
    return None


def _same(a: str, b: str) -> bool:
    return canonicalize_name(a) == canonicalize_name(b)
