"""PEP 440 scheme: parsing, equality across spellings, the conservative reading of local labels."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from packaging.version import Version

from mdrgate.versioning import PEP440, scheme_for_ecosystem


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2.31.0", Version("2.31.0")),
        ("0.8.0-alpha2", Version("0.8.0a2")),  # as listed in PYSEC-2022-42969
        ("1.6.5.post1", Version("1.6.5.post1")),
        (" 2.3.0 ", Version("2.3.0")),
        ("4.11-final", None),  # as listed in PYSEC-2021-338
        ("0.2.0-n653", None),  # fixed bound of PYSEC-2021-371
        ("2019-09-12", None),  # fixed bound of PYSEC-2019-125
        ("", None),
    ],
)
def test_parse(text: str, expected: Version | None) -> None:
    assert PEP440.parse(text) == expected


@pytest.mark.parametrize(
    ("a", "b", "equal"),
    [
        ("1.0", "1.0.0", True),
        ("2.3", "2.3.0", True),
        ("0.8.0-alpha2", "0.8.0a2", True),
        ("1.0", "1.0.post0", False),
        ("4.11-final", "4.11-final", True),  # not PEP 440: exact text
        ("4.11-final", "4.11", False),
    ],
)
def test_equal(a: str, b: str, equal: bool) -> None:
    assert PEP440.equal(a, b) is equal


def test_local_label_is_matched_as_its_public_release() -> None:
    value, note = PEP440.for_matching("1.11.0+deb1")
    assert value == Version("1.11.0")
    assert note == (
        "version 1.11.0+deb1 was matched as its public release 1.11.0 "
        "(local label ignored: a downstream build of the same release)"
    )
    assert PEP440.for_matching("1.11.0") == (Version("1.11.0"), None)
    assert PEP440.for_matching("not a version") == (None, None)


def test_pypi_scheme() -> None:
    assert scheme_for_ecosystem("PyPI") is PEP440
    assert scheme_for_ecosystem("NuGet") is None  # no scheme yet: reported as unassessed
    assert scheme_for_ecosystem(None) is None


@given(
    st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=4),
    st.integers(min_value=0, max_value=3),
)
def test_trailing_zeros_do_not_change_a_version(release: list[int], zeros: int) -> None:
    text = ".".join(map(str, release))
    assert PEP440.equal(text, text + ".0" * zeros)
