"""OSV evaluation beyond PyPI: SemVer and Go bounds, intervals as listed, commits in GIT ranges,
and npm and Maven components matched end to end on real GitHub advisories."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mdrgate.enrich import evaluate, match_inventory
from mdrgate.enrich.matchers import osv_package_name
from mdrgate.enrich.osv_eval import git_verdict
from mdrgate.model import (
    AffectedPackage,
    AffectedRange,
    Component,
    ComponentClass,
    Inventory,
    RangeEvent,
)
from mdrgate.versioning import GO, PEP440, SEMVER
from mdrgate.vulndb import VulnDb, import_osv
from tests.unit.versioning.strategies import semver_texts
from tests.unit.vulndb.osv_assets import NOW, OSS_FUZZ, PYPI

GHSA = Path(__file__).resolve().parents[2] / "assets" / "osv_accuracy" / "osv-ghsa"


def _package(*events: tuple[str, str], kind: str = "SEMVER") -> AffectedPackage:
    rng = AffectedRange(kind, tuple(RangeEvent(k, v) for k, v in events))
    return AffectedPackage("crates.io", "x", None, (rng,), ())


# --- SemVer and Go bounds ------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(semver_texts(), semver_texts())
def test_semver_last_affected_is_inclusive_and_limit_exclusive(version: str, bound: str) -> None:
    v, b = SEMVER.parse(version), SEMVER.parse(bound)
    assert v is not None and b is not None
    last = evaluate(_package(("introduced", "0"), ("last_affected", bound)), version, SEMVER)
    assert last.affected is (v <= b)
    limit = evaluate(_package(("introduced", "0"), ("limit", bound)), version, SEMVER)
    assert limit.affected is (v < b)
    # Go reads the same bounds with and without the v, and ignores +incompatible.
    go = evaluate(_package(("introduced", "0"), ("fixed", bound)), f"v{version}", GO)
    assert go.affected is (v < b)


def test_a_go_bound_in_go_mod_spelling() -> None:
    package = _package(("introduced", "v2.0.0+incompatible"), ("fixed", "v2.1.0"))
    assert evaluate(package, "2.0.0", GO).affected is True
    assert evaluate(package, "v2.0.5+incompatible", GO).affected is True
    assert evaluate(package, "v2.1.0-0.20200101000000-0123456789ab", GO).affected is True
    assert evaluate(package, "v2.1.0", GO).affected is False


# --- intervals as listed -------------------------------------------------------------------

_versions = st.integers(0, 30).map(lambda n: f"1.{n}.0")


@settings(max_examples=100, deadline=None)
@given(st.lists(_versions, min_size=3, max_size=3, unique=True), _versions)
def test_touching_intervals_cover_their_union(bounds: list[str], version: str) -> None:
    a, b, c = sorted(bounds, key=SEMVER.parse)
    listed = _package(("introduced", a), ("fixed", b), ("introduced", b), ("fixed", c))
    v = SEMVER.parse(version)
    assert v is not None
    expected = SEMVER.parse(a) <= v < SEMVER.parse(c)  # type: ignore[operator]
    assert evaluate(listed, version, SEMVER).affected is expected


def test_overlapping_intervals_as_listed() -> None:
    # The shape of PYSEC-2021-114 (wagtail): [2.11, 2.11.7) listed before [0, 2.11.6).
    package = _package(
        ("introduced", "2.11.0"),
        ("fixed", "2.11.7"),
        ("introduced", "0"),
        ("fixed", "2.11.6"),
        kind="ECOSYSTEM",
    )
    result = evaluate(package, "2.11.6", SEMVER)
    assert result.affected is True
    assert result.notes == (
        "affected within the interval >=2.11.0, <2.11.7 as the record lists it: its intervals "
        "overlap or touch, and the walk over the sorted events alone would leave this version out",
    )
    clean = evaluate(package, "2.11.5", SEMVER)  # the walk says so too: no note
    assert (clean.affected, clean.notes) == (True, ())
    assert evaluate(package, "2.11.7", SEMVER).affected is False


def test_an_empty_listed_interval_adds_nothing() -> None:
    # introduced 1.5.0 paired with fixed 1.2.0 as listed: not a reading to widen anything by.
    package = _package(("introduced", "1.0.0"), ("fixed", "1.2.0"), ("introduced", "1.5.0"))
    assert evaluate(package, "1.3.0", SEMVER).affected is False
    assert evaluate(package, "1.5.0", SEMVER).affected is True


# --- GIT ranges and commits ----------------------------------------------------------------

REQUESTS_FIX = "74ea7cf7a6a27a4eeb2ae24e162bcc942a6706d5"  # PYSEC-2023-74's GIT fixed commit
TF_INTRODUCED = "0834086910de00f55876040943975e388b645e7a"  # OSV-2021-449's introduced commit


@pytest.fixture(scope="module")
def requests_entry(assets_db: Path) -> AffectedPackage:
    with VulnDb.open(assets_db) as db:
        (package,) = [p for a, p in db.affected("PyPI", "requests") if a.id == "PYSEC-2023-74"]
    return package


def test_git_range_is_not_used_without_a_commit(requests_entry: AffectedPackage) -> None:
    result = evaluate(requests_entry, "2.31.0", PEP440)
    assert result.affected is False
    assert result.ranges == (">=2.3.0, <2.31.0",)


@pytest.mark.parametrize(
    ("commit", "verdict"),
    [
        (REQUESTS_FIX, False),
        (REQUESTS_FIX[:7], False),  # an abbreviation names the same commit
        (REQUESTS_FIX.upper(), False),
        (REQUESTS_FIX[:6], None),  # too short to name a commit
        ("0" * 40, None),  # any other commit: its place needs the repository's history
        ("not-a-commit", None),
    ],
)
def test_git_verdict_by_identity(
    requests_entry: AffectedPackage, commit: str, verdict: bool | None
) -> None:
    (git,) = [r for r in requests_entry.ranges if r.type == "GIT"]
    assert git_verdict(git, commit) is verdict


def _tensorflow(version: str, commit: str | None) -> Component:
    properties = (("mdrgate:vcs:commit", commit),) if commit else ()
    return Component(
        name="tensorflow",
        version=version,
        component_class=ComponentClass.HOST,
        ecosystem="PyPI",
        purl=f"pkg:pypi/tensorflow@{version}",
        properties=properties,
    )


def test_a_commit_decides_a_git_only_advisory(tmp_path: Path) -> None:
    # OSV-2021-449 names tensorflow with only a GIT range; a component built at its introduced
    # commit is affected, and the finding says why.
    db_path = tmp_path / "vuln.db"
    import_osv(db_path, (PYPI, OSS_FUZZ), now=NOW)
    with VulnDb.open(db_path) as db:
        findings, diagnostics = match_inventory(
            Inventory(components=(_tensorflow("2.4.0", TF_INTRODUCED[:12]),)), db
        )
        assert diagnostics == ()
        (finding,) = findings
        assert finding.advisory.id == "OSV-2021-449"
        assert finding.affected_ranges == (
            "GIT https://github.com/tensorflow/tensorflow: commit 0834086910de is one of the "
            "range's affected commits",
        )
        # Another commit cannot be placed without the history: reported, never passed.
        findings, diagnostics = match_inventory(
            Inventory(components=(_tensorflow("2.4.0", "1" * 40),)), db
        )
        assert findings == ()
        (diagnostic,) = diagnostics
        assert diagnostic.code == "advisory-not-evaluable"
        assert f"commit {'1' * 40} is none of its range commits" in diagnostic.message


# --- npm and Maven end to end --------------------------------------------------------------


@pytest.fixture(scope="module")
def ghsa_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ghsa") / "vuln.db"
    import_osv(path, (GHSA / "npm" / "sample.zip", GHSA / "Maven" / "sample.zip"), now=NOW)
    return path


LOG4J, LOG4SHELL = "pkg:maven/org.apache.logging.log4j/log4j-core", "GHSA-jfh8-c2jp-5v3q"
SPRING, SPRING4SHELL = "pkg:maven/org.springframework/spring-beans", "GHSA-36p3-wjmg-h94x"


def _component(ecosystem: str, purl: str, version: str) -> Component:
    return Component(
        name=purl.rsplit("/", 1)[-1],
        version=version,
        component_class=ComponentClass.HOST,
        ecosystem=ecosystem,
        purl=f"{purl}@{version}",
    )


@pytest.mark.parametrize(
    ("ecosystem", "purl", "version", "expected"),
    [
        # lodash, GHSA-jf85-cpcp-j695: introduced 0, fixed 4.17.12
        ("npm", "pkg:npm/lodash", "4.17.11", ["GHSA-jf85-cpcp-j695"]),
        ("npm", "pkg:npm/lodash", "v4.17.11", ["GHSA-jf85-cpcp-j695"]),
        ("npm", "pkg:npm/lodash", "4.17.12-pre", ["GHSA-jf85-cpcp-j695"]),
        ("npm", "pkg:npm/lodash", "4.17.12", []),
        # semver, GHSA-c2qf-rxjj-qqgw: <5.7.2, [6.0.0, 6.3.1), [7.0.0, 7.5.2)
        ("npm", "pkg:npm/semver", "5.7.1", ["GHSA-c2qf-rxjj-qqgw"]),
        ("npm", "pkg:npm/semver", "5.7.2", []),
        ("npm", "pkg:npm/semver", "6.3.0", ["GHSA-c2qf-rxjj-qqgw"]),
        ("npm", "pkg:npm/semver", "7.5.2", []),
        # log4j-core, GHSA-jfh8-c2jp-5v3q: <2.3.1, [2.4, 2.12.2), [2.13.0, 2.15.0)
        ("Maven", LOG4J, "2.0-beta9", [LOG4SHELL]),
        ("Maven", LOG4J, "2.3.1", []),
        ("Maven", LOG4J, "2.12.1", [LOG4SHELL]),
        ("Maven", LOG4J, "2.14.1", [LOG4SHELL]),
        ("Maven", LOG4J, "2.15.0-rc1", [LOG4SHELL]),
        ("Maven", LOG4J, "2.15.0", []),
        # spring-beans, GHSA-36p3-wjmg-h94x: fixed 5.2.20.RELEASE (= 5.2.20), [5.3.0, 5.3.18)
        ("Maven", SPRING, "5.2.19.RELEASE", [SPRING4SHELL]),
        ("Maven", SPRING, "5.2.20", []),
        ("Maven", SPRING, "5.3.17", [SPRING4SHELL]),
        ("Maven", SPRING, "5.3.18", []),
    ],
)  # fmt: skip
def test_npm_and_maven_components(
    ghsa_db: Path, ecosystem: str, purl: str, version: str, expected: list[str]
) -> None:
    with VulnDb.open(ghsa_db) as db:
        inventory = Inventory(components=(_component(ecosystem, purl, version),))
        findings, diagnostics = match_inventory(inventory, db)
    assert diagnostics == ()
    assert [f.advisory.id for f in findings] == expected


@pytest.mark.parametrize(
    ("purl", "name"),
    [
        ("pkg:npm/%40babel/core@7.0.0", "@babel/core"),
        ("pkg:npm/lodash@4.17.11", "lodash"),
        ("pkg:golang/github.com/gorilla/mux@v1.8.0", "github.com/gorilla/mux"),
        ("pkg:golang/stdlib@go1.21.3", "stdlib"),
        (f"{LOG4J}@2.14.1", "org.apache.logging.log4j:log4j-core"),
        ("pkg:cargo/smallvec@0.6.2", "smallvec"),
        ("pkg:pypi/requests@2.31.0", "requests"),
    ],
)  # fmt: skip
def test_osv_package_name(purl: str, name: str) -> None:
    component = Component(
        name="ignored", version="1", component_class=ComponentClass.HOST, purl=purl
    )
    assert osv_package_name(component) == name
