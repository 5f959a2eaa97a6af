"""Files that are a component's but do not state an exact release: kept, with no version."""

from __future__ import annotations

import os
from pathlib import Path

from mdrgate.collect.firmware.sources import claim
from mdrgate.model import DiagnosticLevel
from tests.unit.firmware.sources.conftest import SOURCES, collect_file


def _copy(tmp_path: Path, asset: str, edit: tuple[str, str] | None = None) -> Path:
    """A real asset copied below ``tmp_path`` at its own relative path, optionally edited."""
    target = tmp_path / asset
    target.parent.mkdir(parents=True, exist_ok=True)
    data = (SOURCES / asset).read_bytes()
    if edit is not None:
        old, new = edit
        assert old.encode() in data
        data = data.replace(old.encode(), new.encode())
    target.write_bytes(data)
    return target


def test_littlefs_states_major_and_minor_only() -> None:
    result = collect_file(SOURCES / "littlefs/lfs.h")
    (component,) = result.components
    assert (component.catalogue_id, component.version, component.version_spec) == (
        "littlefs",
        None,
        "2.5",
    )
    assert component.purl == "pkg:github/littlefs-project/littlefs"
    assert component.cpes == ()
    (note,) = result.diagnostics
    assert (note.code, note.level, note.path, note.line, note.component) == (
        "no-exact-version",
        DiagnosticLevel.WARNING,
        "littlefs/lfs.h",
        24,
        "pkg:github/littlefs-project/littlefs",
    )
    assert note.message == (
        "littlefs/lfs.h: littlefs was found, but its file declares '2.5' (LFS_VERSION): "
        "LFS_VERSION states major and minor only: the patch release cannot be told; it is kept "
        "with no version and cannot be matched against vulnerability data"
    )


def test_cmsis_core_states_main_and_sub_only() -> None:
    result = collect_file(SOURCES / "cmsis/CMSIS/Core/Include/cmsis_version.h")
    (component,) = result.components
    assert (component.name, component.version, component.version_spec, component.purl) == (
        "CMSIS-Core(M)",
        None,
        "5.0",
        "pkg:generic/arm/cmsis-core",
    )
    assert [d.code for d in result.diagnostics] == ["no-exact-version"]


def test_development_versions_are_not_releases() -> None:
    nanopb = collect_file(SOURCES / "nanopb/pb.h")
    (component,) = nanopb.components
    assert (component.version, component.version_spec) == (None, "0.2.7-dev")
    assert component.cpes == ("cpe:2.3:a:nanopb_project:nanopb:*:*:*:*:*:*:*:*",)
    assert "a development version ('-dev')" in nanopb.diagnostics[0].message

    percepio = collect_file(SOURCES / "percepio/include/trcRecorder.h")
    (component,) = percepio.components
    assert (component.catalogue_id, component.version, component.version_spec) == (
        "percepio-trace-recorder",
        None,
        "4.6.0(RC0)",
    )


def test_zephyr_version_file_beside_the_zephyr_tree(tmp_path: Path) -> None:
    version = _copy(tmp_path, "zephyr/VERSION")
    # An application's VERSION file has the same format: only Zephyr's own tree is Zephyr.
    assert claim(version) is None
    (version.parent / "zephyr-env.sh").write_text("", encoding="utf-8")
    result = collect_file(version, "zephyr/VERSION")
    (component,) = result.components
    assert (component.version, component.purl, component.cpes) == (
        "1.13.0-rc1",
        "pkg:github/zephyrproject-rtos/zephyr@v1.13.0-rc1",
        ("cpe:2.3:o:zephyrproject:zephyr:1.13.0-rc1:*:*:*:*:*:*:*",),
    )
    assert component.origins[0].text == "VERSION_MAJOR = 1"
    assert result.diagnostics == ()


def test_zephyr_development_tree_is_not_a_release(tmp_path: Path) -> None:
    version = _copy(
        tmp_path,
        "zephyr/VERSION",
        (
            "PATCHLEVEL = 0\nVERSION_TWEAK = 0\nEXTRAVERSION = rc1",
            "PATCHLEVEL = 99\nVERSION_TWEAK = 0\nEXTRAVERSION =",
        ),
    )
    (version.parent / "Kconfig.zephyr").write_text("", encoding="utf-8")
    result = collect_file(version, "zephyr/VERSION")
    (component,) = result.components
    assert (component.version, component.version_spec) == (None, "1.13.99")
    assert "PATCHLEVEL 99" in result.diagnostics[0].message


def test_macro_missing_keeps_the_component_unknown(tmp_path: Path) -> None:
    curlver = _copy(
        tmp_path, "curl/include/curl/curlver.h", ('#define LIBCURL_VERSION "7.88.1"\n', "")
    )
    result = collect_file(curlver, "curl/include/curl/curlver.h")
    (component,) = result.components
    assert (component.catalogue_id, component.version, component.version_spec) == (
        "curl",
        None,
        None,
    )
    assert component.purl == "pkg:github/curl/curl"
    (note,) = result.diagnostics
    assert (note.code, note.line) == ("no-exact-version", 1)
    assert note.message == (
        "curl/include/curl/curlver.h: curl was found, but its file declares no version that "
        "could be read (looked for LIBCURL_VERSION); it is kept with no version and cannot be "
        "matched against vulnerability data"
    )


def test_binary_garbage_named_like_a_header(tmp_path: Path) -> None:
    garbage = tmp_path / "zlib.h"
    garbage.write_bytes(b"\x7fELF\x02\x01\x01\x00" + os.urandom(4096))
    result = collect_file(garbage)
    (component,) = result.components
    assert (component.catalogue_id, component.version) == ("zlib", None)
    (note,) = result.diagnostics
    assert note.code == "no-exact-version"
    assert "is not a text file (NUL bytes within its first 4104 bytes)" in note.message


def test_fatfs_revision_id_alone_gives_the_release(tmp_path: Path) -> None:
    banner = "/  FatFs - Generic FAT Filesystem module  R0.14b                              /\n"
    ff = _copy(tmp_path, "fatfs/source/ff.h", (banner, ""))
    (component,) = collect_file(ff, "fatfs/source/ff.h").components
    assert component.version == "R0.14b"
    assert [(o.line, o.text) for o in component.origins] == [
        (22, "#define FF_DEFINED\t86631\t/* Revision ID */")
    ]


def test_fatfs_unknown_revision_id_is_reported_not_guessed(tmp_path: Path) -> None:
    banner = "/  FatFs - Generic FAT Filesystem module  R0.14b                              /\n"
    ff = _copy(tmp_path, "fatfs/source/ff.h", (banner, ""))
    ff.write_bytes(ff.read_bytes().replace(b"86631", b"12345"))
    result = collect_file(ff, "fatfs/source/ff.h")
    (component,) = result.components
    assert (component.version, component.version_spec) == (None, "12345")
    assert "declares '12345' (FF_DEFINED revision ID)" in result.diagnostics[0].message

    # With the banner kept, the banner's release is used and the ID is noted.
    ff2 = _copy(tmp_path / "b", "fatfs/source/ff.h", ("86631", "12345"))
    result = collect_file(ff2, "fatfs/source/ff.h")
    (component,) = result.components
    assert component.version == "R0.14b"
    (note,) = result.diagnostics
    assert (note.code, note.level, note.line) == (
        "unreadable-version-declaration",
        DiagnosticLevel.INFO,
        23,
    )


def test_conflicting_versions_in_one_file(tmp_path: Path) -> None:
    task = _copy(
        tmp_path,
        "freertos-kernel/include/task.h",
        ('tskKERNEL_VERSION_NUMBER       "V10.3.1"', 'tskKERNEL_VERSION_NUMBER       "V10.4.3"'),
    )
    result = collect_file(task, "freertos-kernel/include/task.h")
    assert [(c.version, c.purl) for c in result.components] == [
        ("10.3.1", "pkg:github/freertos/freertos-kernel@V10.3.1"),
        ("10.4.3", "pkg:github/freertos/freertos-kernel@V10.4.3"),
    ]
    listing = (
        "'10.3.1' at line 2 (FreeRTOS Kernel banner); "
        "'10.4.3' at line 47 (tskKERNEL_VERSION_NUMBER)"
    )
    assert [(d.code, d.line, d.component, d.message) for d in result.diagnostics] == [
        (
            "conflicting-evidence",
            2,
            "pkg:github/freertos/freertos-kernel@V10.3.1",
            "freertos-kernel/include/task.h states 2 different versions of FreeRTOS Kernel: "
            + listing,
        ),
        (
            "conflicting-evidence",
            47,
            "pkg:github/freertos/freertos-kernel@V10.4.3",
            "freertos-kernel/include/task.h states 2 different versions of FreeRTOS Kernel: "
            + listing,
        ),
    ]


def test_freertos_development_version(tmp_path: Path) -> None:
    # The kernel's main branch states "V11.1.0+" after the 11.1.0 release.
    task = _copy(
        tmp_path,
        "freertos-kernel/include/task.h",
        ('"V10.3.1"', '"V11.1.0+"'),
    )
    task.write_bytes(
        task.read_bytes().replace(
            b" * FreeRTOS Kernel V10.3.1", b" * FreeRTOS Kernel <DEVELOPMENT BRANCH>"
        )
    )
    result = collect_file(task, "freertos-kernel/include/task.h")
    (component,) = result.components
    assert (component.version, component.version_spec) == (None, "11.1.0+")
    assert (
        "a development version ('+': after the numbered release)" in result.diagnostics[0].message
    )
