"""SemVer 2.0 (npm, crates.io): the precedence examples of semver.org and the order properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mdrgate.versioning import NPM_SEMVER, SEMVER, scheme_for_ecosystem
from tests.unit.versioning.strategies import check_sorted, check_total_order, semver_texts

# semver.org §11, verbatim: "Example: 1.0.0 < 2.0.0 < 2.1.0 < 2.1.1." and
# "Example: 1.0.0-alpha < 1.0.0-alpha.1 < 1.0.0-alpha.beta < 1.0.0-beta < 1.0.0-beta.2 <
# 1.0.0-beta.11 < 1.0.0-rc.1 < 1.0.0."
SPEC_PRECEDENCE = [
    ["1.0.0", "2.0.0", "2.1.0", "2.1.1"],
    [
        "1.0.0-alpha",
        "1.0.0-alpha.1",
        "1.0.0-alpha.beta",
        "1.0.0-beta",
        "1.0.0-beta.2",
        "1.0.0-beta.11",
        "1.0.0-rc.1",
        "1.0.0",
    ],
    ["1.0.0-1", "1.0.0-0a", "1.0.0-a"],  # numeric identifiers below alphanumeric ones
    ["1.0.0-alpha10", "1.0.0-alpha9"],  # alphanumeric identifiers compare in ASCII order
    ["1.0.0-9", "1.0.0-10", "1.0.0-99999999999999999999"],
    # crates.io bounds as RustSec publishes them: "-0" is the lowest pre-release of a release.
    ["0.3.0", "0.3.1-0", "0.3.1-alpha", "0.3.1"],
]


@pytest.mark.parametrize("ascending", SPEC_PRECEDENCE)
def test_spec_precedence(ascending: list[str]) -> None:
    check_sorted(SEMVER.parse, ascending)


def test_build_metadata_takes_no_part_in_precedence() -> None:
    # semver.org §10: "1.0.0-alpha+001, 1.0.0+20130313144700, 1.0.0-beta+exp.sha.5114f85".
    assert SEMVER.parse("1.0.0+20130313144700") == SEMVER.parse("1.0.0")
    assert SEMVER.parse("1.0.0-alpha+001") == SEMVER.parse("1.0.0-alpha")
    assert SEMVER.parse("1.0.0-beta+exp.sha.5114f85") < SEMVER.parse("1.0.0")
    assert SEMVER.equal("1.0.0+a", "1.0.0+b")


@pytest.mark.parametrize(
    "text",
    ["1.0", "1", "01.0.0", "1.01.0", "1.0.0-01", "1.0.0-", "1.0.0+", "1.0.0-a..b", "", "latest"],
)
def test_not_semver(text: str) -> None:
    assert SEMVER.parse(text) is None
    assert NPM_SEMVER.parse(text) is None


def test_npm_accepts_a_v_prefix_cargo_does_not() -> None:
    assert NPM_SEMVER.parse("v1.2.3") == NPM_SEMVER.parse("1.2.3")
    assert NPM_SEMVER.parse("V1.2.3") is None  # node-semver 7 rejects an upper-case V too
    assert SEMVER.parse("v1.2.3") is None
    assert SEMVER.parse(" 1.2.3 ") == SEMVER.parse("1.2.3")


def test_ecosystems() -> None:
    assert scheme_for_ecosystem("npm") is NPM_SEMVER
    assert scheme_for_ecosystem("crates.io") is SEMVER


def _reference_key(text: str) -> tuple[object, ...]:
    """semver.org §11 written out independently of the library."""
    core, _, pre = text.split("+", 1)[0].partition("-")
    numbers = tuple(int(n) for n in core.split("."))
    if not pre:
        return (numbers, 1, ())
    ids = tuple((0, int(i), "") if i.isdigit() else (1, 0, i) for i in pre.split("."))
    return (numbers, 0, ids)


@settings(max_examples=150, deadline=None)
@given(st.lists(semver_texts(), min_size=2, max_size=6))
def test_order_properties(texts: list[str]) -> None:
    values = [SEMVER.parse(t) for t in texts]
    assert None not in values
    check_total_order(values)
    for a, ta in zip(values, texts, strict=True):
        assert SEMVER.parse(str(a)) == a  # parse is stable
        for b, tb in zip(values, texts, strict=True):
            assert (a < b) == (_reference_key(ta) < _reference_key(tb)), (ta, tb)
            assert (a == b) == (_reference_key(ta) == _reference_key(tb)), (ta, tb)
