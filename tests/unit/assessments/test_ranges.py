"""The version-range language: what it accepts, what it refuses, and what it means per scheme."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from mdrgate.versioning import GENERIC, GO, MAVEN, NPM_SEMVER, PEP440, SEMVER, VersionScheme
from mdrgate.versioning.ranges import Clause, RangeError, VersionRange, parse_range


def test_parse_groups_and_clauses() -> None:
    assert parse_range(" >= 2.0 , <2.31.0 || ==1.26.4 ") == VersionRange(
        ((Clause(">=", "2.0"), Clause("<", "2.31.0")), (Clause("==", "1.26.4"),))
    )
    assert str(parse_range(">= 2.0 , <2.31.0||==1.26.4")) == ">=2.0,<2.31.0 || ==1.26.4"
    assert [str(c) for c in parse_range("!=1,<=2,>0").clauses] == ["!=1", "<=2", ">0"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the range is empty; state the versions, e.g. '==1.2.3' or '>=1.0,<2.0'"),
        ("  ", "the range is empty; state the versions, e.g. '==1.2.3' or '>=1.0,<2.0'"),
        ("1.26.4", "'1.26.4': '1.26.4' has no operator; write '==1.26.4' for that version only"),
        (">=1.0,", "'>=1.0,': an empty clause (two commas, or a comma at an end)"),
        (">=1.0,,<2", "'>=1.0,,<2': an empty clause (two commas, or a comma at an end)"),
        ("||<2", "'||<2': '||' needs a group of clauses on both sides"),
        ("<2 ||", "'<2 ||': '||' needs a group of clauses on both sides"),
        ("<1 | >2", "'<1 | >2': write '||' to join alternatives, not a single '|'"),
        (
            "~=2.25",
            "'~=2.25': the operator '~=' is not part of the range language (== != < <= > >=); "
            "write both bounds: '>=2.25,<3' for '~=2.25'",
        ),
        (
            "===1.0",
            "'===1.0': the operator '===' is not part of the range language (== != < <= > >=); "
            "write '==' (the scheme's equality)",
        ),
        (
            "=1.0",
            "'=1.0': the operator '=' is not part of the range language (== != < <= > >=); "
            "write '==' for one version",
        ),
        (
            "=>1.0",
            "'=>1.0': the operator '=>' is not part of the range language (== != < <= > >=); "
            "write '>='",
        ),
        (
            "^1.2.3",
            "'^1.2.3': the operator '^' is not part of the range language (== != < <= > >=); "
            "write bounds: '>=1.2,<2'",
        ),
        (
            "==1.26.*",
            "'==1.26.*': wildcards are not part of the range language; write bounds instead "
            "(e.g. '>=1.2,<1.3' for 1.2.*)",
        ),
        ("*", "'*': '*' is not an operator and a version"),
        ("<>1", "'<>1': '<>1' has no valid operator"),
        ("== 1.0 2.0", "'== 1.0 2.0': '== 1.0 2.0' is not an operator and a version"),
    ],
)
def test_refused_ranges(text: str, message: str) -> None:
    with pytest.raises(RangeError) as caught:
        parse_range(text)
    assert str(caught.value) == message


# (scheme, range, version, in the range?) on real versions: the example device's packages and
# firmware, and packages of the committed Go, npm and Cargo lock files.
CASES: list[tuple[VersionScheme, str, str, bool]] = [
    # PyPI (PEP 440 specifiers): urllib3 1.26.4 and PYSEC-2021-108's fix 1.26.5
    (PEP440, ">=1.26,<1.26.5", "1.26.4", True),
    (PEP440, ">=1.26,<1.26.5", "1.26.5", False),
    (PEP440, "==1.26.4", "1.26.4", True),
    (PEP440, "==1.26.4", "1.26.4.0", True),  # PEP 440: 1.26.4 == 1.26.4.0
    (PEP440, "==1.26.4", "1.26.4+deb11u1", True),  # a local build of the release
    (PEP440, "!=1.26.4", "1.26.4+deb11u1", False),
    (PEP440, "<1.26.5", "1.26.5rc1", False),  # PEP 440: <V excludes V's pre-releases
    (PEP440, "<1.26.5", "1.26.5.dev0", False),
    (PEP440, ">=1.26,<1.27", "1.26.5rc1", True),  # a pre-release between the bounds is inside
    (PEP440, ">1.26.4", "1.26.4.post1", False),  # PEP 440: >V excludes V's post-releases
    (PEP440, ">=1.26.4", "1.26.4.post1", True),
    (PEP440, "==2020.12.5", "2020.12.05", True),  # certifi
    (PEP440, "<2.10 || ==2.10", "2.10", True),  # idna
    # firmware: FreeRTOS V10.3.1, FatFs R0.14b, Mbed TLS 2.28.3, CPython 3.8.10
    (GENERIC, "==10.3.1", "V10.3.1", True),
    (GENERIC, ">=10.0,<10.4.3", "10.3.1", True),
    (GENERIC, ">=10.0,<10.4.3", "V10.4.3", False),
    (GENERIC, "<R0.15", "R0.14b", True),
    (GENERIC, ">0.14", "R0.14b", True),  # a letter release follows its numbers
    (GENERIC, "==0.14b", "R0.14b", True),
    (GENERIC, ">=2.28.0,<2.28.5 || >=3.0.0,<3.5.0", "2.28.3", True),
    (GENERIC, ">=2.28.0,<2.28.5 || >=3.0.0,<3.5.0", "3.5.0", False),
    (GENERIC, "<2.28.5", "2.28.5-rc1", True),  # other schemes: a pre-release is below its release
    (GENERIC, "!=3.8.10", "3.8.10", False),
    # npm (SemVer 2.0 order): ansi-regex 5.0.1, @sindresorhus/is 4.6.0
    (NPM_SEMVER, ">=5.0.0,<5.0.1", "5.0.1", False),
    (NPM_SEMVER, "<4.6.0", "4.6.0-beta.1", True),
    (NPM_SEMVER, "==4.6.0", "4.6.0", True),
    # crates.io: form_urlencoded 1.0.1, autocfg 1.1.0
    (SEMVER, ">=1.0.0,<1.0.2", "1.0.1", True),
    (SEMVER, "==1.1.0", "1.1.0+build5", True),  # build metadata has no order in SemVer
    # Go: github.com/Microsoft/go-winio v0.5.2, a pseudo-version of go-fuzz-headers
    (GO, ">=v0.5.0,<v0.6.0", "v0.5.2", True),
    (GO, "<v0.0.1", "v0.0.0-20210715213245-6c3934b029d8", True),
    # Maven: a release and its qualifiers
    (MAVEN, ">=2.13.0,<2.13.4", "2.13.2.2", True),
    (MAVEN, "<2.13.0", "2.13.0-rc1", True),
]


@pytest.mark.parametrize(("scheme", "text", "version", "inside"), CASES)
def test_contains_per_scheme(scheme: VersionScheme, text: str, version: str, inside: bool) -> None:
    assert parse_range(text).contains(version, scheme) is inside


@pytest.mark.parametrize(
    ("scheme", "text", "version", "message"),
    [
        (PEP440, ">=1.26", "1.26.x", "'1.26.x' is not a valid PEP 440 version"),
        (PEP440, ">=1.26.x", "1.26.4", "'>=1.26.x' is not a valid PEP 440 version specifier"),
        (PEP440, "<=1.0+local", "1.0", "'<=1.0+local' is not a valid PEP 440 version specifier"),
        (GENERIC, ">=10.0", "master", "'master' is not a valid firmware version"),
        (
            GENERIC,
            "==1.0.2k-fips || <10.4.3",
            "10.3.1",
            "'1.0.2k-fips' in '==1.0.2k-fips' is not a valid firmware version",
        ),
        (GO, "<v1.0.0", "master", "'master' is not a valid Go module version"),
    ],
)
def test_undecidable_is_an_error_not_an_answer(
    scheme: VersionScheme, text: str, version: str, message: str
) -> None:
    # Even when another group could decide (the second case), an unreadable bound makes the whole
    # range undecidable: a waiver must not apply on the strength of half its range.
    with pytest.raises(RangeError) as caught:
        parse_range(text).contains(version, scheme)
    assert str(caught.value) == message


def test_check_names_the_first_unreadable_bound() -> None:
    parse_range(">=10.0,<10.4.3").check(GENERIC)
    with pytest.raises(RangeError) as caught:
        parse_range(">=10.0,<latest || ==head").check(GENERIC)
    assert str(caught.value) == "'latest' in '<latest' is not a valid firmware version"


# PEP 440 agreement: on ordinary releases (numbers only) the language on PyPI says exactly what a
# PEP 440 specifier set says, and what the firmware scheme's order says about the same text.
releases = st.lists(st.integers(0, 3), min_size=1, max_size=3).map(
    lambda parts: ".".join(map(str, parts))
)
clauses = st.tuples(st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), releases).map("".join)
groups = st.lists(clauses, min_size=1, max_size=3).map(",".join)


@given(st.lists(groups, min_size=1, max_size=3), releases)
def test_pypi_agrees_with_pep440_specifiers(alternatives: list[str], version: str) -> None:
    text = " || ".join(alternatives)
    expected = any(
        SpecifierSet(group).contains(Version(version), prereleases=True) for group in alternatives
    )
    assert parse_range(text).contains(version, PEP440) is expected
    # the same words mean the same thing for firmware versions
    assert parse_range(text).contains(version, GENERIC) is expected


@given(releases, releases, releases)
def test_bounds_are_an_interval(low: str, high: str, version: str) -> None:
    inside = parse_range(f">={low},<{high}").contains(version, GENERIC)
    value, lo, hi = GENERIC.parse(version), GENERIC.parse(low), GENERIC.parse(high)
    assert value is not None and lo is not None and hi is not None
    assert inside is (lo <= value < hi)
    # a version outside the interval is inside its complement, and never in both
    outside = parse_range(f"<{low} || >={high}").contains(version, GENERIC)
    assert outside is not inside or not (lo < hi)
