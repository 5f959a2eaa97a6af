"""Every archive a linker map names is inventoried: all of a component's archives are read, the
toolchain's runtime is named, an archive outside the catalogue is a component of its own.

``host/linked/app2.map`` is a real link of Debian's static Mbed TLS, liblzma, libzstd and libmd
archives (trimmed to the members linked) with glibc's ``libm-2.36.a`` and GCC's ``libgcc.a``;
``host/conflict/conflict.map`` a partial link (``ld -r``) of two trimmed ``libcrypto.a``, one from
OpenSSL 3.0.19 and one from 3.0.22 (``tests/assets/PROVENANCE.md``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mdrgate.collect.base import Collected, InputKind, InputSpec
from mdrgate.collect.firmware import linkmap_runtime
from mdrgate.collect.firmware.linkmap import collect_linker_map
from mdrgate.model import Presence
from tests.unit.firmware.images.support import ASSETS

LINKED = ASSETS / "host" / "linked"
CONFLICT = ASSETS / "host" / "conflict"


def _collect(path: Path, display: str) -> Collected:
    return collect_linker_map(InputSpec(InputKind.LINKER_MAP, path, display))


def _found(result: Collected) -> set[tuple[str | None, str, str | None]]:
    return {(c.catalogue_id, c.name, c.version) for c in result.components}


def _component(result: Collected, name: str):  # type: ignore[no-untyped-def]
    return next(c for c in result.components if c.name == name or c.catalogue_id == name)


def test_every_linked_archive_is_a_component() -> None:
    result = _collect(LINKED / "app2.map", "app2.map")
    assert _found(result) == {
        ("mbedtls", "Mbed TLS", "2.28.3"),
        ("xz", "XZ Utils (liblzma)", "5.4.1"),
        ("zstd", "Zstandard (libzstd)", "1.5.4"),
        ("glibc", "GNU C Library (glibc)", "2.36"),
        ("libgcc", "libgcc (GCC runtime library)", "12.2.0"),
        (None, "md", None),
    }
    assert {c.presence for c in result.components} == {Presence.IN_IMAGE}
    assert [f.path for f in result.files] == [
        "app2.map",
        "lib/libmbedtls.a",
        "lib/libmbedcrypto.a",
        "lib/liblzma.a",
        "lib/libzstd.a",
        "lib/libmd.a",
    ]


def test_the_version_is_read_from_every_archive_of_the_component() -> None:
    """The map names libmbedtls.a first (no version text), libmbedcrypto.a second. Before: only
    the first archive was read, and Mbed TLS was a known unknown."""
    result = _collect(LINKED / "app2.map", "app2.map")
    mbedtls = _component(result, "mbedtls")
    assert [o.location for o in mbedtls.origins] == [
        "lib/libmbedcrypto.a(version.c.o)@0x70",
        "app2.map:3",
        "app2.map:5",
    ]
    assert mbedtls.origins[0].text == "mbed TLS 2.28.3"
    assert not [d for d in result.diagnostics if d.component == mbedtls.bom_ref]


def test_bare_versions_of_xz_and_zstd_in_the_members_that_define_them() -> None:
    result = _collect(LINKED / "app2.map", "app2.map")
    xz, zstd = _component(result, "xz"), _component(result, "zstd")
    assert xz.purl == "pkg:github/tukaani-project/xz@v5.4.1"
    assert xz.cpes == ("cpe:2.3:a:tukaani:xz:5.4.1:*:*:*:*:*:*:*",)
    assert [(o.location, o.text) for o in xz.origins] == [
        ("lib/liblzma.a(liblzma_la-common.o)@0x92c", "5.4.1\\x00"),
        ("app2.map:7", "lib/liblzma.a(liblzma_la-common.o)"),
    ]
    assert zstd.cpes == ("cpe:2.3:a:facebook:zstandard:1.5.4:*:*:*:*:*:*:*",)
    assert zstd.origins[0].location == "lib/libzstd.a(zstd_common.o)@0x13d"


def test_an_archive_outside_the_catalogue_is_inventoried_with_an_unknown_version() -> None:
    result = _collect(LINKED / "app2.map", "app2.map")
    md = _component(result, "md")
    assert (md.purl, md.version, md.catalogue_id) == ("pkg:generic/md", None, None)
    assert md.properties == (("mdrgate:firmware:linked-archive", "lib/libmd.a"),)
    assert [o.location for o in md.origins] == ["app2.map:12", "app2.map:13"]
    (note,) = [d for d in result.diagnostics if d.component == md.bom_ref]
    assert (note.code, note.level.value, note.line) == ("no-exact-version", "warning", 12)
    assert note.message == (
        "md is linked into the image (lib/libmd.a at app2.map:12), but mdrgate has no catalogue "
        "entry for libmd.a, so its version is unknown; declare it (name, supplier, version) in "
        "the SOUP register"
    )


def test_toolchain_runtime_versions_from_the_archive_name_and_the_image_comment() -> None:
    result = _collect(LINKED / "app2.map", "app2.map")
    glibc, libgcc = _component(result, "glibc"), _component(result, "libgcc")
    assert glibc.purl == "pkg:generic/glibc@2.36"
    assert dict(glibc.properties) == {
        "mdrgate:firmware:linked-archive": "/usr/lib/x86_64-linux-gnu/libm-2.36.a",
        "mdrgate:firmware:version-from": (
            "app2.map:14: /usr/lib/x86_64-linux-gnu/libm-2.36.a(s_fdim.o)"
        ),
    }
    # /usr/lib/gcc/x86_64-linux-gnu/12/: Debian keeps only the major; the image's .comment
    # completes it
    assert libgcc.purl == "pkg:generic/gcc/libgcc@12.2.0"
    assert [(o.location, o.text) for o in libgcc.origins] == [
        ("app2", "GCC: (Debian 12.2.0-14+deb12u1) 12.2.0"),
        ("app2.map:16", "/usr/lib/gcc/x86_64-linux-gnu/12/libgcc.a(_divdi3.o)"),
    ]
    assert result.diagnostics == tuple(
        d for d in result.diagnostics if d.component == _component(result, "md").bom_ref
    )


def test_gcc_runtime_without_the_image_is_a_known_unknown(tmp_path: Path) -> None:
    shutil.copytree(LINKED, tmp_path / "linked")
    (tmp_path / "linked" / "app2").unlink()
    result = _collect(tmp_path / "linked" / "app2.map", "app2.map")
    libgcc = _component(result, "libgcc")
    assert libgcc.version is None
    (note,) = [d for d in result.diagnostics if d.component == libgcc.bom_ref]
    assert note.message == (
        "libgcc (GCC runtime library) is linked into the image "
        "(/usr/lib/gcc/x86_64-linux-gnu/12/libgcc.a at app2.map:16), but it is the toolchain's "
        "runtime, which carries no version text: the path of its archives gives GCC 12, and the "
        "image's toolchain note (.comment) was not read: app2 was not found (looked for it from "
        "the map's directory); declare its version (the toolchain's release notes name it) in "
        "the SOUP register"
    )


def test_archives_holding_different_versions_are_conflicting_evidence() -> None:
    result = _collect(CONFLICT / "conflict.map", "conflict.map")
    assert _found(result) == {("openssl", "OpenSSL", "3.0.19"), ("openssl", "OpenSSL", "3.0.22")}
    old, new = sorted(result.components, key=lambda c: c.version or "")
    assert [o.location for o in old.origins] == [
        "old/libcrypto.a(libcrypto-lib-cversion.o)@0x179",
        "conflict.map:3",
    ]
    assert [o.location for o in new.origins] == [
        "new/libcrypto.a(libcrypto-lib-baseprov.o)@0x274",
        "conflict.map:5",
    ]
    (note,) = result.diagnostics
    assert (note.code, note.line, note.component) == ("conflicting-evidence", 3, old.bom_ref)
    assert note.message == (
        "conflict.map links OpenSSL from archives holding 2 versions: 3.0.19 in "
        "old/libcrypto.a(libcrypto-lib-cversion.o)@0x179; 3.0.22 in "
        "new/libcrypto.a(libcrypto-lib-baseprov.o)@0x274; all are kept"
    )


@pytest.mark.parametrize(
    ("path", "libc"),
    [
        ("/usr/lib/gcc/x86_64-linux-gnu/12/../../../x86_64-linux-gnu/libc.a", "glibc"),
        ("/usr/lib/gcc/x86_64-redhat-linux/13/../../../../lib64/libc.a", "glibc"),
        ("/opt/poky/sysroots/cortexa7t2hf-neon-poky-linux-gnueabi/usr/lib/libm.a", "glibc"),
        ("/usr/lib/x86_64-linux-gnu/libm-2.36.a", "glibc"),
        ("/usr/lib/gcc/arm-none-eabi/12.2.1/../../../arm-none-eabi/lib/thumb/libc.a", "newlib"),
        ("C:\\ST\\gnu-tools\\arm-none-eabi\\lib\\thumb\\v7e-m+fp\\hard\\libm.a", "newlib"),
        (
            "/home/ci/.espressif/tools/xtensa-esp32-elf/esp-12.2.0/xtensa-esp32-elf/lib/libc.a",
            "newlib",
        ),
        ("/opt/x-tools/aarch64-linux-musl/aarch64-linux-musl/lib/libc.a", "musl"),
        ("/opt/zephyr-sdk/arm-zephyr-eabi/picolibc/arm-zephyr-eabi/lib/libc.a", None),
        ("/usr/lib64/libc.a", None),
        ("lib/libz.a", None),
        ("/usr/arm-linux-gnueabihf/lib/libcrypt.a", None),  # libxcrypt, not glibc's
    ],
)
def test_whose_c_library(path: str, libc: str | None) -> None:
    assert linkmap_runtime.runtime_id(path, None) == libc


def test_an_archive_without_a_target_in_its_path_follows_the_other_files_of_the_map() -> None:
    paths = ["/usr/lib64/libc.a", "/usr/lib/gcc/x86_64-redhat-linux/13/crtbeginT.o"]
    hint = linkmap_runtime.map_libc(paths)
    assert (hint, linkmap_runtime.runtime_id("/usr/lib64/libc.a", hint)) == ("glibc", "glibc")
    mixed = ["/x/arm-none-eabi/lib/crt0.o", "/usr/lib/gcc/x86_64-linux-gnu/12/crtbegin.o"]
    assert linkmap_runtime.map_libc(mixed) is None


@pytest.mark.parametrize(
    ("directories", "comments", "version"),
    [
        ({"12.2.1"}, [], "12.2.1"),
        ({"12"}, ["GCC: (Debian 12.2.0-14+deb12u1) 12.2.0"], "12.2.0"),
        ({"12"}, ["GCC: (GNU Arm Embedded Toolchain 10.3-2021.10) 10.3.1 20210824"], None),
        (set(), ["GCC: (15:12.2.rel1-1) 12.2.1 20221205"], "12.2.1"),
        ({"12"}, ["GCC: (Debian 12.2.0-14) 12.2.0", "GCC: (Debian 12.3.0-1) 12.3.0"], None),
        ({"12", "13"}, ["GCC: (Debian 12.2.0-14) 12.2.0"], None),
        ({"12"}, ["clang version 16.0.6"], None),
    ],
)
def test_gcc_version(directories: set[str], comments: list[str], version: str | None) -> None:
    got = linkmap_runtime.gcc_version(directories, comments)
    assert (got[0] if got else None) == version
