"""The firmware/generic scheme: OpenSSL letters, tag prefixes, dates, p-releases, and refusals."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mdrgate.identifiers import version_key
from mdrgate.versioning import GENERIC, SCHEMES
from tests.unit.versioning.strategies import check_sorted, check_total_order

# Release histories of components mdrgate finds in firmware (tags as their projects spell them).
HISTORIES = {
    "OpenSSL": [
        "0.9.8", "0.9.8a", "0.9.8z", "0.9.8za", "0.9.8zh", "1.0.1", "1.0.1o", "1.0.1p", "1.0.1q",
        "1.1.1-pre1", "1.1.1", "1.1.1a", "1.1.1j", "1.1.1k", "1.1.1w", "1.1.2",
        "3.0.0-alpha1", "3.0.0-alpha17", "3.0.0-beta1", "3.0.0", "3.0.13", "3.2.0",
    ],
    "OpenSSH": ["8.9p1", "9.2", "9.2p1", "9.2p2", "9.3p1", "10.0p1"],
    "FatFs": ["R0.13c", "R0.14", "R0.14a", "R0.14b", "R0.15"],
    "FreeRTOS": ["V10.4.3", "V10.4.3-LTS-Patch-2", "V10.4.4", "V10.5.1", "202210.01-LTS"],
    "U-Boot": ["v2022.10", "v2023.01-rc1", "v2023.01-rc2", "v2023.01", "2023.04", "v2023.10"],
    "Mbed TLS": ["2.16.12", "2.28.0", "2.28.3", "2.28.10", "3.0.0", "v3.5.0", "mbedtls-3.6.0"],
    "zlib": ["1.2.11", "1.2.11.1", "1.2.12", "1.2.13", "1.3", "1.3.1"],
    "pre-releases": ["2.0.dev1", "2.0a1", "2.0-alpha.2", "2.0b1", "2.0-pre", "2.0-rc1", "2.0"],
}  # fmt: skip


@pytest.mark.parametrize("project", sorted(HISTORIES))
def test_release_histories_sort(project: str) -> None:
    history = [v for v in HISTORIES[project] if not v.startswith("mbedtls-")]
    check_sorted(GENERIC.parse, history)


@pytest.mark.parametrize(
    "same",
    [
        ["v10.4.3", "V10.4.3", "10.4.3", "version 10.4.3", "release-10.4.3", "10.4.3+build.7"],
        ["R0.14b", "r0.14b", "0.14b", "0.14B"],
        ["2.28", "2.28.0", "2.28.0.0", "v2.28"],
        ["2023.01", "2023.1", "2023.01.0"],
        ["2019-09-12", "2019.09.12"],
        ["5.6.3-stable", "5.6.3", "5.6.3-final", "v5.6.3-stable"],
        ["2.0rc1", "2.0-rc1", "2.0-rc.1", "2.0.rc1", "2.0cr1"],
        ["9.2p1", "9.2-p1", "9.2.p1", "9.2patch1"],
    ],
)
def test_spellings_of_one_version(same: list[str]) -> None:
    values = [GENERIC.parse(text) for text in same]
    assert None not in values, dict(zip(same, values, strict=True))
    assert all(value == values[0] for value in values), same


@pytest.mark.parametrize(
    "text",
    [
        "",
        "master",
        "latest",
        "1.",
        "1.2 beta",
        "1.2.3-14-gdeadbee",  # git describe: commits after a tag, not orderable by version
        "1.0.2k-fips",  # a vendor build with an unknown suffix
        "1.2.3foo",
        "STABLE-2_1_3_RELEASE",
        "mbedtls-3.6.0",  # a project prefix is a name, not a version
    ],
)
def test_text_it_cannot_order(text: str) -> None:
    assert GENERIC.parse(text) is None


def test_generic_serves_no_osv_ecosystem() -> None:
    assert GENERIC not in SCHEMES.values()


_NUMBERS = st.lists(st.sampled_from(["0", "1", "2", "10", "01", "2023"]), min_size=1, max_size=4)
_SUFFIXES = st.sampled_from(
    ["", "a", "k", "za", "p1", "p2", "-rc1", "rc1", "-alpha", "b1", "-1", "-dev", ".post1", "+b7"]
)
_PREFIXES = st.sampled_from(["", "v", "V", "R", "version "])


@st.composite
def firmware_texts(draw: st.DrawFn) -> str:
    return draw(_PREFIXES) + ".".join(draw(_NUMBERS)) + draw(_SUFFIXES)


@settings(max_examples=150, deadline=None)
@given(st.lists(firmware_texts(), min_size=2, max_size=6))
def test_order_properties(texts: list[str]) -> None:
    values = [GENERIC.parse(t) for t in texts]
    assert None not in values, dict(zip(texts, values, strict=True))
    check_total_order(values)


@settings(max_examples=150, deadline=None)
@given(firmware_texts(), firmware_texts())
def test_agrees_with_the_merge_key(a: str, b: str) -> None:
    # identifiers.version_key decides which firmware findings are one release; the scheme must
    # never order apart two spellings that key merges.
    if version_key(a) == version_key(b):
        assert GENERIC.equal(a, b)
    assert GENERIC.parse(a) == GENERIC.parse(a.upper())
