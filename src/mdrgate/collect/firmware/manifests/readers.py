"""Dispatch from a manifest kind to its reader, with the file read once and digested."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from mdrgate.collect.base import Collected, InputSpec, not_utf8, read_input
from mdrgate.collect.firmware.manifests.declared import Manifest
from mdrgate.errors import InputError
from mdrgate.model import InputFile

Reader = Callable[[InputSpec, str, Manifest], tuple[InputFile, ...]]
"""Reads ``text`` (the manifest) into the ``Manifest``; returns other files it read, digested."""


def _readers() -> dict[str, tuple[str, Reader]]:
    from mdrgate.collect.firmware.manifests import (
        cmake,
        conan,
        espidf,
        gitmodules,
        platformio,
        vcpkg,
        west,
    )

    return {
        "gitmodules": ("gitmodules", gitmodules.read),
        "platformio": ("platformio", platformio.read),
        "west": ("west", west.read),
        "idf-component": ("esp-idf", espidf.read_manifest),
        "idf-lock": ("esp-idf", espidf.read_lock),
        "conanfile-txt": ("conan", conan.read_conanfile_txt),
        "conanfile-py": ("conan", conan.read_conanfile_py),
        "conan-lock": ("conan", conan.read_lock),
        "vcpkg": ("vcpkg", vcpkg.read),
        "cmake": ("cmake", cmake.read),
    }


def read_manifest(spec: InputSpec, kind: str | None) -> Collected:
    readers = _readers()
    if kind is None or kind not in readers:
        raise InputError(
            "is not a build manifest mdrgate reads (.gitmodules, platformio.ini, west.yml, "
            "idf_component.yml, an ESP-IDF dependencies.lock, conanfile.txt/.py, conan.lock, "
            "vcpkg.json, or CMake with FetchContent_Declare/ExternalProject_Add)",
            source=spec.display,
        )
    label, reader = readers[kind]
    # A build file with a Latin-1 comment must not stop the scan: read it lossily, and say so.
    text, digest = read_input(spec.path, display=spec.display, kind=spec.kind.value, lossy=True)
    manifest = Manifest(spec.display, label)
    others = reader(spec, text, manifest)
    result = manifest.result(digest, *others)
    note = not_utf8(text, spec.display)
    if note is None:
        return result
    return replace(result, diagnostics=(*result.diagnostics, note))
