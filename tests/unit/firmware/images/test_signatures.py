"""Every signature on the real string it was derived from, and the table's own invariants."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from mdrgate.collect.firmware import catalogue
from mdrgate.collect.firmware.binary_signatures import LONGEST_REACH, SIGNATURES, Signature, by_id
from mdrgate.collect.firmware.images.scan import Scanner
from tests.unit.firmware.images.support import ASSETS, collect, found

EXCERPTS = ASSETS / "excerpts"


def _rows() -> list[dict[str, str]]:
    with (EXCERPTS / "excerpts.csv").open(newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("row", _rows(), ids=lambda r: r["excerpt"])
def test_real_excerpt_gives_exactly_its_component(row: dict[str, str]) -> None:
    result = collect(EXCERPTS / row["excerpt"])
    assert found(result) == {(row["component"], row["version"])}
    assert all(o.offset is not None and o.text for c in result.components for o in c.origins)


def test_every_signature_is_exercised_by_a_real_excerpt() -> None:
    scanner = Scanner()
    matched: set[str] = set()
    for row in _rows():
        result = scanner.scan_bytes((EXCERPTS / row["excerpt"]).read_bytes())
        matched |= {h.signature.id for h in result.hits if h.version}
    untested = {s.id for s in SIGNATURES} - matched
    # polarssl: no PolarSSL binary is packaged any more; lwip, freertos: built in cortex-m4/fw.c
    assert untested == {"polarssl-version-full", "freertos-banner", "lwip-agent"}


def test_signature_components_are_in_the_catalogue() -> None:
    known = {d.id for d in catalogue.CATALOGUE}
    missing = sorted({s.component for s in SIGNATURES} - known)
    # A signature for a component the catalogue lacks is skipped at run time; none should be.
    assert missing == []


@pytest.mark.parametrize("sig", SIGNATURES, ids=lambda s: s.id)
def test_anchor_is_part_of_what_the_pattern_matches(sig: Signature) -> None:
    assert "version" in sig.compiled().groupindex or sig.version_near
    if not sig.anchor_is_regex:
        assert re.escape(sig.anchor) in sig.pattern or sig.anchor in sig.pattern
    assert sig.before + sig.after + 2 * sig.near < LONGEST_REACH


def test_no_anchor_starts_another() -> None:
    """At one position the prefilter reports one literal: none may be a prefix of another."""
    literals = {s.anchor for s in SIGNATURES if not s.anchor_is_regex}
    literals |= {s.requires for s in SIGNATURES if s.requires}
    prefixes = [(a, b) for a in literals for b in literals if a != b and b.startswith(a)]
    assert prefixes == []


def test_overlapping_anchors_are_both_found() -> None:
    text = b"\x00xmlGetGlobalState: out of memoryBox v1.35.0 \x00BusyBox v1.35.0 \x00"
    hits = Scanner().scan_bytes(text).hits
    assert [(h.signature.id, h.version) for h in hits] == [("busybox-banner", "1.35.0")]


@pytest.mark.parametrize(
    ("text", "version"),
    [
        (b"\x00OpenSSL 1.1.1k  25 Mar 2021\x00", "1.1.1k"),
        (b"\x00OpenSSL 3.0.11 19 Sep 2023\x00", "3.0.11"),
        (b"\x00OpenSSL 1.0.2u-fips  20 Dec 2019\x00", "1.0.2u"),
        (b"\x00Mbed TLS 3.5.1\x00", "3.5.1"),
        (b"\x00U-Boot SPL 2022.04-rc3 (Mar 01 2022 - 10:00:00 +0000)\x00", "2022.04-rc3"),
        (b"\x00BusyBox v1.36.0.git (2023-01-02 03:04:05 UTC)\x00", "1.36.0.git"),
        (b"\x00lwIP/2.2.0d (http://savannah.nongnu.org/projects/lwip)\x00", "2.2.0d"),
        (b"\x00Booting FreeRTOS kernel V10.4.3. Built by gcc\x00", "10.4.3"),
    ],
)
def test_version_forms_each_component_publishes(text: bytes, version: str) -> None:
    """Release names as the projects publish them (OpenSSL's letters, U-Boot's -rcN, ...)."""
    hits = Scanner().scan_bytes(text).hits
    assert [h.version for h in hits] == [version]


@pytest.mark.parametrize(
    "text",
    [
        b"\x00OpenSSL 3.0\x00",  # no release date: not OPENSSL_VERSION_TEXT
        b"\x00PolarSSL Test CA\x00",  # mbed TLS test certificates
        b"\x001.2.13\x00",  # zlib's bare ZLIB_VERSION, also in programs that only call zlib
        b"\x00FreeRTOS %s\x00V10.4.3\x00",  # the kernel number alone is no evidence
        b"OpenSSH_7.7*,OpenSSH_7.8*\x00",  # ssh's compatibility table
        b"\x00U-Boot mkimage %s\x00",  # mkimage without its version next to it
        b"2022-12-28 14:03:47 df5c253c0b3dd24916e4ec7cf77d3db5294cc9fd45ae7b9c5e82ad8197f38a24\x00",
    ],
)
def test_near_misses_are_not_components(text: bytes, tmp_path: Path) -> None:
    image = tmp_path / "image.bin"
    image.write_bytes(text)
    assert found(collect(image)) == set()


def test_sqlite_source_id_without_version_nearby_is_a_known_unknown(tmp_path: Path) -> None:
    real = (EXCERPTS / "sqlite.bin").read_bytes()
    source_id = re.search(rb"20\d\d-\d\d-\d\d [\d:]{8} [0-9a-f]{60}[0-9a-z]{4}\x00", real)
    header = real.find(b"SQLite format 3\x00")
    assert source_id is not None and header >= 0
    image = tmp_path / "image.bin"
    image.write_bytes(real[header : header + 16] + bytes(20000) + source_id.group())
    result = collect(image)
    assert found(result) == {("sqlite", None)}
    assert [d.code for d in result.diagnostics] == ["no-exact-version"]


@pytest.mark.parametrize(
    ("excerpt", "before"),
    [
        ("mbedtls-static-image.bin", b"\x19Dl"),  # the end of a table of constants
        ("bzip2-static.bin", b"\x04\xc2\xc3"),  # code: the end of BZ2_bzlibVersion's caller
        ("bzip2-static-image.bin", b"\xbe\xff"),
        ("pcre2-static.bin", b"\xff[\xc3"),
    ],
)
def test_version_text_right_after_other_bytes_is_found(excerpt: str, before: bytes) -> None:
    """Strings a static link packs after data or code, with no NUL before them. Before: the
    'no letter before' guard rejected Mbed TLS's, and bzip2's and PCRE2's signatures wanted a
    NUL (the shared libraries' layout)."""
    data = (EXCERPTS / excerpt).read_bytes()
    (hit,) = Scanner().scan_bytes(data).hits
    assert data[hit.offset - len(before) : hit.offset] == before


@pytest.mark.parametrize(
    "text",
    [
        b"\x00Disembed TLS 2.28.3\x00",
        b"\x00RealOpenSSL 3.0.11 19 Sep 2023\x00",
        b"\x00tinywolfSSL 5.5.4\x00",
        b"\x00x8664expat_2.5.0\x00",
    ],
)
def test_a_name_continuing_a_longer_word_is_not_the_component(text: bytes) -> None:
    assert Scanner().scan_bytes(text).hits == []


def test_the_sweep_pattern_starts_with_the_literal() -> None:
    """The chunk-wide search of a dense anchor drops every leading look-behind."""
    curl = by_id()["curl-tool-version"]
    assert curl.compiled_sweep().pattern.startswith(b"curl ")
    assert by_id()["mbedtls-version-full"].compiled_sweep().pattern.startswith(b"[Mm]bed")
