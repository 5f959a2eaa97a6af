"""Input full of anchors (adversarial or a log repeating a banner): bounded work, no match lost."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mdrgate.collect.firmware.images import scan
from mdrgate.collect.firmware.images.scan import Scanner, ScanResult, ScanSession
from tests.unit.firmware.images.support import ASSETS, collect, found

EXCERPTS = ASSETS / "excerpts"
FW_BIN = (ASSETS / "cortex-m4" / "fw.bin").read_bytes()
MBEDTLS = (EXCERPTS / "mbedtls.bin").read_bytes()
SQLITE = (EXCERPTS / "sqlite.bin").read_bytes()
SOURCE_ID = SQLITE[SQLITE.index(b"2022-12-28 14:03:47") :][:85]
FW_COMPONENTS = {("lwip", "2.1.3"), ("mbedtls", "2.28.3")}
CHUNK = 1 << 20


class _Counting:
    """Counts the precise-pattern tries (the work that grows with the number of anchor hits)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.tries = 0
        original = ScanSession._try

        def counted(session: ScanSession, *args: object) -> None:
            self.tries += 1
            original(session, *args)  # type: ignore[arg-type]

        monkeypatch.setattr(ScanSession, "_try", counted)


def _scan(data: bytes, chunk: int = CHUNK) -> ScanResult:
    session = Scanner().session()
    for at in range(0, len(data), chunk):
        session.feed(data[at : at + chunk], at)
    return session.close()


def _first(result: ScanResult) -> dict[tuple[str, str | None], int]:
    out: dict[tuple[str, str | None], int] = {}
    for hit in result.hits:
        key = (hit.signature.id, hit.version)
        out[key] = min(out.get(key, hit.offset), hit.offset)
    return out


def test_repeated_banner_prefix_is_skipped_and_the_image_in_it_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """40 MB of "FreeRTOS V" around a real image: before, 4 million tries at ~4.5 MB/s."""
    spam = b"FreeRTOS V" * 2_000_000
    image = tmp_path / "flash.bin"
    image.write_bytes(spam + FW_BIN + spam)
    counter = _Counting(monkeypatch)
    started = time.perf_counter()
    result = collect(image)
    elapsed = time.perf_counter() - started
    assert found(result) == FW_COMPONENTS
    alone = {
        c.catalogue_id: c.origins[0].offset
        for c in collect(ASSETS / "cortex-m4" / "fw.bin").components
    }
    assert {c.catalogue_id: c.origins[0].offset for c in result.components} == {
        cid: len(spam) + offset
        for cid, offset in alone.items()  # type: ignore[operator]
    }
    assert counter.tries < 2000
    assert elapsed < 4.0  # 10 MB/s at the very least on a slow machine; ~300 MB/s measured


def test_anchor_flood_without_repetition_is_searched_chunk_wide(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Numbered "mbed TLS" lines (no period to skip) with the real string among them."""
    flood = b"".join(b"mbed TLS %07d\n" % i for i in range(400_000))
    middle = len(flood) // 2
    data = flood[:middle] + MBEDTLS + flood[middle:]
    counter = _Counting(monkeypatch)
    result = _scan(data)
    assert [(h.signature.id, h.version, h.offset) for h in result.hits] == [
        ("mbedtls-version-full", "2.28.3", middle + MBEDTLS.index(b"mbed TLS 2.28.3"))
    ]
    regions = len(data) // CHUNK + 2  # one per block fed, one at the close
    assert counter.tries <= regions * scan.DENSE_HITS + 1  # before: 400 001


def test_a_real_string_repeated_everywhere_is_found_quickly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    counter = _Counting(monkeypatch)
    result = _scan(MBEDTLS * 20_000)  # 10 MB
    assert {(h.signature.id, h.version) for h in result.hits} == {
        ("mbedtls-version-full", "2.28.3")
    }
    assert result.hits[0].offset == MBEDTLS.index(b"mbed TLS 2.28.3")
    assert counter.tries < 2000


def _reference(data: bytes) -> ScanResult:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scan, "DENSE_HITS", 1 << 60)
        patch.setattr(scan, "MAX_PERIOD", 0)
        return Scanner().scan_bytes(data)


def _hits(result: ScanResult) -> list[tuple[str, str | None, int]]:
    return [(h.signature.id, h.version, h.offset) for h in result.hits]


def test_a_match_completed_after_a_repeating_stretch_is_found(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A log repeating a 1000-byte line; the last "FreeRTOS V" starts the banner, so its window
    reaches past the repeating stretch and it is tried, while the stretch itself is skipped."""
    line = b"FreeRTOS V" + b"." * 989 + b"\n"
    data = bytes(10_000) + line * 200 + b"FreeRTOS V10.4.3 " + bytes(20_000)
    expected = [("freertos-banner", "10.4.3", 210_000)]
    assert _hits(_reference(data)) == expected
    counter = _Counting(monkeypatch)
    assert _hits(Scanner().scan_bytes(data)) == expected
    assert (
        counter.tries < 150
    )  # 201 hits: the ones before the stretch is known to repeat, and after


def test_a_match_reaching_back_before_a_repeating_stretch_is_found() -> None:
    """bzlib's error names: the fourth "DATA_ERROR_MAGIC" is the first with four names before it
    back to the version; the bytes before the stretch decide, so the stretch is not skipped."""
    real = (EXCERPTS / "bzip2.bin").read_bytes()
    start = real.index(b"\x001.0.8, 13-Jul-2019\x00OK\x00")
    head = bytes(10_000) + real[start : start + len(b"\x001.0.8, 13-Jul-2019\x00OK\x00")]
    data = head + b"DATA_ERROR_MAGIC\x00" * 2000
    # the match starts at the version, after the NUL
    assert _hits(Scanner().scan_bytes(data)) == [("bzip2-version", "1.0.8", 10_001)]
    assert _hits(_reference(data)) == [("bzip2-version", "1.0.8", 10_001)]


def test_close_matches_of_a_dense_anchor_are_all_found() -> None:
    flood = b"".join(b"mbed TLS %07d\n" % i for i in range(1000))
    data = flood + b"\x00mbed TLS 2.28.3\x00Mbed TLS 3.5.1\x00"
    expected = [
        ("mbedtls-version-full", "2.28.3", len(flood) + 1),
        ("mbedtls-version-full", "3.5.1", len(flood) + 17),
    ]
    assert _hits(Scanner().scan_bytes(data)) == expected == _hits(_reference(data))


def test_the_hit_that_makes_an_anchor_dense_is_found_with_what_precedes_it() -> None:
    """zlib's match starts before its anchor: the chunk-wide search starts ``before`` earlier."""
    real = (EXCERPTS / "zlib.bin").read_bytes()
    banner = real[real.index(b"deflate 1.2.13") : real.index(b"Jean-loup")]
    flood = b"".join(b"yright 1995-%04d\n" % i for i in range(scan.DENSE_HITS))
    data = flood + banner
    expected = [("zlib-copyright", "1.2.13", len(flood))]
    assert _hits(Scanner().scan_bytes(data)) == expected == _hits(_reference(data))


_PIECES = [
    MBEDTLS,
    (EXCERPTS / "zlib.bin").read_bytes(),
    (EXCERPTS / "openssl-libcrypto.bin").read_bytes(),
    (EXCERPTS / "curl-tool.bin").read_bytes(),
    (EXCERPTS / "expat.bin").read_bytes(),
    b"FreeRTOS V",
    b"mbed TLS ",
    b"curl",
    b"OpenSSL ",
    b"\x00",
    b"xpat_",
    b"yright 1995-",
    b"10.4.3 ",  # after "FreeRTOS V": the banner, with the anchor in the repeating stretch
    b"2.28.3\x00",
    b"3.5.1\x00",
    SOURCE_ID,
]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(range(len(_PIECES))), st.integers(1, 2000), st.binary(max_size=8)
        ),
        min_size=1,
        max_size=12,
    ),
    st.sampled_from([4096, 65536, 1 << 18]),
)
def test_bounds_never_change_what_is_found(parts: list[tuple[int, int, bytes]], chunk: int) -> None:
    """Against the scanner without either bound: the same matches, first seen at the same place."""
    data = b"".join((_PIECES[i] + junk) * n for i, n, junk in parts)[: 1 << 20]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scan, "DENSE_HITS", 3)  # to reach the chunk-wide search in small inputs
        bounded = _first(_scan(data, chunk))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scan, "DENSE_HITS", 1 << 60)
        patch.setattr(scan, "MAX_PERIOD", 0)
        reference = _first(_scan(data, chunk))
    assert bounded == reference
