"""Each image format on real files: ELF (32/64-bit, LSB/MSB), ar archives, HEX, S-record, raw."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from mdrgate.collect.firmware.images import claim
from mdrgate.collect.firmware.images.archive import read_archive
from mdrgate.collect.firmware.images.hexfile import read_ihex, read_srec
from mdrgate.model import Presence
from tests.unit.firmware.images.support import ASSETS, codes, collect, found

HOST = ASSETS / "host"
CM4 = ASSETS / "cortex-m4"
FW_COMPONENTS = {("lwip", "2.1.3"), ("mbedtls", "2.28.3")}


def _props(result: object) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, value in result.files[0].properties:  # type: ignore[attr-defined]
        out.setdefault(name, []).append(value)
    return out


def test_host_executable_components_and_metadata() -> None:
    result = collect(HOST / "app", "host/app")
    assert found(result) == {("zlib", "1.2.13"), ("mbedtls", "2.28.3"), (None, "1.4.2-1")}
    zlib = next(c for c in result.components if c.catalogue_id == "zlib")
    assert zlib.presence is Presence.IN_IMAGE
    assert [(o.collector, o.path, o.text) for o in zlib.origins] == [
        ("firmware-image", "host/app", "deflate 1.2.13 Copyright 1995-2022 ")
    ]
    assert zlib.origins[0].location == "host/app@0xc0a1"
    props = _props(result)
    assert props["format"] == ["ELF 64-bit LSB PIE executable, x86-64"]  # ET_DYN with DF_1_PIE
    assert props["needed"] == ["libc.so.6"]
    assert "soname" not in props
    assert props["build-id"] == ["27b7ac012e6c9544637709afad26b1b6237cfda3"]
    assert props["toolchain"] == ["GCC: (Debian 12.2.0-14+deb12u1) 12.2.0"]
    digest = hashlib.sha256((HOST / "app").read_bytes()).hexdigest()
    assert result.files[0].sha256 == digest
    assert result.files[0].kind == "firmware-image"


def test_package_note_names_a_component() -> None:
    result = collect(HOST / "app", "host/app")
    note = next(c for c in result.components if c.catalogue_id is None)
    assert note.name == "pump-firmware"
    assert note.purl == "pkg:deb/debian/pump-firmware@1.4.2-1?arch=amd64"
    assert ("package-note:osCpe", "cpe:/o:debian:debian_linux:12") in note.properties
    assert note.origins[0].text is not None and note.origins[0].text.startswith('{"type":"deb"')


def test_cortex_m_elf_32_bit_little_endian() -> None:
    result = collect(CM4 / "fw.elf")
    assert found(result) == FW_COMPONENTS
    props = _props(result)
    assert props["format"] == ["ELF 32-bit LSB executable, ARM"]
    assert props["toolchain"] == ["GCC: (15:12.2.rel1-1) 12.2.1 20221205"]
    assert "build-id" not in props
    assert codes(result) == []


def test_big_endian_relocatable_object() -> None:
    result = collect(CM4 / "fw-be.o")
    assert found(result) == FW_COMPONENTS
    assert _props(result)["format"] == ["ELF 32-bit MSB relocatable, ARM"]


@pytest.mark.parametrize("name", ["fw.hex", "fw.srec"])
def test_hex_and_srec_give_the_components_at_their_load_addresses(name: str) -> None:
    result = collect(CM4 / name)
    assert found(result) == FW_COMPONENTS
    lwip = next(c for c in result.components if c.catalogue_id == "lwip")
    elf_lwip = next(c for c in collect(CM4 / "fw.elf").components if c.catalogue_id == "lwip")
    # the offset of a HEX/S-record hit is the load address: flash base 0x8000 + ELF file offset
    # of .text (0x1010) is 0x8010, so an address is the ELF offset + 0x7000
    assert lwip.origins[0].offset == elf_lwip.origins[0].offset + 0x7000  # type: ignore[operator]
    assert codes(result) == []


def test_hex_and_srec_data_equal_objcopy_binary() -> None:
    binary = (CM4 / "fw.bin").read_bytes()
    for reader, name in ((read_ihex, "fw.hex"), (read_srec, "fw.srec")):
        with (CM4 / name).open("rb") as handle:
            decoded = reader(handle)
        assert decoded.problems == []
        assert decoded.segments[0][0] == 0x8000
        image = bytearray(len(binary))  # objcopy -O binary fills the gaps with zeros
        for address, data in decoded.segments:
            image[address - 0x8000 : address - 0x8000 + len(data)] = data
        assert bytes(image) == binary
        assert len(decoded.segments) > 1
        assert decoded.sha256 == hashlib.sha256((CM4 / name).read_bytes()).hexdigest()
    with (CM4 / "fw.srec").open("rb") as handle:
        assert read_srec(handle).header == "fw.srec"


def test_raw_binary() -> None:
    result = collect(CM4 / "fw.bin")
    assert found(result) == FW_COMPONENTS
    assert _props(result)["format"] == ["raw binary"]


def test_archive_members_are_named_in_the_evidence() -> None:
    result = collect(HOST / "lib" / "libz.a", "lib/libz.a")
    (zlib,) = result.components
    assert [(o.path, o.offset, o.text) for o in zlib.origins] == [
        ("lib/libz.a(deflate.o)", 0x4E21, "deflate 1.2.13 Copyright 1995-2022 "),
        ("lib/libz.a(inftrees.o)", 0xF41, "inflate 1.2.13 Copyright 1995-2022 "),
    ]
    assert _props(result)["format"] == ["ar archive, 3 members"]


def test_gnu_long_member_names() -> None:
    path = HOST / "lib" / "libmbedcrypto.a"
    with path.open("rb") as handle:
        table = read_archive(handle, path.stat().st_size)
    assert [m.name for m in table.members] == ["/", "//", "version.c.o", "platform_util.c.o"]
    assert table.problems == []
    result = collect(path, "libmbedcrypto.a")
    assert [o.path for c in result.components for o in c.origins] == [
        "libmbedcrypto.a(version.c.o)"
    ]


def test_bsd_member_names(tmp_path: Path) -> None:
    """A BSD-format archive (``#1/N`` names, as macOS ar writes) built from the real members."""
    members = [("deflate.o", _member(HOST / "lib" / "libz.a", "deflate.o"))]
    blob = bytearray(b"!<arch>\n")
    for name, data in members:
        raw = name.encode()
        body = raw + data
        blob += f"#1/{len(raw):<13}{0:<12}{0:<6}{0:<6}{644:<8}{len(body):<10}`\n".encode()
        blob += body + (b"\n" if len(body) % 2 else b"")
    archive = tmp_path / "libz-bsd.a"
    archive.write_bytes(bytes(blob))
    result = collect(archive)
    assert [o.path for c in result.components for o in c.origins] == ["libz-bsd.a(deflate.o)"]
    assert found(result) == {("zlib", "1.2.13")}


def _member(archive: Path, name: str) -> bytes:
    with archive.open("rb") as handle:
        table = read_archive(handle, archive.stat().st_size)
        member = next(m for m in table.members if m.name == name)
        handle.seek(member.offset)
        return handle.read(member.size)


def test_thin_archive_is_reported_not_scanned(tmp_path: Path) -> None:
    if shutil.which("ar") is None:
        pytest.skip("binutils ar is not installed")
    (tmp_path / "deflate.o").write_bytes(_member(HOST / "lib" / "libz.a", "deflate.o"))
    subprocess.run(["ar", "rcT", "libthin.a", "deflate.o"], cwd=tmp_path, check=True)
    result = collect(tmp_path / "libthin.a")
    assert found(result) == set()
    assert "image-malformed" in codes(result)
    assert _props(result)["format"] == ["thin ar archive, 1 members"]


@pytest.mark.parametrize(
    ("name", "content", "claimed"),
    [
        ("app", (HOST / "app").read_bytes()[:64], True),  # no extension, ELF magic
        ("README", b"# readme\n", False),
        ("x.elf", b"not really", True),  # by name: the collector reports the mismatch
        ("x.axf", b"", True),
        ("x.bin", b"\x00" * 8, True),
        ("x.out", b"test output\n", False),  # .out must be ELF
        ("x.out", b"\x7fELF\x01\x01\x01", True),
        ("libfoo.so.1.2.13", b"\x7fELF\x02\x01\x01", True),
        ("x.o", b"\x00asm", False),  # WebAssembly or anything else named .o
        ("x.a", b"!<arch>\n", True),
        ("x.a", b"!<thin>\n", True),
        ("x.a", b"text", False),
        ("x.hex", b":10800000F8B500BFF8BC08BC9E467047F1\n", True),
        ("x.hex", b"ff00ff 00ff00\n", False),  # a colour table, not Intel HEX
        ("x.s19", b"S00A000066772E737265633D\n", True),
        ("x.mot", b"MOTOR\n", False),
        ("x.txt", b"\x7fELF", False),
    ],
)
def test_claim(name: str, content: bytes, claimed: bool, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert (claim(path) is not None) is claimed


def test_claim_by_name_when_not_a_regular_file(tmp_path: Path) -> None:
    (tmp_path / "x.elf").mkdir()
    (tmp_path / "y.out").mkdir()
    assert claim(tmp_path / "x.elf") is not None  # discovery then names it as not a file
    assert claim(tmp_path / "y.out") is None
    assert claim(tmp_path / "missing.bin") is not None
