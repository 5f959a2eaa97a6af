"""GNU ld map files: real maps of the host and Cortex-M builds in ``tests/assets``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mdrgate.collect.base import InputKind, InputSpec
from mdrgate.collect.firmware.linkmap import _PARTS, claim, collect_linker_map, parse_map
from mdrgate.model import LinkedFile, Presence
from tests.unit.firmware.images.support import ASSETS

HOST_MAP = ASSETS / "host" / "app.map"
FW_MAP = ASSETS / "cortex-m4" / "fw.map"
HOST_LIB = ASSETS / "host" / "lib"


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
    # newlib-nano (libc_nano.a, libnosys.a): the toolchain's C library, with no version anywhere
    (newlib,) = result.components
    assert (newlib.catalogue_id, newlib.version, newlib.purl) == (
        "newlib",
        None,
        "pkg:generic/newlib",
    )
    assert [o.line for o in newlib.origins] == [3, 5, 7, 9, 11, 13, 15, 45]  # 45: libnosys.a
    (note,) = result.diagnostics
    assert (note.code, note.line, note.component) == ("no-exact-version", 3, newlib.bom_ref)
    assert "newlib leaves no version in its archives' paths or names" in note.message


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


def _tree(tmp_path: Path, map_text: str, map_at: str = "app.map") -> Path:
    """A scanned tree with the map at ``map_at`` and the real archives in ``lib/``."""
    tree = tmp_path / "tree"
    (tree / map_at).parent.mkdir(parents=True, exist_ok=True)
    (tree / map_at).write_text(map_text)
    (tree / "lib").mkdir(exist_ok=True)
    for name in ("libz.a", "libmbedcrypto.a"):
        shutil.copy(HOST_LIB / name, tree / "lib" / name)
    return tree


def _in_tree(tree: Path, map_at: str = "app.map", root: bool = True):  # type: ignore[no-untyped-def]
    spec = InputSpec(
        InputKind.LINKER_MAP, tree / map_at, f"tree/{map_at}", root=tree if root else None
    )
    return collect_linker_map(spec)


def _versions(result) -> set[tuple[str | None, str | None]]:  # type: ignore[no-untyped-def]
    return {(c.catalogue_id, c.version) for c in result.components}


@pytest.mark.parametrize(
    ("root", "where"), [(True, "the scanned tree"), (False, "the map's directory")]
)
def test_archive_outside_the_tree_is_not_read(tmp_path: Path, root: bool, where: str) -> None:
    """A map naming ``/usr/lib/.../libz.a``: that file on the scanning host is not evidence."""
    host = tmp_path / "usr" / "lib"
    host.mkdir(parents=True)
    shutil.copy(HOST_LIB / "libz.a", host / "libz.a")
    text = HOST_MAP.read_text().replace("lib/libz.a(", f"{host}/libz.a(")
    tree = _tree(tmp_path, text)
    result = _in_tree(tree, root=root)
    assert _versions(result) == {("zlib", None), ("mbedtls", "2.28.3")}
    (note,) = [d for d in result.diagnostics if d.code == "no-exact-version"]
    assert note.line == 3 and note.level.value == "warning"
    assert f"but {host}/libz.a was not read because it lies outside {where}" in note.message
    assert [f.path for f in result.files] == ["tree/app.map", "tree/lib/libmbedcrypto.a"]


def test_archive_in_a_declared_library_directory_is_read(tmp_path: Path) -> None:
    """``--libraries``: the user says the link ran here against that directory."""
    host = tmp_path / "usr" / "lib"
    host.mkdir(parents=True)
    shutil.copy(HOST_LIB / "libz.a", host / "libz.a")
    text = HOST_MAP.read_text().replace("lib/libz.a(", f"{host}/libz.a(")
    tree = _tree(tmp_path, text)
    spec = InputSpec(
        InputKind.LINKER_MAP, tree / "app.map", "tree/app.map", root=tree, libraries=(host,)
    )
    result = collect_linker_map(spec)
    assert _versions(result) == {("zlib", "1.2.13"), ("mbedtls", "2.28.3")}
    assert not [d for d in result.diagnostics if d.code == "no-exact-version"]
    assert "usr/lib/libz.a" in [f.path for f in result.files]  # beside the map's display path
    # another directory does not open the first one
    other = tmp_path / "other"
    other.mkdir()
    spec = InputSpec(
        InputKind.LINKER_MAP, tree / "app.map", "tree/app.map", root=tree, libraries=(other,)
    )
    result = collect_linker_map(spec)
    assert _versions(result) == {("zlib", None), ("mbedtls", "2.28.3")}
    (note,) = [d for d in result.diagnostics if d.code == "no-exact-version"]
    assert "outside the scanned tree and the declared library directories" in note.message
    assert "--libraries" in note.message


def test_link_from_the_tree_to_outside_is_not_followed(tmp_path: Path) -> None:
    tree = _tree(tmp_path, HOST_MAP.read_text())
    outside = tmp_path / "libz.a"
    shutil.copy(HOST_LIB / "libz.a", outside)
    (tree / "lib" / "libz.a").unlink()
    (tree / "lib" / "libz.a").symlink_to(outside)
    result = _in_tree(tree)
    assert _versions(result) == {("zlib", None), ("mbedtls", "2.28.3")}
    assert any(
        "lib/libz.a was not read because it lies outside" in d.message for d in result.diagnostics
    )


def test_relative_archive_found_from_the_root_of_the_tree(tmp_path: Path) -> None:
    """The map in ``build/``, its paths relative to the tree (make run at the top)."""
    tree = _tree(tmp_path, HOST_MAP.read_text(), "build/app.map")
    result = _in_tree(tree, "build/app.map")
    assert _versions(result) == {("zlib", "1.2.13"), ("mbedtls", "2.28.3")}
    assert [f.path for f in result.files] == [
        "tree/build/app.map",
        "tree/lib/libz.a",
        "tree/lib/libmbedcrypto.a",
    ]
    zlib = next(c for c in result.components if c.catalogue_id == "zlib")
    assert zlib.origins[0].location == "tree/lib/libz.a(deflate.o)@0x4e21"
    alone = _in_tree(tree, "build/app.map", root=False)  # explicit: only the map's directory
    assert _versions(alone) == {("zlib", None), ("mbedtls", None)}
    assert all(
        "was not found (looked for it from the map's directory)" in d.message
        for d in alone.diagnostics
    )


def test_damaged_archive_is_named(tmp_path: Path) -> None:
    tree = _tree(tmp_path, HOST_MAP.read_text())
    data = (HOST_LIB / "libz.a").read_bytes()
    (tree / "lib" / "libz.a").write_bytes(data[: len(data) - 2000])
    result = _in_tree(tree)
    assert _versions(result) == {("zlib", "1.2.13"), ("mbedtls", "2.28.3")}  # deflate.o is whole
    (damage,) = result.diagnostics
    assert (damage.code, damage.level.value, damage.path) == (
        "image-malformed",
        "error",
        "tree/lib/libz.a",
    )
    assert damage.message.startswith("tree/lib/libz.a: member 'inftrees.o' declares")


def test_unreadable_archive_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mdrgate.collect.firmware.images import collect as image_collect
    from mdrgate.errors import InputError

    def refuse(spec: InputSpec) -> None:
        raise InputError("cannot be read: Permission denied", source=spec.display)

    monkeypatch.setattr(image_collect, "collect_image", refuse)
    result = _in_tree(_tree(tmp_path, HOST_MAP.read_text()))
    assert _versions(result) == {("zlib", None), ("mbedtls", None)}
    unreadable = [d for d in result.diagnostics if d.code == "linker-map-archive-unreadable"]
    assert [(d.path, d.level.value) for d in unreadable] == [
        ("tree/lib/libmbedcrypto.a", "error"),
        ("tree/lib/libz.a", "error"),
    ]
    assert unreadable[1].message == (
        "tree/lib/libz.a (named in tree/app.map as lib/libz.a) could not be read: "
        "cannot be read: Permission denied"
    )
    assert any("but tree/lib/libz.a could not be read" in d.message for d in result.diagnostics)


_NOISE = st.text(
    alphabet=st.characters(codec="ascii", exclude_characters="()\r\n"), max_size=120
).filter(lambda t: t[:1].isalpha() and t not in _PARTS)


@settings(max_examples=100, deadline=None)
@given(st.lists(_NOISE, max_size=30), st.integers(0, 400))
def test_lines_that_are_no_entries_change_nothing(noise: list[str], cut: int) -> None:
    """Text spliced into a real map (not inside a two-line entry) leaves what is read unchanged."""
    real = HOST_MAP.read_text().splitlines()
    while 0 < cut < len(real) and real[cut - 1].startswith(" ") and len(real[cut - 1].split()) == 1:
        cut += 1  # not between a long section name and its numbers
    expected = {k: v.size for k, v in parse_map(real).linked.items()}
    parsed = parse_map(real[:cut] + noise + real[cut:])
    assert {k: v.size for k, v in parsed.linked.items()} == expected


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=120), max_size=60), st.integers(0, 400))
def test_fuzz_map_lines(noise: list[str], cut: int) -> None:
    """Any text spliced into a real map: what comes before it is read exactly as before."""
    real = HOST_MAP.read_text().splitlines()
    parsed = parse_map(real[:cut] + noise + real[cut:])
    before = parse_map(real[:cut])
    for key, item in before.linked.items():
        assert (parsed.linked[key].line, parsed.linked[key].text) == (item.line, item.text)
