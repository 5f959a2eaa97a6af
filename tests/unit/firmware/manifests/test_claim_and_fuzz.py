"""Which files are build manifests, and that no input makes a reader fail other than cleanly."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mdrgate.collect.base import InputKind, InputSpec
from mdrgate.collect.discovery import discover_inputs
from mdrgate.collect.firmware.manifests import claim, collect_build_manifest
from mdrgate.errors import InputError

NAMES = [
    ".gitmodules",
    "platformio.ini",
    "west.yml",
    "idf_component.yml",
    "conanfile.txt",
    "conanfile.py",
    "conan.lock",
    "vcpkg.json",
]


@pytest.mark.parametrize("name", NAMES)
def test_claimed_by_name(tmp_path: Path, name: str) -> None:
    assert claim(tmp_path / name) is InputKind.BUILD_MANIFEST


@pytest.mark.parametrize("name", ["requirements.txt", "west.yaml", "platformio.cfg", "main.c"])
def test_other_names_are_not_claimed(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text("manifest:\n")
    assert claim(tmp_path / name) is None


def test_cmake_call_names_are_case_insensitive(tmp_path: Path) -> None:
    (tmp_path / "deps.cmake").write_text("fetchcontent_declare (x URL https://e/x-1.0.tar.gz)\n")
    assert claim(tmp_path / "deps.cmake") is InputKind.BUILD_MANIFEST


def test_discovery_finds_manifests(manifests: Path) -> None:
    specs, _ = discover_inputs([manifests], cwd=manifests.parent)
    kinds = {
        s.display.split("manifests/", 1)[1] for s in specs if s.kind is InputKind.BUILD_MANIFEST
    }
    assert "gitmodules/esp-idf/.gitmodules" in kinds
    assert "cmake/tlrender/BuildZLIB.cmake" in kinds
    assert "espidf/daikin/dependencies.lock" in kinds
    assert len(kinds) == 19


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.sampled_from([*NAMES, "CMakeLists.txt"]), text=st.text(max_size=300))
def test_any_text_is_read_or_refused_cleanly(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(("FetchContent_Declare(" if name == "CMakeLists.txt" else "") + text)
    spec = InputSpec(InputKind.BUILD_MANIFEST, path, name)
    try:
        result = collect_build_manifest(spec)
    except InputError as error:
        assert error.source == name
        return
    for component in result.components:
        assert component.origins and component.origins[0].path == name


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=400))
def test_any_index_bytes_are_read_or_reported(tmp_path: Path, data: bytes) -> None:
    (tmp_path / ".git").mkdir(exist_ok=True)
    (tmp_path / ".git" / "index").write_bytes(b"DIRC\x00\x00\x00\x02" + data)
    (tmp_path / ".gitmodules").write_text(
        '[submodule "a"]\n\tpath = a\n\turl = https://e.org/a.git\n'
    )
    spec = InputSpec(InputKind.BUILD_MANIFEST, tmp_path / ".gitmodules", ".gitmodules")
    result = collect_build_manifest(spec)
    assert len(result.components) == 1
