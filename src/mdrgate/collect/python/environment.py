"""An installed Python environment: every distribution in its ``site-packages``.

The input is a virtualenv (a directory with ``pyvenv.cfg``; its ``lib/*/site-packages`` and Windows
``Lib/site-packages`` are read) or a ``site-packages`` directory itself. Distributions are found
the way ``importlib.metadata`` finds them on a path (``*.dist-info`` and ``*.egg-info`` entries,
directory or single file); their core metadata (``METADATA``/``PKG-INFO``) is read here directly,
once, so that the digest in the evidence is of the exact bytes that were parsed.

What is installed is what runs: pip, setuptools and wheel are components too. An installed version
is exact, so there are no ``no-exact-version`` diagnostics here; a distribution whose metadata
cannot be read is an ``unreadable-distribution`` warning, never silently dropped. PEP 610
``direct_url.json`` tells VCS, URL and editable installs apart (recorded as properties).
"""

from __future__ import annotations

import json
import os
from email.message import Message
from email.parser import HeaderParser
from email.utils import getaddresses
from pathlib import Path

from mdrgate.collect.base import Collected, InputKind, InputSpec, digest_bytes
from mdrgate.collect.python.package import (
    PROP_EDITABLE,
    PROP_SOURCE,
    PackageSet,
    redact_url,
)
from mdrgate.errors import InputError
from mdrgate.model import Diagnostic, DiagnosticLevel, InputFile

COLLECTOR = InputKind.PYTHON_ENVIRONMENT.value
SITE_DIR_NAMES = ("site-packages", "dist-packages")
_MAX_LICENSE_FIELD = 100


def collect_environment(spec: InputSpec) -> Collected:
    root = spec.path
    if not root.exists():
        raise InputError("does not exist", source=spec.display)
    if not root.is_dir():
        raise InputError(
            "expected a virtualenv or a site-packages directory, got a file",
            source=spec.display,
        )
    found = PackageSet(COLLECTOR)
    notes: list[Diagnostic] = []
    files: list[InputFile] = []
    for site in site_packages_dirs(root, spec.display):
        prefix = _join(spec.display, site.relative_to(root).as_posix())
        for entry in _distribution_entries(site, prefix):
            _read_distribution(entry, _join(prefix, entry.name), found, notes, files)
    notes.extend(found.diagnostics())
    return Collected(found.components(), tuple(sorted(notes)), tuple(sorted(files)))


def is_environment(path: Path) -> bool:
    """A virtualenv (``pyvenv.cfg``) or a ``site-packages``/``dist-packages`` directory."""
    return path.name in SITE_DIR_NAMES or (path / "pyvenv.cfg").is_file()


def site_packages_dirs(root: Path, display: str) -> list[Path]:
    """The site-packages directories of ``root``, which is a virtualenv or one itself."""
    if root.name in SITE_DIR_NAMES:
        return [root]
    candidates = [*root.glob("lib/*/site-packages"), *root.glob("lib64/*/site-packages")]
    candidates.append(root / "Lib" / "site-packages")
    unique: dict[Path, Path] = {}
    for candidate in sorted(candidates):
        if candidate.is_dir():
            unique.setdefault(candidate.resolve(), candidate)
    if unique:
        return sorted(unique.values())
    if (root / "pyvenv.cfg").is_file():
        raise InputError(
            "is a virtualenv (it has pyvenv.cfg) but has no lib/python*/site-packages "
            "or Lib/site-packages directory",
            source=display,
        )
    if any(_is_distribution(child.name) for child in root.iterdir()):
        return [root]
    raise InputError(
        "is neither a virtualenv (no pyvenv.cfg) nor a site-packages directory "
        "(no *.dist-info inside)",
        source=display,
        hint="give the virtualenv's directory (e.g. .venv) or its site-packages directory",
    )


def _is_distribution(name: str) -> bool:
    return name.endswith((".dist-info", ".egg-info"))


def _distribution_entries(site: Path, display: str) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(site) as entries:
            return sorted((e for e in entries if _is_distribution(e.name)), key=lambda e: e.name)
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror or exc}", source=display) from None


def _read_distribution(
    entry: os.DirEntry[str],
    display: str,
    found: PackageSet,
    notes: list[Diagnostic],
    files: list[InputFile],
) -> None:
    path = Path(entry.path)
    if entry.is_dir():
        name = "METADATA" if entry.name.endswith(".dist-info") else "PKG-INFO"
        metadata_path, metadata_display = path / name, f"{display}/{name}"
    else:
        metadata_path, metadata_display = path, display
    try:
        data = metadata_path.read_bytes()
    except OSError as exc:
        notes.append(_unreadable(display, f"its metadata cannot be read ({exc.strerror or exc})"))
        return
    files.append(digest_bytes(data, display=metadata_display, kind=COLLECTOR))
    headers = HeaderParser().parsestr(data.decode("utf-8", errors="replace"))
    name = str(headers.get("Name") or "").strip()
    version = str(headers.get("Version") or "").strip()
    if not name or not version:
        notes.append(_unreadable(display, "its metadata has no Name or no Version"))
        return
    properties: list[tuple[str, str]] = []
    if entry.is_dir():
        properties = _direct_url(path / "direct_url.json", display, files)
    summary = str(headers.get("Summary") or "").strip()
    found.add(
        name,
        version,
        path=display,
        supplier=_supplier(headers),
        licenses=_licenses(headers),
        description=summary if summary and summary != "UNKNOWN" else None,
        properties=properties,
    )


def _direct_url(path: Path, display: str, files: list[InputFile]) -> list[tuple[str, str]]:
    """PEP 610: how a distribution was installed when not from an index."""
    try:
        data = path.read_bytes()
    except OSError:
        return []
    files.append(digest_bytes(data, display=f"{display}/direct_url.json", kind=COLLECTOR))
    try:
        info = json.loads(data)
    except ValueError:
        return []
    if not isinstance(info, dict) or not isinstance(info.get("url"), str):
        return []
    url = redact_url(info["url"])
    properties = []
    vcs = info.get("vcs_info")
    if isinstance(vcs, dict) and isinstance(vcs.get("vcs"), str):
        commit = vcs.get("commit_id")
        url = f"{vcs['vcs']}+{url}" + (f"@{commit}" if isinstance(commit, str) else "")
    dir_info = info.get("dir_info")
    if isinstance(dir_info, dict) and dir_info.get("editable") is True:
        properties.append((PROP_EDITABLE, "true"))
    properties.append((PROP_SOURCE, url))
    return properties


def _supplier(headers: Message) -> str | None:
    for field in ("Author", "Maintainer"):
        value = str(headers.get(field) or "").strip()
        if value and value != "UNKNOWN":
            return value
    for field in ("Author-email", "Maintainer-email"):
        value = str(headers.get(field) or "").strip()
        if value:
            names = [name or address for name, address in getaddresses([value]) if name or address]
            if names:
                return ", ".join(names)
    return None


def _licenses(headers: Message) -> tuple[str, ...]:
    """PEP 639 ``License-Expression``, else a short ``License`` field, else classifier names."""
    expression = str(headers.get("License-Expression") or "").strip()
    if expression:
        return (expression,)
    field = str(headers.get("License") or "").strip()
    if field and field != "UNKNOWN" and "\n" not in field and len(field) <= _MAX_LICENSE_FIELD:
        return (field,)
    names = [
        c.rsplit("::", 1)[-1].strip()
        for c in map(str, headers.get_all("Classifier") or [])
        if c.startswith("License ::") and c.count("::") >= 2
    ]
    return tuple(sorted(set(names)))


def _unreadable(display: str, why: str) -> Diagnostic:
    return Diagnostic(
        code="unreadable-distribution",
        message=f"installed distribution {display} is not inventoried: {why}",
        level=DiagnosticLevel.WARNING,
        path=display,
    )


def _join(prefix: str, name: str) -> str:
    if prefix in ("", "."):
        return name
    if name in ("", "."):
        return prefix
    return f"{prefix.rstrip('/')}/{name}"
