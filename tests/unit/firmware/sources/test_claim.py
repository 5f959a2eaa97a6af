"""Which files are claimed: by name, and for common names only when their content says so."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mdrgate.collect.base import InputKind, InputSpec
from mdrgate.collect.firmware.sources import claim, collect_firmware_source
from tests.unit.firmware.sources.conftest import SOURCES, collect_file


def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def test_js_without_a_banner_is_not_claimed() -> None:
    # Minified moment.js (npm and Debian builds) carries no release banner.
    assert claim(SOURCES / "webui/npm/moment.min.js") is None
    assert claim(SOURCES / "webui/debian/moment.min.js") is None


def test_other_products_compatibility_headers_are_not_openssl() -> None:
    # wolfSSL ships include/wolfssl/openssl/opensslv.h with OPENSSL_VERSION_TEXT "wolfSSL ..."
    assert claim(SOURCES / "wolfssl/wolfssl/openssl/opensslv.h") is None


def test_common_names_need_their_marker(tmp_path: Path) -> None:
    assert (
        claim(_write(tmp_path / "app" / "task.h", "#pragma once\nvoid task_run(void);\n")) is None
    )
    assert claim(_write(tmp_path / "app" / "ff.h", "/* fast forward */\n")) is None
    assert claim(_write(tmp_path / "app" / "pb.h", "#define PB 1\n")) is None
    assert claim(_write(tmp_path / "web" / "app.js", "console.log('jQuery v3.6.1');\n")) is None
    # A header named version.h is Mbed TLS's only below mbedtls/.
    assert (
        claim(_write(tmp_path / "app" / "version.h", '#define MBEDTLS_VERSION_STRING "2.28.3"\n'))
        is None
    )


def test_makefiles_are_recognised_by_their_first_lines(tmp_path: Path) -> None:
    # The Linux kernel's top Makefile has the same variables as BusyBox's and U-Boot's.
    linux = (
        "# SPDX-License-Identifier: GPL-2.0\nVERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\n"
        "EXTRAVERSION =\nNAME = Hurr durr I'ma ninja sloth\n"
    )
    assert claim(_write(tmp_path / "linux" / "Makefile", linux)) is None
    # BusyBox's first lines without BusyBox behind them (a project that copied the header).
    copied = (SOURCES / "busybox/Makefile").read_text(encoding="utf-8").split("\n")[:6]
    assert claim(_write(tmp_path / "copy" / "Makefile", "\n".join(copied) + "\nall:\n")) is None
    assert claim(_write(tmp_path / "plain" / "Makefile", "all:\n\tcc -o app app.c\n")) is None
    assert claim(SOURCES / "busybox/Makefile") is InputKind.FIRMWARE_SOURCE
    assert claim(SOURCES / "u-boot/Makefile") is InputKind.FIRMWARE_SOURCE


def test_zlib_ng_is_not_zlib(tmp_path: Path) -> None:
    # zlib-ng's compatibility zlib.h states ZLIB_VERSION "1.3.0.zlib-ng" next to ZLIBNG_VERSION.
    text = (SOURCES / "zlib/zlib.h").read_text(encoding="utf-8")
    text = text.replace('#define ZLIB_VERSION "1.2.13"', '#define ZLIBNG_VERSION "2.1.6"')
    assert claim(_write(tmp_path / "zlib-ng" / "zlib.h", text)) is None


def test_huge_file_named_like_a_header_is_read_only_at_its_start(tmp_path: Path) -> None:
    path = tmp_path / "zlib" / "zlib.h"
    _write(path, (SOURCES / "zlib/zlib.h").read_bytes())
    with path.open("r+b") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: 200 MB that take no disk space
    tracemalloc.start()
    started = time.perf_counter()
    result = collect_firmware_source(InputSpec(InputKind.FIRMWARE_SOURCE, path, "zlib/zlib.h"))
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 1.0
    assert peak < 4 * 1024 * 1024
    # The zeros after the real header make it no text file: zlib, version unknown.
    (component,) = result.components
    assert (component.catalogue_id, component.version) == ("zlib", None)
    assert [(d.code, d.message) for d in result.diagnostics] == [
        (
            "large-source-file",
            "zlib/zlib.h is 209715200 bytes, far larger than any version-declaring source "
            "file; only its first 65536 bytes were read and digested",
        ),
        (
            "no-exact-version",
            "zlib/zlib.h: zlib was found, but its file is not a text file (NUL bytes within "
            "its first 65536 bytes); it is kept with no version and cannot be matched against "
            "vulnerability data",
        ),
    ]
    (file,) = result.files
    assert file.properties == (("digest-scope", "first 65536 bytes of 209715200"),)


def test_huge_common_name_is_claimed_from_its_start_only(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "FreeRTOS" / "include" / "task.h",
        (SOURCES / "freertos-kernel/include/task.h").read_bytes(),
    )
    with path.open("r+b") as handle:
        handle.truncate(200 * 1024 * 1024)
    started = time.perf_counter()
    assert claim(path) is InputKind.FIRMWARE_SOURCE
    assert time.perf_counter() - started < 0.5


def test_file_that_vanished_after_the_claim(tmp_path: Path) -> None:
    from mdrgate.errors import InputError

    path = tmp_path / "zlib.h"
    with pytest.raises(InputError, match="cannot be read"):
        collect_firmware_source(InputSpec(InputKind.FIRMWARE_SOURCE, path, "zlib.h"))


_NAMES = st.sampled_from(
    [
        "zlib.h",
        "task.h",
        "ff.h",
        "Makefile",
        "VERSION",
        "ui.js",
        "lodash.min.js",
        "library.properties",
        "package.xml",
        "stm32f4xx_hal.c",
        "opensslv.h",
    ]
)
_PREFIXES = st.sampled_from(
    [
        b"",
        b"tskKERNEL_VERSION_NUMBER ",
        b"VERSION = 1\nPATCHLEVEL = 2\nSUBLEVEL = 3\nEXTRAVERSION = x\nNAME = Unnamed\nbusybox\n",
        b"/*! jQuery v",
        b"name=a\nversion=",
        b'<PackDescription Release="FW.F4.',
        b"#define FF_DEFINED ",
        b'# define OPENSSL_VERSION_TEXT "OpenSSL ',
        b"lodash var VERSION='",
    ]
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=_NAMES, prefix=_PREFIXES, body=st.binary(max_size=512))
def test_arbitrary_bytes_never_crash(tmp_path: Path, name: str, prefix: bytes, body: bytes) -> None:
    directory = tmp_path / "openssl" if name == "opensslv.h" else tmp_path
    path = _write(directory / name, prefix + body)
    if claim(path) is None:
        return
    result = collect_firmware_source(InputSpec(InputKind.FIRMWARE_SOURCE, path, name))
    assert {d.code for d in result.diagnostics} <= {
        "no-exact-version",
        "conflicting-evidence",
        "unreadable-version-declaration",
    }
    for component in result.components:
        assert component.purl is not None
        assert (component.version is None) == any(
            d.code == "no-exact-version" and d.component == component.bom_ref
            for d in result.diagnostics
        )


def test_claimed_files_of_the_assets() -> None:
    claimed = sorted(
        p.relative_to(SOURCES).as_posix()
        for p in SOURCES.rglob("*")
        if p.is_file() and claim(p) is not None
    )
    assert "zephyr/VERSION" not in claimed  # no zephyr-env.sh beside it in the assets
    assert "webui/npm/moment.min.js" not in claimed
    assert len(claimed) == 48
    for name in claimed:
        assert collect_file(SOURCES / name).components
