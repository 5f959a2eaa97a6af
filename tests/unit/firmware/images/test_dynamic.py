"""Programs that load a component's shared library: its version text is "built against", not a copy.

``host/dynamic/uses-libcrypto`` prints ``OPENSSL_VERSION_TEXT`` as osslsigncode does and loads
libcrypto.so.3; ``uses-libsqlite3`` compares ``SQLITE_SOURCE_ID`` as the sqlite3 shell does and
loads libsqlite3.so.0. Both embed their headers' strings without containing the library.
"""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest

from mdrgate.collect.firmware import catalogue
from mdrgate.collect.firmware.binary_signatures import (
    SHARED_LIBRARIES,
    shared_library_component,
)
from mdrgate.collect.firmware.images.collect import _not_built_against
from mdrgate.collect.firmware.images.elf import ElfInfo, read_elf
from mdrgate.collect.firmware.images.scan import Hit, Scanner, keep_required
from tests.unit.firmware.images.support import ASSETS, codes, collect, found

DYNAMIC = ASSETS / "host" / "dynamic"
CRYPTO = (DYNAMIC / "uses-libcrypto").read_bytes()
SQLITE = (DYNAMIC / "uses-libsqlite3").read_bytes()


def _props(result: object, name: str) -> list[str]:
    return [v for k, v in result.files[0].properties if k == name]  # type: ignore[attr-defined]


def test_openssl_headers_in_a_program_loading_libcrypto_are_not_a_component() -> None:
    result = collect(DYNAMIC / "uses-libcrypto", "uses-libcrypto")
    assert found(result) == set()
    assert codes(result) == ["no-component-signature"]
    assert _props(result, "needed") == ["libcrypto.so.3, libc.so.6"]
    assert _props(result, "format") == ["ELF 64-bit LSB PIE executable, x86-64"]
    offset = CRYPTO.index(b"OpenSSL 3.0.19 27 Jan 2026")
    assert _props(result, "built-against") == [
        f"OpenSSL 3.0.19: libcrypto.so.3 is loaded at run time; the text at 0x{offset:x} "
        "(OpenSSL 3.0.19 27 Jan 2026) comes from its headers"
    ]


def test_sqlite_source_id_in_a_program_loading_libsqlite3_is_not_a_component() -> None:
    """Before: a versionless SQLite component (a known unknown that fails the gate)."""
    result = collect(DYNAMIC / "uses-libsqlite3", "uses-libsqlite3")
    assert found(result) == set()
    assert codes(result) == ["no-component-signature"]
    (note,) = _props(result, "built-against")
    assert note.startswith("SQLite (version not read): libsqlite3.so.0 is loaded at run time; ")


def test_needed_libraries_from_the_dynamic_segment_when_sections_are_stripped(
    tmp_path: Path,
) -> None:
    stripped = bytearray(CRYPTO)
    struct.pack_into("<Q", stripped, 0x28, 0)  # e_shoff: no section header table
    struct.pack_into("<HHH", stripped, 0x3A, 0, 0, 0)  # e_shentsize, e_shnum, e_shstrndx
    info = read_elf(io.BytesIO(bytes(stripped)), len(stripped))
    assert (info.needed, info.soname, info.problems) == (["libcrypto.so.3", "libc.so.6"], None, [])
    assert info.type == "PIE executable"
    path = tmp_path / "uses-libcrypto"
    path.write_bytes(bytes(stripped))
    assert found(collect(path)) == set()


def test_truncated_dynamic_string_table_is_reported() -> None:
    info = read_elf(io.BytesIO(CRYPTO), len(CRYPTO))
    full = read_elf(io.BytesIO(CRYPTO[:0x400]), 0x400)
    assert info.needed == ["libcrypto.so.3", "libc.so.6"]
    assert full.needed == []
    assert any("runs past the end of the file" in p for p in full.problems)


def test_a_library_keeps_its_own_version_text() -> None:
    """libssl.so.3 needs libcrypto.so.3, both OpenSSL: its own strings are OpenSSL itself."""
    excerpt = (ASSETS / "excerpts" / "openssl-libcrypto.bin").read_bytes()
    hits = Scanner().scan_bytes(excerpt).hits
    assert [h.version for h in hits] == ["3.0.22"]
    own: list[tuple[str, str]] = []
    library = ElfInfo(needed=["libcrypto.so.3", "libc.so.6"], soname="libssl.so.3")
    assert _not_built_against(hits, library, own) == hits
    assert own == []
    program: list[tuple[str, str]] = []
    assert _not_built_against(hits, ElfInfo(needed=["libssl.so.3"]), program) == []
    assert [name for name, _ in program] == ["built-against"]


@pytest.mark.parametrize(
    ("soname", "component"),
    [
        ("libcrypto.so.3", "openssl"),
        ("libssl.so.1.1", "openssl"),
        ("libsqlite3.so.0", "sqlite"),
        ("libz.so.1", "zlib"),
        ("libzstd.so.1", None),
        ("libcurl-gnutls.so.4", "curl"),
        ("libpng16.so.16", "libpng"),
        ("libcoap-3-openssl.so.3", "libcoap"),
        ("libpcre2-8.so.0", "pcre2"),
        ("libmbedcrypto.so.7", "mbedtls"),
        ("libc.so.6", None),
        ("libcrypto.so.3.debug", None),
    ],
)
def test_shared_library_names(soname: str, component: str | None) -> None:
    assert shared_library_component(soname) == component


def test_shared_library_components_are_in_the_catalogue() -> None:
    known = {d.id for d in catalogue.CATALOGUE}
    assert sorted({c for c, _ in SHARED_LIBRARIES} - known) == []


def _excerpt_hits(name: str) -> list[Hit]:
    scan = Scanner().scan_bytes((ASSETS / "excerpts" / name).read_bytes())
    return keep_required(scan.hits, scan.required)


@pytest.mark.parametrize(
    ("excerpt", "needed", "signature", "version"),
    [
        # /usr/bin/curl (curl 7.88.1-10+deb12u15): DT_NEEDED libcurl.so.4, libz.so.1, libc.so.6
        (
            "curl-tool.bin",
            ["libcurl.so.4", "libz.so.1", "libc.so.6"],
            "curl-tool-version",
            "7.88.1",
        ),
        # /usr/bin/openssl (openssl 3.0.22-1~deb12u2): libssl.so.3, libcrypto.so.3, libc.so.6
        (
            "openssl-app.bin",
            ["libssl.so.3", "libcrypto.so.3", "libc.so.6"],
            "openssl-app-version",
            "3.0.22",
        ),
        # ossl-modules/legacy.so (libssl3 3.0.22-1~deb12u2): DT_NEEDED libcrypto.so.3, libc.so.6
        (
            "openssl-legacy-provider.bin",
            ["libcrypto.so.3", "libc.so.6"],
            "openssl-provider-buildinfo",
            "3.0.22",
        ),
    ],
)
def test_a_program_of_the_component_keeps_its_own_version_line(
    excerpt: str, needed: list[str], signature: str, version: str
) -> None:
    """The curl tool and the openssl program load their project's library, and their version
    lines are their own (the corpus truth lists curl and openssl for them). Before: both were
    dropped as 'built against'."""
    hits = _excerpt_hits(excerpt)
    assert [(h.signature.id, h.version) for h in hits] == [(signature, version)]
    notes: list[tuple[str, str]] = []
    assert _not_built_against(hits, ElfInfo(needed=needed), notes) == hits
    assert notes == []


def test_the_openssl_programs_line_is_one_piece_of_evidence() -> None:
    """OPENSSL_VERSION_TEXT inside the program's version line: the library signature's match is
    the same text, not a second origin (nor a 'built against' note)."""
    scan = Scanner().scan_bytes((ASSETS / "excerpts" / "openssl-app.bin").read_bytes())
    assert sorted(h.signature.id for h in scan.hits) == [
        "openssl-app-version",
        "openssl-version-text",
    ]
    (kept,) = keep_required(scan.hits, scan.required)
    assert kept.text == "OpenSSL 3.0.22 25 Aug 2026\\x00%s (Library: %s)\\n\\x00"
