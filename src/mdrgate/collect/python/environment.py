"""An installed Python environment: every distribution in its ``site-packages``.

The input is a virtualenv (a directory with ``pyvenv.cfg``; its ``lib/*/site-packages`` and Windows
``Lib/site-packages`` are read) or a ``site-packages`` directory itself. Distributions are found
the way ``importlib.metadata`` finds them on a path (``*.dist-info`` and ``*.egg-info`` entries,
directory or single file); their core metadata (``METADATA``/``PKG-INFO``) is read here directly,
once, so that the digest in the evidence is of the exact bytes that were parsed.

What is installed is what runs: pip, setuptools and wheel are components too. An installed version
is exact, so there are no ``no-exact-version`` diagnostics here. A distribution whose metadata
lacks its Name or Version (or cannot be read) takes them from its directory name, which PEP 427 and
PEP 376 make ``<name>-<version>.dist-info`` (``<name>-<version>[-pyX.Y].egg-info`` for eggs): it is
inventoried with a ``distribution-metadata-incomplete`` warning and ``mdrgate:python:version-from``
``directory-name``. When even the directory name does not say, it is an ``unreadable-distribution``
*error*, which fails the gate: something is installed that cannot be assessed. PEP 610
``direct_url.json`` tells VCS, URL and editable installs apart (recorded as properties).
"""

from __future__ import annotations

import json
import os
from email.message import Message
from email.parser import HeaderParser
from email.utils import getaddresses
from pathlib import Path

from packaging.version import InvalidVersion, Version

from mdrgate.collect.base import Collected, InputKind, InputSpec, digest_bytes
from mdrgate.collect.discovery import SITE_DIR_NAMES, VENV_MARKER
from mdrgate.collect.python.package import (
    PROP_EDITABLE,
    PROP_SOURCE,
    PROP_VERSION_FROM,
    PackageSet,
    normalize,
    redact_url,
)
from mdrgate.errors import InputError
from mdrgate.identifiers import pypi_purl
from mdrgate.model import Diagnostic, DiagnosticLevel, InputFile

COLLECTOR = InputKind.PYTHON_ENVIRONMENT.value
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
    if (root / VENV_MARKER).is_file():
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
    is_dir = entry.is_dir()
    if is_dir:
        name = "METADATA" if entry.name.endswith(".dist-info") else "PKG-INFO"
        metadata_path, metadata_display = path / name, f"{display}/{name}"
    else:
        metadata_path, metadata_display = path, display
    headers: Message | None = None
    try:
        data = metadata_path.read_bytes()
    except OSError as exc:
        problem = f"its metadata cannot be read ({exc.strerror or exc})"
    else:
        files.append(digest_bytes(data, display=metadata_display, kind=COLLECTOR))
        headers = HeaderParser().parsestr(data.decode("utf-8", errors="replace"))
        problem = "its metadata has no Name or no Version"
    name = str(headers.get("Name") or "").strip() if headers else ""
    version = str(headers.get("Version") or "").strip() if headers else ""
    properties: list[tuple[str, str]] = []
    if not name or not version:
        from_directory = _from_directory_name(entry.name, name, version)
        if from_directory is None:
            notes.append(_unreadable(display, problem))
            return
        name, version = from_directory
        properties.append((PROP_VERSION_FROM, "directory-name"))
        notes.append(_incomplete(display, problem, name, version))
    if is_dir:
        properties.extend(_direct_url(path / "direct_url.json", display, files))
    summary = str(headers.get("Summary") or "").strip() if headers else ""
    found.add(
        name,
        version,
        path=display,
        supplier=_supplier(headers) if headers else None,
        licenses=_licenses(headers) if headers else (),
        description=summary if summary and summary != "UNKNOWN" else None,
        properties=properties,
    )


def name_version_from_directory(directory: str) -> tuple[str, str] | None:
    """``(name, version)`` from a ``.dist-info`` or ``.egg-info`` directory name, else ``None``.

    PEP 427/376 name them ``<name>-<version>.dist-info``, eggs are
    ``<name>-<version>[-pyX.Y].egg-info``. Installers escape ``-`` in both parts as ``_``, so ``-``
    only separates them. The version must be a PEP 440 version.
    """
    if directory.endswith(".dist-info"):
        parts = directory.removesuffix(".dist-info").split("-")
        shaped = len(parts) == 2
    elif directory.endswith(".egg-info"):
        parts = directory.removesuffix(".egg-info").split("-")
        shaped = len(parts) == 2 or (len(parts) == 3 and parts[2].startswith("py"))
    else:
        return None
    if not shaped or not parts[0] or not parts[1]:
        return None
    try:
        Version(parts[1])
    except InvalidVersion:
        return None
    return parts[0], parts[1]


def _from_directory_name(directory: str, name: str, version: str) -> tuple[str, str] | None:
    """Name and version with the missing ones taken from the directory name, when it agrees."""
    parsed = name_version_from_directory(directory)
    if parsed is None:
        return None
    dir_name, dir_version = parsed
    if name and normalize(name) != normalize(dir_name):
        return None
    if version and not _same_version(version, dir_version):
        return None
    return name or dir_name, version or dir_version


def _same_version(a: str, b: str) -> bool:
    try:
        return Version(a) == Version(b)
    except InvalidVersion:
        return False


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
    """An error, not a warning: an installed distribution that cannot be assessed must fail."""
    return Diagnostic(
        code="unreadable-distribution",
        message=(
            f"installed distribution {display} is not inventoried: {why}, and its directory "
            "name is not <name>-<version>.dist-info (or .egg-info)"
        ),
        level=DiagnosticLevel.ERROR,
        path=display,
    )


def _incomplete(display: str, why: str, name: str, version: str) -> Diagnostic:
    return Diagnostic(
        code="distribution-metadata-incomplete",
        message=(
            f"installed distribution {display}: {why}; inventoried as {name} {version} from its "
            "directory name"
        ),
        level=DiagnosticLevel.WARNING,
        path=display,
        component=pypi_purl(name, version),
    )


def _join(prefix: str, name: str) -> str:
    if prefix in ("", "."):
        return name
    if name in ("", "."):
        return prefix
    return f"{prefix.rstrip('/')}/{name}"
