"""Finding the inputs under the paths given, as ``trivy fs`` or ``osv-scanner -r`` do.

Each path is walked once (``os.scandir``). Files are claimed by name (``kind_for_file``). Tool
caches and VCS metadata are skipped, and so are virtualenvs and ``site-packages`` found *inside* a
tree: they hold the developer's tools as much as the product's dependencies, and scanning them would
make the inventory depend on the machine. A path given explicitly that *is* a virtualenv or
``site-packages`` is inventoried as an installed environment.

Nothing that could be an input is skipped silently:

- a directory that cannot be read, or an entry that cannot be examined, is an ``InputError``;
- an entry with an input's name that cannot be read as one (a dangling symbolic link, a FIFO, a
  socket) is an ``InputError`` naming it;
- symbolic links are followed only when they resolve inside the tree being scanned (each directory
  is walked once, which also ends link loops). One that leaves the tree is not followed and is
  recorded as a ``symlink-outside-tree`` diagnostic: a warning for a directory, an error for a
  file with an input's name (a known input left out must fail the gate). Give such a target as a
  path of its own to read it.
"""

from __future__ import annotations

import fnmatch
import importlib
import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from mdrgate.collect.base import InputKind, InputSpec, file_type, not_a_regular_file
from mdrgate.errors import InputError, UsageError
from mdrgate.model import Diagnostic, DiagnosticLevel

VENV_MARKER = "pyvenv.cfg"
"""The file that makes a directory a virtualenv (PEP 405)."""
SITE_DIR_NAMES = ("site-packages", "dist-packages")
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
        *SITE_DIR_NAMES,
    }
)

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
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "go.mod",
    "go.sum",
    "Cargo.lock",
    "a virtualenv directory (with pyvenv.cfg)",
    "a site-packages directory",
)


# Collector families that claim files for themselves, in the order they are asked. Each module
# exposes ``claim(path: Path) -> InputKind | None``, decided from the name and, for ambiguous names,
# the file's first bytes; the modules are kept light because every file of a tree is offered.
_CLAIMERS = (
    "mdrgate.collect.npm",
    "mdrgate.collect.golang",
    "mdrgate.collect.rust",
    "mdrgate.collect.sbom",
    "mdrgate.collect.firmware.manifests",
    "mdrgate.collect.firmware.images",
    "mdrgate.collect.firmware.linkmap",
    "mdrgate.collect.firmware.sources",
)


@cache
def _claimers() -> tuple[Callable[[Path], InputKind | None], ...]:
    return tuple(importlib.import_module(name).claim for name in _CLAIMERS)


def kind_for_file(path: Path) -> InputKind | None:
    """The input kind a file's name (or, for ambiguous names, its content) says it is."""
    kind = _python_kind(path.name, path.parent.name == "requirements")
    if kind is not None:
        return kind
    for claim in _claimers():
        kind = claim(path)
        if kind is not None:
            return kind
    return None


def is_environment(path: Path) -> bool:
    """A virtualenv (``pyvenv.cfg``) or a ``site-packages``/``dist-packages`` directory."""
    return path.name in SITE_DIR_NAMES or (path / VENV_MARKER).is_file()


def discover_inputs(
    paths: Sequence[Path], *, cwd: Path, excludes: Sequence[str] = ()
) -> tuple[list[InputSpec], list[Diagnostic]]:
    """Every input under ``paths`` (sorted by display path, each file once) and the notes made.

    The notes are ``symlink-outside-tree`` diagnostics; they belong in the run's diagnostics.
    ``excludes`` are glob patterns matched against paths below each scanned directory (and
    against each file or directory name), e.g. ``build/*`` or ``test_*``.
    """
    found: dict[str, InputSpec] = {}
    notes: list[Diagnostic] = []
    base = cwd.resolve()
    for given in paths:
        unresolved = Path(os.path.normpath(cwd / given))
        absolute = unresolved.resolve()
        shown = _display(absolute, base)
        if not absolute.exists():
            why = not_a_regular_file(unresolved) or "does not exist"
            raise InputError(why, source=_display(unresolved, base))
        if absolute.is_dir():
            if is_environment(absolute):
                _claim(found, InputSpec(InputKind.PYTHON_ENVIRONMENT, absolute, shown))
                continue
            _Walk(absolute, shown, found, notes, tuple(excludes)).run()
            continue
        kind = kind_for_file(unresolved) or kind_for_file(absolute)
        if kind is None:
            raise UsageError(
                f"mdrgate does not know what kind of input {unresolved.name!r} is",
                source=shown,
                hint="mdrgate understands: " + ", ".join(UNDERSTOOD_NAMES),
            )
        problem = not_a_regular_file(absolute)
        if problem is not None:
            raise InputError(f"{problem}; an input must be a file", source=shown)
        _claim(found, InputSpec(kind, absolute, shown))
    specs = sorted(found.values(), key=lambda s: (s.display, s.kind.value))
    return specs, sorted(set(notes))


def _claim(found: dict[str, InputSpec], spec: InputSpec) -> None:
    key = os.path.normcase(str(spec.path))
    found.setdefault(key, spec)


def _python_kind(name: str, in_requirements: bool) -> InputKind | None:
    kind = _BY_NAME.get(name)
    if (
        kind is None
        and name.endswith(".txt")
        and (in_requirements or fnmatch.fnmatchcase(name, "requirements*.txt"))
    ):
        return InputKind.REQUIREMENTS
    return kind


@dataclass(frozen=True, slots=True)
class _Dir:
    path: str
    display: str
    in_requirements: bool
    real: Path
    """The directory with every symbolic link resolved: each is walked once."""


@dataclass
class _Walk:
    root: Path
    root_display: str
    found: dict[str, InputSpec]
    notes: list[Diagnostic]
    excludes: tuple[str, ...] = ()
    stack: list[_Dir] = field(default_factory=list)
    linked: list[_Dir] = field(default_factory=list)
    visited: set[Path] = field(default_factory=set)

    def run(self) -> None:
        """Real directories first, then linked ones not met yet: a file keeps its real path."""
        real_root = Path(os.path.realpath(self.root))
        self.stack.append(_Dir(str(self.root), self.root_display, False, real_root))
        while self.stack or self.linked:
            if not self.stack:
                self.stack.append(self.linked.pop(0))
            directory = self.stack.pop()
            if directory.real in self.visited:
                continue
            self.visited.add(directory.real)
            self._directory(directory, real_root)

    def _directory(self, directory: _Dir, real_root: Path) -> None:
        try:
            with os.scandir(directory.path) as iterator:
                entries = sorted(iterator, key=lambda e: e.name)
        except OSError as exc:
            raise InputError(
                f"cannot be read while searching for inputs: {exc.strerror or exc}",
                source=directory.display,
            ) from None
        if directory.path != str(self.root) and any(e.name == VENV_MARKER for e in entries):
            return  # a virtualenv inside the tree: not descended into
        subdirectories: list[_Dir] = []
        for entry in entries:
            name = entry.name
            shown = _child(directory.display, name)
            if self._excluded(shown):
                continue
            try:
                is_link = entry.is_symlink()
                if not is_link and entry.is_dir(follow_symlinks=False):
                    if name not in SKIPPED_DIRS:
                        real = directory.real / name
                        subdirectories.append(_Dir(entry.path, shown, name == "requirements", real))
                    continue
                kind = _python_kind(name, directory.in_requirements)
                if is_link:
                    self._symlink(entry, shown, kind, real_root)
                    continue
                # The families may read a file's first bytes to decide: only offer them regular
                # files (opening a FIFO named task.h would block the scan).
                if kind is None and entry.is_file(follow_symlinks=False):
                    kind = _family_kind(Path(entry.path))
                if kind is None:
                    continue
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError as exc:
                raise InputError(
                    f"cannot be examined while searching for inputs: {exc.strerror or exc}",
                    source=shown,
                ) from None
            if not stat.S_ISREG(mode):
                raise InputError(
                    f"is {file_type(mode)}, not a regular file, but its name says it is an input",
                    source=shown,
                )
            _claim(self.found, InputSpec(kind, Path(entry.path), shown, root=self.root))
        self.stack.extend(reversed(subdirectories))

    def _excluded(self, shown: str) -> bool:
        """Whether an exclude pattern matches the path below the scanned root (or any parent)."""
        if not self.excludes:
            return False
        relative = shown[len(self.root_display) :].lstrip("/") if shown != self.root_display else ""
        if not relative:
            return False
        parts = relative.split("/")
        candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        return any(
            fnmatch.fnmatchcase(c, pattern) or fnmatch.fnmatchcase(parts[-1], pattern)
            for pattern in self.excludes
            for c in candidates
        )

    def _symlink(
        self, entry: os.DirEntry[str], shown: str, kind: InputKind | None, real_root: Path
    ) -> None:
        path = Path(entry.path)
        try:
            mode = path.stat().st_mode
        except OSError:
            if kind is not None:
                why = not_a_regular_file(path) or "cannot be followed"
                raise InputError(f"{why}, but its name says it is an input", source=shown) from None
            return  # a dangling link of another name: there is nothing behind it to read
        real = Path(os.path.realpath(path))
        inside = real.is_relative_to(real_root)
        if kind is None and inside and stat.S_ISREG(mode):
            kind = _family_kind(path)  # only now: the target is a regular file in the tree
        if stat.S_ISDIR(mode):
            if entry.name in SKIPPED_DIRS or (real / VENV_MARKER).is_file():
                return  # not descended into even when real: nothing is lost by not following
            if inside:
                in_requirements = entry.name == "requirements"
                self.linked.append(_Dir(entry.path, shown, in_requirements, real))
            else:
                self.notes.append(_outside(shown, real, directory=True))
            return
        if kind is None:
            return
        if not inside:
            self.notes.append(_outside(shown, real, directory=False))
            return
        if not stat.S_ISREG(mode):
            raise InputError(
                f"is a symbolic link to {file_type(mode)}, not to a regular file, but its name "
                "says it is an input",
                source=shown,
            )
        _claim(self.found, InputSpec(kind, path, shown, root=self.root))


def _family_kind(path: Path) -> InputKind | None:
    for claim in _claimers():
        kind = claim(path)
        if kind is not None:
            return kind
    return None


def _outside(shown: str, target: Path, *, directory: bool) -> Diagnostic:
    if directory:
        return Diagnostic(
            code="symlink-outside-tree",
            message=(
                f"{shown} is a symbolic link to the directory {target.as_posix()}, outside the "
                "tree being scanned; it was not searched for inputs (give it as a path of its own "
                "to scan it)"
            ),
            level=DiagnosticLevel.WARNING,
            path=shown,
        )
    return Diagnostic(
        code="symlink-outside-tree",
        message=(
            f"{shown} is a symbolic link to {target.as_posix()}, outside the tree being scanned; "
            "this input was not read (give the file as a path of its own, or in the "
            "configuration, to read it)"
        ),
        level=DiagnosticLevel.ERROR,
        path=shown,
    )


def _display(path: Path, cwd: Path) -> str:
    """Relative to the working directory when inside it, else absolute; always with ``/``."""
    try:
        relative = path.relative_to(cwd)
    except ValueError:
        return path.as_posix()
    return relative.as_posix() or "."


def _child(display: str, name: str) -> str:
    return name if display == "." else f"{display.rstrip('/')}/{name}"
