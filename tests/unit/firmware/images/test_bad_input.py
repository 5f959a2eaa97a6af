"""Damaged, hostile and huge images: diagnostics or an InputError, never a crash or a hang."""

from __future__ import annotations

import os
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mdrgate.collect.base import InputKind, InputSpec
from mdrgate.collect.firmware.images import collect_firmware_image
from mdrgate.collect.firmware.images.archive import read_archive
from mdrgate.collect.firmware.images.hexfile import read_ihex, read_srec
from mdrgate.collect.firmware.images.scan import CHUNK, Scanner
from mdrgate.errors import InputError
from tests.unit.firmware.images.support import ASSETS, codes, collect, found

APP = (ASSETS / "host" / "app").read_bytes()
FW_ELF = (ASSETS / "cortex-m4" / "fw.elf").read_bytes()
LIBZ = (ASSETS / "host" / "lib" / "libz.a").read_bytes()
HEX_LINES = (ASSETS / "cortex-m4" / "fw.hex").read_bytes().splitlines(keepends=True)


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_truncated_elf_keeps_what_it_can(tmp_path: Path) -> None:
    """Cut before the section table: the header points past the end of the file."""
    cut = _write(tmp_path, "app.elf", APP[:0xD000])
    result = collect(cut)
    assert ("zlib", "1.2.13") in found(result)  # the bytes that exist were still scanned
    assert [d.message.split(" at offset")[0] for d in result.diagnostics] == [
        "app.elf: the dynamic section",
        "app.elf: the section header table",
    ]
    assert codes(result) == ["image-malformed", "image-malformed"]
    assert all("runs past the end of the file" in d.message for d in result.diagnostics)
    assert all(d.level.value == "error" for d in result.diagnostics)


def test_garbage_after_elf_magic(tmp_path: Path) -> None:
    junk = b"\x7fELF" + bytes(range(256)) * 4
    result = collect(_write(tmp_path, "junk.elf", junk))
    assert found(result) == set()
    assert "image-malformed" in codes(result)


def test_elf_name_without_elf_content(tmp_path: Path) -> None:
    result = collect(_write(tmp_path, "fw.elf", b"MZ\x90\x00" + b"mbed TLS 2.28.3\x00"))
    assert found(result) == {("mbedtls", "2.28.3")}
    assert "image-format-mismatch" in codes(result)


def test_archive_member_beyond_end_of_file(tmp_path: Path) -> None:
    cut = len(LIBZ) - 2000
    result = collect(_write(tmp_path, "libz.a", LIBZ[:cut]))
    (message,) = [d.message for d in result.diagnostics if d.code == "image-malformed"]
    assert "member 'inftrees.o' declares" in message and "truncated" in message


def test_archive_with_a_bad_header(tmp_path: Path) -> None:
    broken = bytearray(LIBZ)
    second = LIBZ.index(b"zutil.o/")
    broken[second + 58 : second + 60] = b"XX"
    result = collect(_write(tmp_path, "libz.a", bytes(broken)))
    assert "image-malformed" in codes(result)
    assert any("malformed" in d.message for d in result.diagnostics)


def test_hex_bad_checksum_names_the_line_and_skips_the_record(tmp_path: Path) -> None:
    lines = list(HEX_LINES)
    line = lines[4].rstrip(b"\r\n")
    lines[4] = line[:-2] + (b"00" if line[-2:] != b"00" else b"01") + b"\n"
    lines[6] = b":10zz00000000000000000000000000000000000\n"
    result = collect(_write(tmp_path, "fw.hex", b"".join(lines)))
    skipped = sorted((d.line, d.message.split(": ", 1)[1]) for d in result.diagnostics)
    assert skipped[0][0] == 5 and skipped[0][1].startswith("checksum 0x")
    assert skipped[0][1].endswith("record skipped")
    assert skipped[1] == (7, "invalid hex digits in the record; skipped")
    assert found(result) == {("lwip", "2.1.3"), ("mbedtls", "2.28.3")}


def test_srec_bad_checksum(tmp_path: Path) -> None:
    lines = (ASSETS / "cortex-m4" / "fw.srec").read_bytes().splitlines(keepends=True)
    lines[2] = lines[2].replace(lines[2][-4:-2], b"00" if lines[2][-4:-2] != b"00" else b"01")
    result = collect(_write(tmp_path, "fw.srec", b"".join(lines)))
    assert [(d.code, d.line) for d in result.diagnostics] == [("image-record-skipped", 3)]


def test_hex_without_line_breaks_is_bounded(tmp_path: Path) -> None:
    result = collect(_write(tmp_path, "x.hex", b":" + b"A" * 3_000_000))
    assert "image-record-skipped" in codes(result)
    assert "image-malformed" in codes(result)  # no valid record at all


def test_directory_named_like_an_image(tmp_path: Path) -> None:
    (tmp_path / "x.elf").mkdir()
    with pytest.raises(InputError) as info:
        collect(tmp_path / "x.elf", "x.elf")
    assert "is a directory" in str(info.value) and "x.elf" in str(info.value)


def test_unreadable_image(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads any file")
    path = _write(tmp_path, "fw.bin", b"x")
    path.chmod(0)
    with pytest.raises(InputError):
        collect(path)


def test_empty_image(tmp_path: Path) -> None:
    result = collect(_write(tmp_path, "fw.bin", b""))
    assert codes(result) == ["image-empty"]


def test_two_gigabyte_sparse_bin_is_streamed_in_bounded_memory(tmp_path: Path) -> None:
    banner = b"\x00BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1)\x00"
    path = tmp_path / "flash.bin"
    with path.open("wb") as handle:
        handle.truncate(2 << 30)
        handle.seek(1536 << 20)
        handle.write(banner)
    tracemalloc.start()
    try:
        result = collect_firmware_image(InputSpec(InputKind.FIRMWARE_IMAGE, path, "flash.bin"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert found(result) == {("busybox", "1.35.0")}
    assert result.components[0].origins[0].offset == (1536 << 20) + 1
    assert peak < 4 * CHUNK  # a few chunks, whatever the file's size


def test_match_across_chunk_boundaries_is_found_once() -> None:
    data = (ASSETS / "excerpts" / "zlib.bin").read_bytes()
    whole = [(h.offset, h.version) for h in Scanner().scan_bytes(data).hits]
    for split in range(0, len(data), 97):
        session = Scanner().session()
        session.feed(data[:split], 0)
        session.feed(data[split:], split)
        assert [(h.offset, h.version) for h in session.close().hits] == whole


def test_versions_in_conflict_are_both_kept(tmp_path: Path) -> None:
    data = b"\x00mbed TLS 2.28.3\x00" + bytes(100) + b"\x00mbed TLS 3.5.1\x00"
    result = collect(_write(tmp_path, "fw.bin", data))
    assert found(result) == {("mbedtls", "2.28.3"), ("mbedtls", "3.5.1")}
    (conflict,) = [d for d in result.diagnostics if d.code == "conflicting-evidence"]
    assert "2.28.3 at fw.bin@0x1" in conflict.message and "3.5.1 at fw.bin@0x76" in conflict.message


_FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_FUZZ
@given(st.binary(max_size=4096), st.integers(0, len(APP)))
def test_fuzz_elf(tail: bytes, cut: int) -> None:
    """Random bytes after the ELF header, or the real file with random bytes spliced in."""
    import io

    from mdrgate.collect.firmware.images.elf import read_elf

    for data in (APP[:64] + tail, APP[:cut] + tail, FW_ELF[:52] + tail):
        info = read_elf(io.BytesIO(data), len(data))
        assert isinstance(info.problems, list)


@_FUZZ
@given(st.binary(max_size=4096), st.integers(8, len(LIBZ)))
def test_fuzz_archive(tail: bytes, cut: int) -> None:
    import io

    for data in (b"!<arch>\n" + tail, LIBZ[:cut] + tail):
        table = read_archive(io.BytesIO(data), len(data))
        assert all(m.offset + m.size <= len(data) for m in table.members)


@_FUZZ
@given(st.lists(st.binary(max_size=80), max_size=40))
def test_fuzz_hex_and_srec(lines: list[bytes]) -> None:
    import io

    for prefix in (b":", b"S1"):
        blob = b"\n".join(prefix + line for line in lines)
        for reader in (read_ihex, read_srec):
            decoded = reader(io.BytesIO(blob))
            assert len(decoded.problems) <= 20
