"""Finding the inputs under the paths given, as ``trivy fs`` or ``osv-scanner -r`` do.

Each path is walked once (``os.scandir``, symlinked directories not followed). Files are claimed by
name (``kind_for_file``). Tool caches and VCS metadata are skipped, and so are virtualenvs and
``site-packages`` found *inside* a tree: they hold the developer's tools as much as the product's
dependencies, and scanning them would make the inventory depend on the machine. A path given
explicitly that *is* a virtualenv or ``site-packages`` is inventoried as an installed environment.
A directory that cannot be read is an error: skipping it could hide an input.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Sequence
from pathlib import Path

from mdrgate.collect.base import InputKind, InputSpec
from mdrgate.errors import InputError, UsageError

SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "__pycache__",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        "site-packages",
        "dist-packages",
    }
)
VENV_MARKER = "pyvenv.cfg"

_BY_NAME: dict[str, InputKind] = {
    "poetry.lock": InputKind.POETRY_LOCK,
    "Pipfile.lock": InputKind.PIPFILE_LOCK,
    "uv.lock": InputKind.UV_LOCK,
    "soup.yml": InputKind.SOUP_REGISTER,
    "soup.yaml": InputKind.SOUP_REGISTER,
}
UNDERSTOOD_NAMES = (
    "requirements*.txt",
    "requirements/*.txt",
    *_BY_NAME,
    "a virtualenv directory (with pyvenv.cfg)",
    "a site-packages directory",
)


def kind_for_file(path: Path) -> InputKind | None:
    """The input kind a file's name says it is, or ``None``."""
    name = path.name
    kind = _BY_NAME.get(name)
    if kind is not None:
        return kind
    if not name.endswith(".txt"):
        return None
    if fnmatch.fnmatchcase(name, "requirements*.txt") or path.parent.name == "requirements":
        return InputKind.REQUIREMENTS
    return None


def discover(paths: Sequence[Path], *, cwd: Path) -> list[InputSpec]:
    """Every input under ``paths``, sorted by display path, each file once."""
    found: dict[str, InputSpec] = {}
    base = cwd.resolve()
    for given in paths:
        absolute = (cwd / given).resolve()
        shown = _display(absolute, base)
        if not absolute.exists():
            raise InputError("does not exist", source=shown)
        if absolute.is_dir():
            if _is_environment(absolute):
                _claim(found, InputSpec(InputKind.PYTHON_ENVIRONMENT, absolute, shown))
                continue
            _walk(absolute, shown, found)
            continue
        kind = kind_for_file(absolute)
        if kind is None:
            raise UsageError(
                f"mdrgate does not know what kind of input {absolute.name!r} is",
                source=shown,
                hint="mdrgate understands: " + ", ".join(UNDERSTOOD_NAMES),
            )
        _claim(found, InputSpec(kind, absolute, shown))
    return sorted(found.values(), key=lambda s: (s.display, s.kind.value))


def _is_environment(path: Path) -> bool:
    return path.name in ("site-packages", "dist-packages") or (path / VENV_MARKER).is_file()


def _claim(found: dict[str, InputSpec], spec: InputSpec) -> None:
    key = os.path.normcase(str(spec.path))
    found.setdefault(key, spec)


def _walk(root: Path, root_display: str, found: dict[str, InputSpec]) -> None:
    stack: list[tuple[str, str, bool]] = [(str(root), root_display, False)]
    while stack:
        directory, display, in_requirements = stack.pop()
        try:
            with os.scandir(directory) as iterator:
                entries = list(iterator)
        except OSError as exc:
            raise InputError(
                f"cannot be read while searching for inputs: {exc.strerror or exc}",
                source=display,
            ) from None
        if directory != str(root) and any(e.name == VENV_MARKER for e in entries):
            continue  # a virtualenv inside the tree: not descended into
        for entry in entries:
            name = entry.name
            shown = _child(display, name)
            try:
                if entry.is_dir(follow_symlinks=False):
                    if name not in SKIPPED_DIRS:
                        stack.append((entry.path, shown, name == "requirements"))
                    continue
                if not entry.is_file():
                    continue
            except OSError:
                continue
            kind = _BY_NAME.get(name)
            if (
                kind is None
                and name.endswith(".txt")
                and (in_requirements or fnmatch.fnmatchcase(name, "requirements*.txt"))
            ):
                kind = InputKind.REQUIREMENTS
            if kind is not None:
                _claim(found, InputSpec(kind, Path(entry.path), shown))


def _display(path: Path, cwd: Path) -> str:
    """Relative to the working directory when inside it, else absolute; always with ``/``."""
    try:
        relative = path.relative_to(cwd)
    except ValueError:
        return path.as_posix()
    return relative.as_posix() or "."


def _child(display: str, name: str) -> str:
    return name if display == "." else f"{display.rstrip('/')}/{name}"
