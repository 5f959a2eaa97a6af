"""OSV range semantics on real records: boundaries, pre/post-releases, spellings, bad bounds."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from packaging.version import Version

from mdrgate.enrich import EntryMatch, evaluate
from mdrgate.model import AffectedPackage, AffectedRange, RangeEvent
from mdrgate.versioning import PEP440
from mdrgate.vulndb import VulnDb


@pytest.fixture(scope="module")
def packages(assets_db: Path) -> dict[str, AffectedPackage]:
    """The PyPI ``affected[]`` entry of each committed record, by advisory id."""
    names = ["requests", "py", "urllib3", "werkzeug", "apache-airflow", "beaker"]
    names += ["binderhub", "steam", "leo", "pillow"]
    out: dict[str, AffectedPackage] = {}
    with VulnDb.open(assets_db) as db:
        for name in names:
            for advisory, package in db.affected("PyPI", name):
                if not advisory.id.startswith("GHSA"):
                    out[advisory.id] = package
    return out


def _check(package: AffectedPackage, version: str) -> EntryMatch:
    return evaluate(package, version, PEP440)


# requests, PYSEC-2023-74: ECOSYSTEM introduced 2.3.0, fixed 2.31.0; versions list; a GIT range.
@pytest.mark.parametrize(
    ("version", "affected"),
    [
        ("2.2.1", False),
        ("2.3.0rc1", False),  # a pre-release sorts before the release that introduced the bug
        ("2.3.0", True),  # introduced is inclusive
        ("2.3", True),  # 2.3 == 2.3.0
        ("2.30.0", True),
        ("2.31.0rc1", True),  # a pre-release of the fix is still before the fix
        ("2.31.0", False),  # fixed is exclusive
        ("2.31", False),
        ("2.31.0.post1", False),
        ("2.32.3", False),
    ],
)
def test_requests_introduced_fixed(
    packages: dict[str, AffectedPackage], version: str, affected: bool
) -> None:
    assert _check(packages["PYSEC-2023-74"], version).affected is affected


def test_requests_match_details(packages: dict[str, AffectedPackage]) -> None:
    assert _check(packages["PYSEC-2023-74"], "2.30.0") == EntryMatch(
        affected=True, listed="2.30.0", fixed=("2.31.0",), ranges=(">=2.3.0, <2.31.0",)
    )
    # 2.3 is listed as 2.3.0: PEP 440 equality, not string equality.
    assert _check(packages["PYSEC-2023-74"], "2.3").listed == "2.3.0"


# py, PYSEC-2022-42969: introduced 0, last_affected 1.11.0.
@pytest.mark.parametrize(
    ("version", "affected"),
    [
        ("0.0.dev0", True),  # "0" sorts before every version, even 0.0.dev0 < 0
        ("1.10.0", True),
        ("1.11.0", True),  # last_affected is inclusive
        ("1.11", True),
        ("1.11.0+deb1", True),  # matched as its public release, see the note
        ("1.11.0.post1", False),
        ("1.11.1.dev0", False),
        ("1.11.1", False),
    ],
)
def test_py_last_affected(
    packages: dict[str, AffectedPackage], version: str, affected: bool
) -> None:
    assert _check(packages["PYSEC-2022-42969"], version).affected is affected


def test_py_listed_pre_release_spelled_differently(packages: dict[str, AffectedPackage]) -> None:
    result = _check(packages["PYSEC-2022-42969"], "0.8.0a2")
    assert result.listed == "0.8.0-alpha2"
    assert result.ranges == ("<=1.11.0",)
    assert result.fixed == ()


def test_local_label_note(packages: dict[str, AffectedPackage]) -> None:
    assert _check(packages["PYSEC-2022-42969"], "1.11.0+deb1").notes == (
        "version 1.11.0+deb1 was matched as its public release 1.11.0 "
        "(local label ignored: a downstream build of the same release)",
    )


# urllib3, PYSEC-2023-192: events out of order (2.0.0→2.0.6, then 0→1.26.17).
@pytest.mark.parametrize(
    ("version", "affected", "fixed"),
    [
        ("1.26.16", True, ("1.26.17", "2.0.6")),
        ("1.26.17", False, ()),
        ("1.27", False, ()),
        ("2.0.0", True, ("2.0.6",)),
        ("2.0.5", True, ("2.0.6",)),
        ("2.0.6", False, ()),
    ],
)
def test_urllib3_two_intervals_unsorted(
    packages: dict[str, AffectedPackage], version: str, affected: bool, fixed: tuple[str, ...]
) -> None:
    result = _check(packages["PYSEC-2023-192"], version)
    assert (result.affected, result.fixed) == (affected, fixed)
    assert result.ranges == ("<1.26.17; >=2.0.0, <2.0.6",)


# werkzeug, PYSEC-2023-221: <2.3.8 and [3.0.0, 3.0.1).
@pytest.mark.parametrize(
    ("version", "affected"),
    [("2.3.7", True), ("2.3.8", False), ("2.9", False), ("3.0.0", True), ("3.0.1", False)],
)
def test_werkzeug_two_intervals(
    packages: dict[str, AffectedPackage], version: str, affected: bool
) -> None:
    assert _check(packages["PYSEC-2023-221"], version).affected is affected


# apache-airflow, PYSEC-2024-46: introduced 2.8.0, fixed 2.8.3rc1 (a pre-release bound).
@pytest.mark.parametrize(
    ("version", "affected"),
    [
        ("2.8.0rc1", False),
        ("2.8.2", True),
        ("2.8.3.dev0", True),
        ("2.8.3rc0", True),
        ("2.8.3rc1", False),
        ("2.8.3", False),
    ],
)
def test_airflow_pre_release_fix(
    packages: dict[str, AffectedPackage], version: str, affected: bool
) -> None:
    assert _check(packages["PYSEC-2024-46"], version).affected is affected


# beaker, PYSEC-2012-1: fixed 1.6.5.post1 (a post-release bound).
@pytest.mark.parametrize(
    ("version", "affected"),
    [("1.6.5", True), ("1.6.5.post0", True), ("1.6.5.post1", False), ("1.6.6", False)],
)
def test_beaker_post_release_fix(
    packages: dict[str, AffectedPackage], version: str, affected: bool
) -> None:
    assert _check(packages["PYSEC-2012-1"], version).affected is affected


def test_unparsable_fixed_bound_is_not_trusted(packages: dict[str, AffectedPackage]) -> None:
    # binderhub, PYSEC-2021-371: fixed '0.2.0-n653'; no versions list.
    result = _check(packages["PYSEC-2021-371"], "0.1.0")
    assert result == EntryMatch(
        affected=True,
        ranges=("all versions",),
        notes=(
            "fixed '0.2.0-n653' is not a valid PEP 440 version; treated as not fixed "
            "(conservative)",
        ),
    )
    assert _check(packages["PYSEC-2021-371"], "1.0.0").affected is True


def test_unparsable_date_bound(packages: dict[str, AffectedPackage]) -> None:
    # steam, PYSEC-2019-125: fixed '2019-09-12'.
    result = _check(packages["PYSEC-2019-125"], "1.4.4")
    assert result.affected is True
    assert result.notes == (
        "fixed '2019-09-12' is not a valid PEP 440 version; treated as not fixed (conservative)",
    )


def test_unparsable_installed_version_only_matches_listed_text(
    packages: dict[str, AffectedPackage],
) -> None:
    # leo, PYSEC-2021-338: the versions list has '4.11-final' and '5.0-final'; fixed 6.3.
    leo = packages["PYSEC-2021-338"]
    assert _check(leo, "4.11-final").listed == "4.11-final"
    assert _check(leo, "4.11-final").affected is True
    assert _check(leo, "4.12-final").affected is False  # ranges cannot be evaluated
    assert _check(leo, "6.2.1").affected is True
    assert _check(leo, "6.3").affected is False


def test_git_only_entry_matches_by_listed_versions(packages: dict[str, AffectedPackage]) -> None:
    # pillow, OSV-2022-1074 (OSS-Fuzz): a GIT range and versions 9.1.0, 9.1.1, 9.2.0.
    pillow = packages["OSV-2022-1074"]
    assert _check(pillow, "9.1") == EntryMatch(affected=True, listed="9.1.0")
    assert _check(pillow, "9.3.0").affected is False
    assert _check(pillow, "9.0.0").affected is False


# -- properties, on ranges of generated versions ----------------------------------------------

_versions = st.builds(
    lambda release, pre, post, dev: (
        ".".join(map(str, release))
        + (f"{pre[0]}{pre[1]}" if pre else "")
        + (f".post{post}" if post is not None else "")
        + (f".dev{dev}" if dev is not None else "")
    ),
    st.lists(st.integers(0, 12), min_size=1, max_size=3),
    st.none() | st.tuples(st.sampled_from(["a", "b", "rc"]), st.integers(0, 3)),
    st.none() | st.integers(0, 2),
    st.none() | st.integers(0, 2),
)


def _package(*events: tuple[str, str], versions: tuple[str, ...] = ()) -> AffectedPackage:
    rng = AffectedRange("ECOSYSTEM", tuple(RangeEvent(kind, v) for kind, v in events))
    return AffectedPackage("PyPI", "x", None, (rng,), versions)


@given(_versions, _versions)
def test_introduced_zero_fixed_x_is_less_than_x(version: str, fixed: str) -> None:
    result = _check(_package(("introduced", "0"), ("fixed", fixed)), version)
    assert result.affected is (Version(version) < Version(fixed))


@given(_versions, _versions, _versions)
def test_introduced_fixed_is_half_open(version: str, one: str, other: str) -> None:
    low, high = sorted((one, other), key=Version)
    assume(low != "0")  # introduced "0" is OSV's "before every version", tested above
    result = _check(_package(("introduced", low), ("fixed", high)), version)
    assert result.affected is (Version(low) <= Version(version) < Version(high))


@given(_versions, _versions)
def test_last_affected_is_inclusive(version: str, last: str) -> None:
    result = _check(_package(("introduced", "0"), ("last_affected", last)), version)
    assert result.affected is (Version(version) <= Version(last))


@given(_versions, _versions)
def test_limit_bounds_an_open_range(version: str, limit: str) -> None:
    result = _check(_package(("introduced", "0"), ("limit", limit)), version)
    assert result.affected is (Version(version) < Version(limit))
    star = _check(_package(("introduced", "0"), ("limit", "*")), version)
    assert star.affected is True


@settings(max_examples=60)
@given(st.lists(_versions, min_size=4, max_size=4, unique_by=Version), _versions, st.randoms())
def test_event_order_does_not_matter(bounds: list[str], version: str, rnd: random.Random) -> None:
    assume("0" not in bounds)
    a, b, c, d = sorted(bounds, key=Version)
    events = [("introduced", a), ("fixed", b), ("introduced", c), ("fixed", d)]
    expected = _check(_package(*events), version).affected
    rnd.shuffle(events)
    assert _check(_package(*events), version).affected is expected
    v = Version(version)
    assert expected is (Version(a) <= v < Version(b) or Version(c) <= v < Version(d))


@given(_versions)
def test_a_listed_version_is_affected_whatever_the_ranges(version: str) -> None:
    package = _package(("introduced", "0"), ("fixed", "0"), versions=(version,))
    assert _check(package, version).affected is True


@given(_versions, st.sampled_from(["fixed", "last_affected", "limit", "introduced"]))
def test_an_unparsable_bound_never_hides_a_version(version: str, kind: str) -> None:
    events = [("introduced", "0"), (kind, "not-a-version!")]
    result = _check(_package(*events), version)
    assert result.affected is True
    assert result.notes[-1].startswith(f"{kind} 'not-a-version!' is not a valid PEP 440 version")
