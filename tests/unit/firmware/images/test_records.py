"""Intel HEX and S-record files as tools really write them: concatenated, rewriting addresses."""

from __future__ import annotations

import io
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from mdrgate.collect.firmware.images.hexfile import Rewrite, read_ihex, read_srec
from mdrgate.model import DiagnosticLevel
from tests.unit.firmware.images.support import ASSETS, codes, collect, found

CM4 = ASSETS / "cortex-m4"
FW_HEX = (CM4 / "fw.hex").read_bytes()
FW_SREC = (CM4 / "fw.srec").read_bytes()
FW_BIN = (CM4 / "fw.bin").read_bytes()
ULINK = (ASSETS / "hex" / "ulink_firmware.hex").read_bytes()
FW_COMPONENTS = {("lwip", "2.1.3"), ("mbedtls", "2.28.3")}


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _image(segments: list[tuple[int, bytes]], base: int, size: int) -> bytes:
    image = bytearray(size)  # objcopy -O binary fills the gaps with zeros
    for address, data in segments:
        image[address - base : address - base + len(data)] = data
    return bytes(image)


def _errors(result: object) -> list[str]:
    return [d.code for d in result.diagnostics if d.level is DiagnosticLevel.ERROR]  # type: ignore[attr-defined]


def test_concatenated_hex_files_are_both_read(tmp_path: Path) -> None:
    """``cat boot.hex app.hex``: the application after the boot loader's end-of-file record."""
    result = collect(_write(tmp_path, "all.hex", ULINK + FW_HEX))
    assert found(result) == FW_COMPONENTS
    assert _errors(result) == []
    (fmt,) = [v for k, v in result.files[0].properties if k == "format"]
    assert fmt.startswith("Intel HEX, 654 records, 2 files concatenated, ")
    decoded = read_ihex(io.BytesIO(ULINK + FW_HEX))
    assert decoded.parts == 2
    assert decoded.segments[-1][0] + len(decoded.segments[-1][1]) == 0x8000 + len(FW_BIN)
    assert _image([s for s in decoded.segments if s[0] >= 0x8000], 0x8000, len(FW_BIN)) == FW_BIN


def test_extended_address_of_the_first_file_does_not_shift_the_second() -> None:
    """After an end-of-file record the address base is 0 again, as in a file of its own."""
    first = b":020000040801F1\n:00000001FF\n"  # the STM32 flash base 0x08010000, then EOF
    decoded = read_ihex(io.BytesIO(first + FW_HEX))
    assert decoded.segments[0][0] == 0x8000
    assert _image(decoded.segments, 0x8000, len(FW_BIN)) == FW_BIN


def test_concatenated_srec_files_rewriting_the_same_bytes(tmp_path: Path) -> None:
    result = collect(_write(tmp_path, "twice.srec", FW_SREC + FW_SREC))
    assert found(result) == FW_COMPONENTS
    assert _errors(result) == []
    overlaps = [d for d in result.diagnostics if d.code == "image-record-overlap"]
    assert overlaps and all(d.level is DiagnosticLevel.WARNING for d in overlaps)
    decoded = read_srec(io.BytesIO(FW_SREC + FW_SREC))
    records = FW_SREC.count(b"\nS1") + FW_SREC.startswith(b"S1")
    assert decoded.parts == 2
    assert decoded.rewrite_counts == {True: records, False: 0}
    assert _image(decoded.segments, 0x8000, len(FW_BIN)) == FW_BIN


def test_rewriting_one_record_keeps_the_data_after_it(tmp_path: Path) -> None:
    """A record written again inside a long run replaces those bytes, not the rest of the run."""
    lines = FW_HEX.splitlines(keepends=True)
    again = [*lines[:-1], lines[1], lines[-1]]  # line 2 (0x8010) once more before the EOF
    data = b"".join(again)
    decoded = read_ihex(io.BytesIO(data))
    assert decoded.rewrites == [Rewrite(line=len(lines), address=0x8010, length=16, same=True)]
    assert _image(decoded.segments, 0x8000, len(FW_BIN)) == FW_BIN
    result = collect(_write(tmp_path, "fw.hex", data))
    assert found(result) == FW_COMPONENTS
    assert codes(result) == ["image-record-overlap"]
    assert result.diagnostics[0].message == (
        f"fw.hex:{len(lines)}: the record writes 16 byte(s) at 0x00008010 that an earlier "
        "record already wrote, with the same bytes again"
    )


def test_sdcc_vector_rewrite_is_a_warning_and_the_later_bytes_win(tmp_path: Path) -> None:
    """OpenULINK's firmware (SDCC): line 9 puts a RETI stub at 0x43, line 328 a jump there."""
    decoded = read_ihex(io.BytesIO(ULINK))
    assert decoded.rewrites == [Rewrite(line=328, address=0x43, length=1, same=False)]
    memory = dict(decoded.segments)
    assert memory[0x43] == bytes.fromhex("021B00")  # LJMP 0x1B00, from line 328
    assert memory[0x4B] == b"\x32"  # the stubs after it are untouched
    result = collect(_write(tmp_path, "ulink_firmware.hex", ULINK))
    assert [
        (d.code, d.level, d.line) for d in result.diagnostics if d.code != "no-component-signature"
    ] == [("image-record-overlap", DiagnosticLevel.WARNING, 328)]
    assert (
        "with different bytes; the later record's bytes were kept" in result.diagnostics[0].message
    )


def test_padding_after_the_end_is_ignored_and_text_is_a_warning(tmp_path: Path) -> None:
    padded = collect(_write(tmp_path, "a.hex", FW_HEX + b"\x1a"))
    assert codes(padded) == []
    texted = collect(_write(tmp_path, "b.hex", FW_HEX + b"signed-by: build server\n"))
    assert found(texted) == FW_COMPONENTS
    assert [(d.code, d.level, d.line) for d in texted.diagnostics] == [
        ("image-end-record", DiagnosticLevel.WARNING, FW_HEX.count(b"\n") + 1)
    ]


def test_missing_end_record_is_a_warning(tmp_path: Path) -> None:
    cut = FW_HEX[: FW_HEX.rindex(b":00000001FF")]
    result = collect(_write(tmp_path, "cut.hex", cut))
    assert found(result) == FW_COMPONENTS
    (doubt,) = result.diagnostics
    assert (doubt.code, doubt.level) == ("image-end-record", DiagnosticLevel.WARNING)
    assert "ends without an end-of-file record" in doubt.message
    srec = collect(_write(tmp_path, "cut.srec", FW_SREC[: FW_SREC.rindex(b"S9")]))
    assert codes(srec) == ["image-end-record"]


@settings(max_examples=60, deadline=None)
@given(st.randoms(use_true_random=False))
def test_record_order_does_not_matter(rnd: object) -> None:
    """Data records in any order (descending too) give the same memory and no rewrite."""
    lines = FW_HEX.splitlines(keepends=True)
    body = lines[:-2]
    rnd.shuffle(body)  # type: ignore[attr-defined]
    decoded = read_ihex(io.BytesIO(b"".join([*body, *lines[-2:]])))
    assert decoded.rewrites == [] and decoded.problems == []
    assert _image(decoded.segments, 0x8000, len(FW_BIN)) == FW_BIN
    assert all(
        a + len(d) < b
        for (a, d), (b, _) in zip(decoded.segments, decoded.segments[1:], strict=False)
    )
    descending = read_ihex(io.BytesIO(b"".join([*reversed(lines[:-2]), *lines[-2:]])))
    assert descending.segments == decoded.segments
