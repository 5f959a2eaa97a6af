"""Conan: conanfile.txt, conanfile.py read by syntax tree, conan.lock 2.x and 1.x."""

from __future__ import annotations

from pathlib import Path

import pytest

from mdrgate.errors import InputError
from tests.unit.firmware.manifests.conftest import by_name, codes, collect_file, props


def test_conanfile_txt_requires_and_tools(manifests: Path) -> None:
    path = manifests / "conan" / "tool_requires" / "conanfile.txt"
    (zlib,) = collect_file(path).components
    assert (zlib.catalogue_id, zlib.version, zlib.origins[0].line) == ("zlib", "1.2.11", 2)
    assert props(zlib)["mdrgate:manifest:purl"] == "pkg:conan/zlib@1.2.11"
    with_tools = by_name(collect_file(path, include_dev=True))
    (cmake,) = with_tools["cmake"]
    assert (cmake.version, props(cmake)["mdrgate:manifest:scope"]) == ("3.19.8", "build")


def test_conanfile_py_is_read_without_running_it(manifests: Path) -> None:
    result = collect_file(manifests / "conan" / "conanfile_py" / "conanfile.py")
    found = by_name(result)
    (base64,) = found["base64"]
    assert (base64.version, base64.purl) == ("0.4.0", "pkg:conan/base64@0.4.0")
    assert props(base64)["mdrgate:conan:condition"] == "self.settings.os == 'Windows'"
    assert base64.origins[0].text == 'self.requires("base64/0.4.0")'
    assert "cmake" not in found
    assert result.diagnostics == ()


def test_version_range_is_a_spec(manifests: Path) -> None:
    result = collect_file(manifests / "conan" / "versioning" / "conanfile.py")
    (zlib,) = result.components
    assert (zlib.version, zlib.version_spec) == (None, "[~1.2]")
    assert codes(result) == [("no-exact-version", 9)]


def test_conan2_lock(manifests: Path) -> None:
    result = collect_file(manifests / "conan" / "openstudio" / "conan.lock")
    found = by_name(result)
    assert len(result.components) == 31
    (boost,) = found["boost"]
    assert boost.purl == "pkg:conan/boost@1.79.0?rrev=d8a5b9e748e4152d6f489d7d87a1f129"
    assert props(boost)["mdrgate:conan:recipe-timestamp"] == "1706000284.647"
    assert props(boost)["mdrgate:manifest:version-from"] == "lock"
    assert boost.origins[0].line == 33
    (stb,) = found["stb"]
    assert stb.version == "cci.20230920"
    assert "cmake" not in found
    assert (
        len(
            collect_file(
                manifests / "conan" / "openstudio" / "conan.lock", include_dev=True
            ).components
        )
        == 47
    )


def test_conan1_lock_skips_the_consumer(manifests: Path) -> None:
    (pkga,) = collect_file(manifests / "conan" / "docs-v1" / "conan.lock").components
    assert pkga.purl == "pkg:conan/pkga@0.1?channel=testing&user=user"
    assert pkga.origins[0].line == 12


def test_computed_requirement_is_reported(tmp_path: Path, manifests: Path) -> None:
    text = (manifests / "conan" / "versioning" / "conanfile.py").read_text()
    text = text.replace('"zlib/[~1.2]"', 'f"zlib/{self.version}"')
    (tmp_path / "conanfile.py").write_text(text)
    result = collect_file(tmp_path / "conanfile.py")
    assert result.components == ()
    assert codes(result) == [("unresolved-requirement", 9)]


@pytest.mark.parametrize(
    ("name", "text", "location"),
    [
        ("conanfile.py", "class A(:\n", "1"),
        ("conan.lock", '{"requires": [\n', "2"),
        ("conanfile.txt", "zlib/1.2.11\n", "1"),
    ],
)
def test_malformed_files_are_input_errors(
    tmp_path: Path, name: str, text: str, location: str
) -> None:
    (tmp_path / name).write_text(text)
    with pytest.raises(InputError) as caught:
        collect_file(tmp_path / name)
    assert caught.value.location == location


def test_bad_reference_is_an_error_diagnostic(tmp_path: Path) -> None:
    (tmp_path / "conanfile.txt").write_text("[requires]\nzlib\n")
    result = collect_file(tmp_path / "conanfile.txt")
    assert result.components == ()
    assert codes(result) == [("unparsable-reference", 2)]


def test_system_package_is_not_a_version(tmp_path: Path, manifests: Path) -> None:
    # the "vaapi/system" reference of PlotJuggler/PlotJuggler's conan.lock (commit 04fc7f53)
    text = (manifests / "conan" / "openstudio" / "conan.lock").read_text()
    text = text.replace(
        "stb/cci.20230920#9792498b81cf34a90138d239e36b0bf8%1700546289.605",
        "vaapi/system#cdcdbc227b2ffe0c7659b6ceef30ee3a%1781079540.027",
    )
    (tmp_path / "conan.lock").write_text(text)
    result = collect_file(tmp_path / "conan.lock")
    (vaapi,) = by_name(result)["vaapi"]
    assert (vaapi.version, vaapi.version_spec) == (None, "system")
    assert codes(result) == [("no-exact-version", 9)]
