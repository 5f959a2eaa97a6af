"""GNU ld map files: real maps of the host and Cortex-M builds in ``tests/assets``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mdrgate.collect.base import InputKind, InputSpec
from mdrgate.collect.firmware.linkmap import claim, collect_linker_map, parse_map
from mdrgate.model import LinkedFile, Presence
from tests.unit.firmware.images.support import ASSETS

HOST_MAP = ASSETS / "host" / "app.map"
FW_MAP = ASSETS / "cortex-m4" / "fw.map"


def _collect(path: Path, display: str = "app.map"):  # type: ignore[no-untyped-def]
    return collect_linker_map(InputSpec(InputKind.LINKER_MAP, path, display))


def test_host_map_linked_members_and_sizes() -> None:
    result = _collect(HOST_MAP)
    members = {(f.path, f.member): f.size for f in result.linked if f.member}
    assert members == {
        ("lib/libz.a", "zutil.o"): 395,
        ("lib/libz.a", "compress.o"): 493,
        ("lib/libz.a", "deflate.o"): 21423,
        ("lib/libz.a", "trees.o"): 13399,
        ("lib/libz.a", "adler32.o"): 2437,
        ("lib/libz.a", "crc32.o"): 13142,
        ("lib/libmbedcrypto.a", "sha256.c.o"): 7346,
        ("lib/libmbedcrypto.a", "version.c.o"): 124,
        ("lib/libmbedcrypto.a", "platform_util.c.o"): 85,
    }
    assert LinkedFile("app.map", "app.o", None, 226) in result.linked
    assert result.files[0].kind == "linker-map"


def test_catalogue_archives_become_components_with_the_archive_version() -> None:
    """``lib/libz.a`` and ``lib/libmbedcrypto.a`` are next to the map: their versions are read."""
    result = _collect(HOST_MAP)
    got = {(c.catalogue_id, c.version, c.presence) for c in result.components}
    assert got == {("zlib", "1.2.13", Presence.IN_IMAGE), ("mbedtls", "2.28.3", Presence.IN_IMAGE)}
    mbedtls = next(c for c in result.components if c.catalogue_id == "mbedtls")
    assert [(o.collector, o.location) for o in mbedtls.origins] == [
        ("firmware-image", "lib/libmbedcrypto.a(version.c.o)@0x70"),
        ("linker-map", "app.map:9"),
        ("linker-map", "app.map:11"),
        ("linker-map", "app.map:13"),
    ]
    assert result.diagnostics == ()
    assert [f.path for f in result.files] == ["app.map", "lib/libz.a", "lib/libmbedcrypto.a"]


def test_archive_not_at_hand_is_a_known_unknown(tmp_path: Path) -> None:
    shutil.copy(HOST_MAP, tmp_path / "app.map")
    result = _collect(tmp_path / "app.map")
    assert {(c.catalogue_id, c.version) for c in result.components} == {
        ("zlib", None),
        ("mbedtls", None),
    }
    notes = sorted((d.code, d.line) for d in result.diagnostics)
    assert notes == [("no-exact-version", 3), ("no-exact-version", 9)]
    zlib = next(c for c in result.components if c.catalogue_id == "zlib")
    assert zlib.origins[0].text == "lib/libz.a(zutil.o)           app.o (zlibVersion)"


def test_cortex_m_map_newlib_members() -> None:
    result = _collect(FW_MAP, "fw.map")
    archives = {Path(f.path).name for f in result.linked if f.member}
    assert "libc_nano.a" in archives
    # .text.startup.main 0x28 + .rodata strings 0xd + 0x10 + 0x36 + .bss.report 0xa0; the
    # .comment and .ARM.attributes sections are not part of the image
    assert LinkedFile("fw.map", "fw.o", None, 283) in result.linked
    assert result.components == ()  # newlib is not a catalogue component
    assert result.diagnostics == ()


def test_truncated_map(tmp_path: Path) -> None:
    text = HOST_MAP.read_text()
    cut = tmp_path / "app.map"
    cut.write_text(text[: text.index("Memory Configuration")])
    result = _collect(cut)
    assert [d.code for d in result.diagnostics if d.code != "no-exact-version"] == [
        "linker-map-incomplete"
    ]
    assert all(f.size is None for f in result.linked)
    assert {f.member for f in result.linked} >= {"zutil.o", "version.c.o"}


@pytest.mark.parametrize(
    ("content", "claimed"),
    [
        (HOST_MAP.read_bytes()[:2000], True),
        (FW_MAP.read_bytes()[:2000], True),
        (b'{"version":3,"sources":["app.ts"],"names":[],"mappings":"AAAA"}', False),
        (b"# source-highlight language map\nc = c.lang\n", False),
    ],
)
def test_claim_reads_the_first_bytes(content: bytes, claimed: bool, tmp_path: Path) -> None:
    path = tmp_path / "x.map"
    path.write_bytes(content)
    assert (claim(path) is not None) is claimed
    assert claim(tmp_path / "missing.map") is None


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=120), max_size=60), st.integers(0, 400))
def test_fuzz_map_lines(noise: list[str], cut: int) -> None:
    """Random lines spliced into a real map: parsed without error, sizes never negative."""
    real = HOST_MAP.read_text().splitlines()
    parsed = parse_map(real[:cut] + noise + real[cut:])
    assert all(item.size is None or item.size >= 0 for item in parsed.linked.values())
