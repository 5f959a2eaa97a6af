"""Build manifests: the dependencies a firmware build fetches, as its manifests declare them.

One reader per manifest kind (``gitmodules``, ``platformio``, ``west``, ``espidf``, ``conan``,
``vcpkg``, ``cmake``); ``declared`` turns what they read into components the same way for all.
``claim`` runs for every file of a scanned tree, so it decides from the name and, for the few
ambiguous names (``dependencies.lock``, ``CMakeLists.txt``, ``*.cmake``, ``submanifests/*.yml``),
from the first ``SNIFF_BYTES`` of the file; readers are imported only when a manifest is collected.
"""

from __future__ import annotations

import re
from pathlib import Path

from mdrgate.collect.base import Collected, InputKind, InputSpec

SNIFF_BYTES = 64 * 1024

_BY_NAME = {
    ".gitmodules": "gitmodules",
    "platformio.ini": "platformio",
    "west.yml": "west",
    "idf_component.yml": "idf-component",
    "conanfile.txt": "conanfile-txt",
    "conanfile.py": "conanfile-py",
    "conan.lock": "conan-lock",
    "vcpkg.json": "vcpkg",
}
_CMAKE_CALL = re.compile(rb"(?i)\b(?:FetchContent_Declare|ExternalProject_Add)\s*\(")
_WEST_START = re.compile(rb"(?m)^manifest\s*:")
_IDF_LOCK = re.compile(rb"(?m)^(?:manifest_hash|direct_dependencies)\s*:")


def _head(path: Path) -> bytes | None:
    try:
        with path.open("rb") as handle:
            return handle.read(SNIFF_BYTES)
    except OSError:
        return None


def manifest_kind(path: Path) -> str | None:
    """Which manifest reader a file needs, or ``None`` when it is not a build manifest."""
    name = path.name
    kind = _BY_NAME.get(name)
    if kind is not None:
        return kind
    if name == "dependencies.lock":
        head = _head(path)
        return "idf-lock" if head is not None and _IDF_LOCK.search(head) else None
    if name == "CMakeLists.txt" or name.endswith(".cmake"):
        head = _head(path)
        return "cmake" if head is not None and _CMAKE_CALL.search(head) else None
    if path.parent.name == "submanifests" and name.endswith((".yml", ".yaml")):
        head = _head(path)
        return "west" if head is not None and _WEST_START.search(head) else None
    return None


def claim(path: Path) -> InputKind | None:
    return InputKind.BUILD_MANIFEST if manifest_kind(path) is not None else None


def collect_build_manifest(spec: InputSpec) -> Collected:
    """Read one build manifest (any kind ``claim`` accepts) into components and diagnostics."""
    from mdrgate.collect.firmware.manifests.readers import read_manifest

    return read_manifest(spec, manifest_kind(spec.path))


__all__ = ["claim", "collect_build_manifest", "manifest_kind"]
