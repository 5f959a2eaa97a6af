"""CMake FetchContent_Declare / ExternalProject_Add: tags, commits, branches, variables, URLs."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdrgate.collect.firmware.manifests import claim
from mdrgate.errors import InputError
from tests.unit.firmware.manifests.conftest import codes, collect_file, props


def test_tag_from_a_variable_set_once(manifests: Path) -> None:
    (mbedtls,) = collect_file(manifests / "cmake" / "tlrender" / "BuildMbedTLS.cmake").components
    assert (mbedtls.catalogue_id, mbedtls.version) == ("mbedtls", "3.4.1")
    assert mbedtls.origins[0].line == 14
    assert props(mbedtls)["mdrgate:vcs:ref"] == "v3.4.1"


def test_curl_tag_with_underscores(manifests: Path) -> None:
    (curl,) = collect_file(manifests / "cmake" / "tlrender" / "BuildCURL.cmake").components
    assert (curl.name, curl.version) == ("curl", "8.4.0")


def test_commit_with_a_tag_comment_is_still_a_commit(manifests: Path) -> None:
    result = collect_file(manifests / "cmake" / "tlrender" / "BuildZLIB.cmake")
    (zlib,) = result.components
    assert (zlib.catalogue_id, zlib.version) == ("zlib", None)
    assert zlib.version_spec == "git commit cacf7f1d4e3d44d871b605da3b647f07d718623f"
    assert zlib.purl == "pkg:github/madler/zlib@cacf7f1d4e3d44d871b605da3b647f07d718623f"
    assert codes(result) == [("no-exact-version", 16)]


def test_fork_branch_is_not_a_version(manifests: Path) -> None:
    result = collect_file(manifests / "cmake" / "tlsuv" / "mbedtls.cmake")
    (mbedtls,) = result.components
    assert (mbedtls.version, mbedtls.version_spec) == (None, "git branch verify-ip-sans-v2.23.0")
    assert props(mbedtls)["mdrgate:vcs:url"] == "https://github.com/netfoundry/mbedtls.git"


def test_variable_set_twice_is_unresolved(tmp_path: Path, manifests: Path) -> None:
    text = (manifests / "cmake" / "tlrender" / "BuildMbedTLS.cmake").read_text()
    text = text.replace(
        'set(MbedTLS_GIT_TAG "v3.4.1")',
        'set(MbedTLS_GIT_TAG "v3.4.1")\nset(MbedTLS_GIT_TAG "v3.5.0")',
    )
    (tmp_path / "BuildMbedTLS.cmake").write_text(text)
    result = collect_file(tmp_path / "BuildMbedTLS.cmake")
    (mbedtls,) = result.components
    assert mbedtls.version is None
    assert mbedtls.version_spec == "GIT_TAG ${MbedTLS_GIT_TAG}"


def test_archive_urls(tmp_path: Path, manifests: Path) -> None:
    text = (manifests / "cmake" / "tlsuv" / "mbedtls.cmake").read_text()
    text = text.replace(
        "GIT_REPOSITORY https://github.com/netfoundry/mbedtls.git\n"
        "        GIT_TAG verify-ip-sans-v2.23.0",
        "URL https://github.com/ARMmbed/mbedtls/archive/mbedtls-2.16.2.tar.gz",
    )
    (tmp_path / "CMakeLists.txt").write_text(text)
    (mbedtls,) = collect_file(tmp_path / "CMakeLists.txt").components
    assert (mbedtls.catalogue_id, mbedtls.version) == ("mbedtls", "2.16.2")


def test_comments_and_brackets_hide_calls(tmp_path: Path, manifests: Path) -> None:
    text = (manifests / "cmake" / "tlsuv" / "mbedtls.cmake").read_text()
    (tmp_path / "x.cmake").write_text("#[==[\n" + text + "]==]\n# " + text.replace("\n", "\n# "))
    assert claim(tmp_path / "x.cmake") is not None  # the cheap check sees the name
    result = collect_file(tmp_path / "x.cmake")
    assert result.components == ()


def test_unclosed_call_is_an_input_error(tmp_path: Path, manifests: Path) -> None:
    text = (manifests / "cmake" / "tlsuv" / "mbedtls.cmake").read_text()
    (tmp_path / "CMakeLists.txt").write_text(text[: text.index("\n)")])
    with pytest.raises(InputError) as caught:
        collect_file(tmp_path / "CMakeLists.txt")
    assert caught.value.location == "2"


def test_cmakelists_without_declarations_is_not_claimed(tmp_path: Path) -> None:
    (tmp_path / "CMakeLists.txt").write_text("cmake_minimum_required(VERSION 3.16)\n")
    assert claim(tmp_path / "CMakeLists.txt") is None
