"""``package.json`` beside a lock file: the project's roots, which say what is development-only.

Yarn's lock files do not mark development dependencies; the project's manifests do. The
``package.json`` next to the lock file is read, and those of its workspaces (the ``workspaces``
patterns, or the folders a Yarn 2+ lock file names). A manifest that exists but cannot be read is
an error: guessing would put development tools in the inventory or, worse, leave shipped code out.
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mdrgate.collect.base import read_input
from mdrgate.collect.npm.graph import Reach
from mdrgate.errors import InputError
from mdrgate.model import InputFile

MANIFEST = "package.json"
_SECTIONS = ("dependencies", "optionalDependencies", "devDependencies")


@dataclass(frozen=True)
class Manifest:
    """One ``package.json``: its name and its dependency sections (name → range)."""

    display: str
    name: str | None
    dependencies: dict[str, str] = field(default_factory=dict)
    optional: dict[str, str] = field(default_factory=dict)
    dev: dict[str, str] = field(default_factory=dict)
    workspaces: tuple[str, ...] = ()

    def roots(self) -> list[tuple[str, str, Reach]]:
        """(name, range, how) for every dependency; a name in both ``dependencies`` and
        ``devDependencies`` is production's."""
        out = [(n, r, Reach.REQUIRED) for n, r in self.dependencies.items()]
        out += [(n, r, Reach.OPTIONAL) for n, r in self.optional.items()]
        production = self.dependencies.keys() | self.optional.keys()
        out += [(n, r, Reach.DEV) for n, r in self.dev.items() if n not in production]
        return sorted(out)


def read_manifest(path: Path, display: str) -> tuple[Manifest, InputFile]:
    """Read one ``package.json``; any problem is an ``InputError`` naming it."""
    text, file = read_input(path, display=display, kind="package-json")
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise InputError(
            f"invalid JSON ({exc}); the lock file beside it cannot be told apart into production "
            "and development dependencies without it",
            source=display,
        ) from None
    except RecursionError:
        raise InputError("its JSON is nested too deeply to be read", source=display) from None
    if not isinstance(data, dict):
        raise InputError("expected a JSON object (a package.json)", source=display)
    sections: dict[str, dict[str, str]] = {}
    for section in _SECTIONS:
        raw = data.get(section, {})
        if raw is None:
            raw = {}
        if not isinstance(raw, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in raw.items()
        ):
            raise InputError(
                f"'{section}' must map package names to version ranges", source=display
            )
        sections[section] = raw
    name = data.get("name")
    return (
        Manifest(
            display=display,
            name=name if isinstance(name, str) else None,
            dependencies=sections["dependencies"],
            optional=sections["optionalDependencies"],
            dev=sections["devDependencies"],
            workspaces=_patterns(data.get("workspaces")),
        ),
        file,
    )


def _patterns(raw: Any) -> tuple[str, ...]:
    if isinstance(raw, dict):
        raw = raw.get("packages")
    if not isinstance(raw, list):
        return ()
    return tuple(p for p in raw if isinstance(p, str) and p.strip())


def sibling(display: str, relative: str) -> str:
    """The display path of ``relative`` next to the file shown as ``display``."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(display), relative))


def workspace_folders(root: Path, patterns: tuple[str, ...]) -> list[str]:
    """Folders (relative, ``/``-separated, sorted) that hold a ``package.json`` and match a
    workspace pattern; ``node_modules`` is never searched."""
    found: set[str] = set()
    excluded: set[str] = set()
    for pattern in patterns:
        negate = pattern.startswith("!")
        clean = pattern.lstrip("!").strip("/")
        if not clean or clean.startswith("..") or Path(clean).is_absolute():
            continue
        try:
            matches = list(root.glob(clean))
        except (OSError, ValueError):
            continue
        for match in matches:
            relative = match.relative_to(root).as_posix()
            if "node_modules" in relative.split("/") or not (match / MANIFEST).is_file():
                continue
            (excluded if negate else found).add(relative)
    return sorted(found - excluded)


def local_version(
    lock: Path, lock_display: str, source: str
) -> tuple[str | None, InputFile | None]:
    """The version a local folder dependency (``file:vendor/lib``) declares in its own
    ``package.json``: some lock files record the folder but not the version. ``(None, None)``
    when the source is not a folder with a readable ``package.json`` declaring a version."""
    relative = source.split(":", 1)[1] if source.startswith(("file:", "link:")) else source
    if not relative or relative.endswith((".tgz", ".tar.gz", ".tar")):
        return None, None
    path = lock.parent / relative / MANIFEST
    if not path.is_file():
        return None, None
    display = sibling(lock_display, f"{relative.rstrip('/')}/{MANIFEST}")
    try:
        text, file = read_input(path, display=display, kind="package-json")
        data = json.loads(text)
    except (InputError, ValueError, RecursionError):
        return None, None
    version = data.get("version") if isinstance(data, dict) else None
    if not isinstance(version, str) or not version.strip():
        return None, file
    return version.strip(), file
