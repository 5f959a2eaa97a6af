"""What every collector takes and returns."""

from __future__ import annotations

import hashlib
import stat
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from mdrgate.errors import InputError
from mdrgate.model import Component, Diagnostic, DiagnosticLevel, InputFile, LinkedFile
from mdrgate.textfiles import read_bytes_and_text


class InputKind(StrEnum):
    """The kinds of input mdrgate reads; each has one collector."""

    REQUIREMENTS = "requirements"
    POETRY_LOCK = "poetry-lock"
    PIPFILE_LOCK = "pipfile-lock"
    UV_LOCK = "uv-lock"
    PYTHON_ENVIRONMENT = "python-environment"
    SOUP_REGISTER = "soup-register"
    FIRMWARE_SOURCE = "firmware-source"
    """A vendored source file that declares a component's version (header, VERSION, manifest)."""
    BUILD_MANIFEST = "build-manifest"
    """.gitmodules, platformio.ini, west.yml, idf_component.yml, conanfile, vcpkg.json, CMake."""
    FIRMWARE_IMAGE = "firmware-image"
    """A compiled image: ELF executable or library, static archive, .bin, Intel HEX, S-record."""
    LINKER_MAP = "linker-map"
    """A GNU ld map file: what was linked into an image."""
    SBOM = "sbom"
    """An SBOM to import: CycloneDX JSON/XML 1.2-1.6, SPDX 2.3 JSON or tag-value."""
    NPM_LOCK = "npm-lock"
    """package-lock.json or npm-shrinkwrap.json, lockfileVersion 1-3."""
    YARN_LOCK = "yarn-lock"
    """yarn.lock: Yarn classic (v1) or Yarn 2+ (berry)."""
    PNPM_LOCK = "pnpm-lock"
    """pnpm-lock.yaml, lockfileVersion 5.x, 6.x and 9.x."""
    GO_MOD = "go-mod"
    """A Go module's go.mod (cross-checked with the go.sum beside it)."""
    GO_SUM = "go-sum"
    """A Go module's go.sum; read alone only when there is no go.mod beside it."""
    CARGO_LOCK = "cargo-lock"
    """A Rust Cargo.lock, versions 1-4."""


COMPONENT_ROOT = "mdrgate:firmware:component-root"
"""Property of a vendored-source component: its directory, which reconciliation compares with the
objects a linker map names to decide presence in the image."""


@dataclass(frozen=True, slots=True)
class InputSpec:
    """One input to collect: its kind, where it is, and how to show its path to people."""

    kind: InputKind
    path: Path
    display: str
    include_dev: bool = False
    """Lock files only: also collect development-only dependencies."""
    root: Path | None = None
    """The tree this input was found in (for firmware sources: to tell a component's directory)."""
    libraries: tuple[Path, ...] = ()
    """Linker maps only: directories outside the tree whose archives the map may name and mdrgate
    may read (the toolchain or sysroot the link used on this machine), declared by the user."""


@dataclass(frozen=True, slots=True)
class Collected:
    """A collector's result: components, non-fatal problems, every file it read (with digests)."""

    components: tuple[Component, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    files: tuple[InputFile, ...] = ()
    linked: tuple[LinkedFile, ...] = ()
    """Linker maps only: what was linked into the image."""


def digest_file(path: Path, *, display: str, kind: str) -> InputFile:
    """The sha256 of an input file, for the evidence ("exactly what was assessed")."""
    sha = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 16), b""):
                sha.update(block)
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror or exc}", source=display) from None
    return InputFile(path=display, kind=kind, sha256=sha.hexdigest())


def digest_bytes(data: bytes, *, display: str, kind: str) -> InputFile:
    return InputFile(path=display, kind=kind, sha256=hashlib.sha256(data).hexdigest())


EXPECTED_FILE: dict[str, str] = {
    InputKind.REQUIREMENTS.value: "a requirements file",
    InputKind.POETRY_LOCK.value: "a poetry.lock file",
    InputKind.PIPFILE_LOCK.value: "a Pipfile.lock file",
    InputKind.UV_LOCK.value: "a uv.lock file",
    InputKind.SOUP_REGISTER.value: "a SOUP register file",
    InputKind.NPM_LOCK.value: "a package-lock.json file",
    InputKind.YARN_LOCK.value: "a yarn.lock file",
    InputKind.PNPM_LOCK.value: "a pnpm-lock.yaml file",
    InputKind.GO_MOD.value: "a go.mod file",
    InputKind.GO_SUM.value: "a go.sum file",
    InputKind.CARGO_LOCK.value: "a Cargo.lock file",
}
"""What each file input is, for "is a directory, expected ..." messages."""


def read_input(
    path: Path, *, display: str, kind: str, lossy: bool = False
) -> tuple[str, InputFile]:
    """The file's text (UTF-8, BOM dropped) and the sha256 of its bytes as they are on disk.

    With ``lossy``, bytes that are not UTF-8 become U+FFFD instead of refusing the file; the
    caller says so in a diagnostic (see ``not_utf8``).
    """
    data, text = read_bytes_and_text(
        path,
        display=display,
        error=InputError,
        expected=EXPECTED_FILE.get(kind, "a file"),
        lossy=lossy,
    )
    return text, digest_bytes(data, display=display, kind=kind)


def not_utf8(text: str, display: str) -> Diagnostic | None:
    """A warning when lossy reading replaced bytes that were not UTF-8."""
    if "\ufffd" not in text:
        return None
    return Diagnostic(
        code="not-utf8",
        message=f"{display} is not UTF-8 text; bytes that are not were read as U+FFFD",
        level=DiagnosticLevel.WARNING,
        path=display,
    )


_FILE_TYPES = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def file_type(mode: int) -> str:
    """What a ``st_mode`` is, for messages: "a regular file", "a FIFO (named pipe)"..."""
    if stat.S_ISREG(mode):
        return "a regular file"
    for test, name in _FILE_TYPES:
        if test(mode):
            return name
    return "not a regular file"


def not_a_regular_file(path: Path) -> str | None:
    """Why ``path`` cannot be read as an input file ("does not exist", "is a socket"), or ``None``.

    Symbolic links are followed; a dangling one is named with its target.
    """
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if path.is_symlink():
            try:
                target = str(path.readlink())
            except OSError:
                target = "?"
            return f"is a symbolic link to {target!r}, which cannot be followed ({exc.strerror})"
        if isinstance(exc, FileNotFoundError):
            return "does not exist"
        return f"cannot be examined: {exc.strerror or exc}"
    if stat.S_ISREG(mode):
        return None
    return f"is {file_type(mode)}, not a regular file"
