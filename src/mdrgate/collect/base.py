"""What every collector takes and returns."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from mdrgate.documents import read_bytes_and_text
from mdrgate.errors import InputError
from mdrgate.model import Component, Diagnostic, InputFile


class InputKind(StrEnum):
    """The kinds of input mdrgate reads; each has one collector."""

    REQUIREMENTS = "requirements"
    POETRY_LOCK = "poetry-lock"
    PIPFILE_LOCK = "pipfile-lock"
    UV_LOCK = "uv-lock"
    PYTHON_ENVIRONMENT = "python-environment"
    SOUP_REGISTER = "soup-register"


@dataclass(frozen=True, slots=True)
class InputSpec:
    """One input to collect: its kind, where it is, and how to show its path to people."""

    kind: InputKind
    path: Path
    display: str
    include_dev: bool = False
    """Lock files only: also collect development-only dependencies."""


@dataclass(frozen=True, slots=True)
class Collected:
    """A collector's result: components, non-fatal problems, every file it read (with digests)."""

    components: tuple[Component, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    files: tuple[InputFile, ...] = ()


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


def read_input(path: Path, *, display: str, kind: str) -> tuple[str, InputFile]:
    """The file's text (UTF-8, BOM dropped) and the sha256 of its bytes as they are on disk."""
    data, text = read_bytes_and_text(path, display=display, error=InputError)
    return text, digest_bytes(data, display=display, kind=kind)
