"""Matching many components at once gives exactly what matching them one by one gives.

``match_components`` (one query per ecosystem, each advisory entry prepared once per package) is
what ``match_inventory`` uses; ``OsvMatcher.match`` (one component, one query) is what the online
path uses. Both are checked against each other on every package of the committed OSV excerpts,
at the versions their records name, with unparsable versions, local labels and source commits.
"""

from __future__ import annotations

import gc
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mdrgate.enrich.matchers import (
    COMMIT_PROPERTY,
    Matcher,
    OsvMatcher,
    collector_paused,
    match_components,
    matcher_for,
)
from mdrgate.enrich.osv_eval import PreparedEntry, evaluate
from mdrgate.model import Component, ComponentClass
from mdrgate.versioning import PEP440
from mdrgate.vulndb import VulnDb

_PURL_TYPES = {"PyPI": "pypi", "Go": "golang", "crates.io": "cargo"}


def _component(ecosystem: str, name: str, version: str, commit: str | None = None) -> Component:
    properties = ((COMMIT_PROPERTY, commit),) if commit else ()
    return Component(
        name=name,
        version=version,
        component_class=ComponentClass.HOST,
        ecosystem=ecosystem,
        purl=f"pkg:{_PURL_TYPES[ecosystem]}/{name}@{version}",
        properties=properties,
    )


def _pool(db_path: Path) -> list[Component]:
    """Every package of the excerpts at every version its records name (enumerated versions,
    range bounds), plus versions no scheme reads, local labels, and GIT commits as commits."""
    conn = sqlite3.connect(db_path)
    rows = conn.execute(
        "SELECT ecosystem, name, ranges, versions FROM affected WHERE ecosystem IN "
        "('PyPI', 'Go', 'crates.io') ORDER BY ecosystem, name, advisory, position"
    ).fetchall()
    conn.close()
    pool: dict[tuple[str, str, str, str | None], Component] = {}
    for ecosystem, name, ranges, versions in rows:
        named = list(json.loads(versions))
        commits: list[str] = []
        for kind, _, events in json.loads(ranges):
            for _, version in events:
                (commits if kind == "GIT" else named).append(version)
        named += ["not a version", "2.30.0+deb1", "v1.2.3"]
        for version in named:
            pool.setdefault((ecosystem, name, version, None), _component(ecosystem, name, version))
        for commit in commits:
            key = (ecosystem, name, "0.0.1", commit)
            pool.setdefault(key, _component(ecosystem, name, "0.0.1", commit))
    return list(pool.values())


@pytest.fixture(scope="module")
def pool(assets_db: Path) -> list[Component]:
    return _pool(assets_db)


@pytest.fixture
def db(assets_db: Path) -> Iterator[VulnDb]:
    with VulnDb.open(assets_db) as handle:
        yield handle


def _pairs(components: list[Component]) -> list[tuple[Component, Matcher]]:
    pairs = []
    for component in components:
        matcher = matcher_for(component.ecosystem)
        assert matcher is not None
        pairs.append((component, matcher))
    return pairs


def test_the_pool_covers_what_matching_meets(pool: list[Component], assets_db: Path) -> None:
    assert len(pool) == 498
    assert sum(1 for c in pool if c.properties) == 17  # with a source commit
    with VulnDb.open(assets_db) as db:
        one_by_one = [m.match(c, db) for c, m in _pairs(pool)]
    codes = [d.code for _, diagnostics in one_by_one for d in diagnostics]
    assert (codes.count("unparsable-version"), codes.count("advisory-not-evaluable")) == (23, 3)
    assert sum(len(findings) for findings, _ in one_by_one) == 672
    # OSV-2021-449 (tensorflow) has only a GIT range: its introduced commit is affected by
    # identity, its fixed commit is not, a component without a commit cannot be judged
    tensorflow = {
        c.properties[0][1][:10] if c.properties else c.version: (
            [f.advisory.id for f in findings],
            [d.code for d in diagnostics],
        )
        for c, (findings, diagnostics) in zip(pool, one_by_one, strict=True)
        if c.name == "tensorflow"
    }
    assert tensorflow["0834086910"] == (["OSV-2021-449"], [])
    assert tensorflow["7677422a56"] == ([], [])
    assert tensorflow["v1.2.3"] == ([], ["advisory-not-evaluable"])


def test_all_at_once_equals_one_by_one(pool: list[Component], assets_db: Path) -> None:
    pairs = _pairs(pool)
    with VulnDb.open(assets_db) as db:
        expected = [matcher.match(component, db) for component, matcher in pairs]
    with VulnDb.open(assets_db) as db:  # a fresh handle: nothing read before is reused
        assert match_components(pairs, db) == expected


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_selection_in_any_order_equals_one_by_one(
    data: st.DataObject, pool: list[Component], assets_db: Path
) -> None:
    chosen = data.draw(st.lists(st.sampled_from(pool), max_size=40))  # repeats included
    pairs = _pairs(chosen)
    with VulnDb.open(assets_db) as db:
        expected = [matcher.match(component, db) for component, matcher in pairs]
        assert match_components(pairs, db) == expected


def test_match_many_of_one_matcher_keeps_the_order(pool: list[Component], db: VulnDb) -> None:
    pypi = [c for c in pool if c.ecosystem == "PyPI"][::-1]
    matcher = OsvMatcher("PyPI", PEP440)
    found = matcher.match_many(pypi, db)
    assert found == [matcher.match(c, db) for c in pypi]
    requests = pypi.index(next(c for c in pypi if c.name == "requests" and c.version == "2.30.0"))
    assert [f.advisory.id for f in found[requests][0]] == [
        "GHSA-j8r2-6x86-q33q",
        "PYSEC-2023-74",
    ]


def test_nothing_to_match_is_nothing_found(db: VulnDb) -> None:
    assert match_components([], db) == []
    assert OsvMatcher("PyPI", PEP440).match_many([], db) == []


def test_affected_many_is_affected_of_each_name(assets_db: Path) -> None:
    names = ["Requests", "requests", "urllib3", "flask_caching", "no-such-package"]
    with VulnDb.open(assets_db) as db:
        many = db.affected_many("PyPI", names)
    with VulnDb.open(assets_db) as db:
        each = {name: db.affected("PyPI", name) for name in names}
    assert many == each
    assert list(many) == names
    assert [a.id for a, _ in many["Requests"]] == ["GHSA-j8r2-6x86-q33q", "PYSEC-2023-74"]
    assert [a.id for a, _ in many["urllib3"]] == [
        "GHSA-v845-jxx5-vc9f",
        "GHSA-v845-jxx5-vc9f",
        "PYSEC-2023-192",
        "PYSEC-2023-212",
    ]
    assert many["no-such-package"] == []
    with VulnDb.open(assets_db) as db:
        assert db.affected_many("PyPI", []) == {}
        assert db.affected_many("npm", ["requests"]) == {"requests": []}


def test_prepared_entry_judges_as_evaluate(db: VulnDb) -> None:
    ((_, package),) = [hit for hit in db.affected("PyPI", "requests") if hit[0].id.startswith("P")]
    entry = PreparedEntry(package, PEP440)
    assert entry.decidable
    for version in ("2.2.9", "2.3.0", "2.30.0", "2.30.0+deb1", "2.31.0", "2.31", "junk"):
        assert entry.judge(version, PEP440.for_matching(version)) == evaluate(
            package, version, PEP440
        )
    assert entry.judge("2.30.0", PEP440.for_matching("2.30.0")).fixed == ("2.31.0",)


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_paused_and_restored(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        with collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(RuntimeError), collector_paused():
            raise RuntimeError
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
