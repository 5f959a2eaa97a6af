"""Regression test of OSV range evaluation on real records (tests/assets/osv_accuracy).

The offline, small-scale twin of benchmarks/bench_osv_accuracy.py. PyPI: each record's ranges are
evaluated, without its ``versions`` list, at every enumerated version, every range bound and the
published versions next to each bound; where the verdict and the enumeration disagree, the
disagreement must be one of the explained ones listed here. Go and crates.io: every SEMVER bound
is evaluated with its neighbours (pre-release, build metadata, ``v``, ``+incompatible``) and must
agree with a reference evaluation written from the OSV schema's pseudocode and semver.org §11.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mdrgate.enrich.osv_eval import EntryMatch, evaluate
from mdrgate.model import AffectedPackage, AffectedRange, RangeEvent
from mdrgate.versioning import GO, PEP440, SEMVER, VersionScheme

ASSETS = Path(__file__).resolve().parents[2] / "assets" / "osv_accuracy"


def _records(ecosystem: str) -> list[dict[str, Any]]:
    with zipfile.ZipFile(ASSETS / f"{ecosystem}.zip") as zf:
        return [json.loads(zf.read(name)) for name in sorted(zf.namelist())]


def _package(entry: dict[str, Any], *, versions: bool) -> AffectedPackage:
    ranges = tuple(
        AffectedRange(
            rng["type"],
            tuple(RangeEvent(k, v) for event in rng["events"] for k, v in event.items()),
            rng.get("repo"),
        )
        for rng in entry.get("ranges", [])
    )
    listed = tuple(entry.get("versions", [])) if versions else ()
    return AffectedPackage(
        entry["package"]["ecosystem"], entry["package"]["name"], None, ranges, listed
    )


def _entry(ecosystem: str, advisory: str) -> AffectedPackage:
    (record,) = [r for r in _records(ecosystem) if r["id"] == advisory]
    return _package(record["affected"][0], versions=False)


def _bounds(entry: dict[str, Any], kind: str) -> list[str]:
    return [
        value
        for rng in entry.get("ranges", [])
        if rng["type"] == kind
        for event in rng["events"]
        for value in event.values()
        if value not in ("0", "*")
    ]


# --- PyPI ----------------------------------------------------------------------------------

# Every disagreement between a record's ranges and its enumeration in the excerpt, and why.
EXPLAINED = {
    # The enumerated version is not PEP 440: no range can place it (the versions list matches
    # it by its exact text).
    ("PYSEC-2006-1", "2.0.0-final"): "not PEP 440",
    **{
        ("PYSEC-2008-8", v): "not PEP 440"
        for v in (
            "0.1-bulbasaur",
            "0.1-charmander",
            "0.9-doduo",
            "0.9-eevee",
            "0.9-fearow",
            "0.9-gyarados",
            "0.9-horsea",
            "0.9-ivysaur",
        )
    },
    # An introduced bound that is no published release (no record enumerates it).
    ("PYSEC-2014-27", "4.3a0"): "bound not published",
    # The record lists intervals that touch; OSV's enumeration dropped one, mdrgate keeps it
    # (CVE-2023-22946 affects Spark before 3.4.0, so 3.2.0 and 3.2.1 are affected indeed).
    ("PYSEC-2022-42972", "0.13.0"): "listed interval not enumerated",
    ("PYSEC-2023-72", "3.2.0"): "listed interval not enumerated",
    ("PYSEC-2023-72", "3.2.1"): "listed interval not enumerated",
    # The enumeration names the fixed version itself (CVE-2023-41419: "prior to 23.9.0").
    ("PYSEC-2023-177", "23.9.0"): "enumerated at the fix",
    ("PYSEC-2023-177", "23.9.0.post1"): "enumerated at the fix",
    # Pre-releases of an introduced release, enumerated although PEP 440 orders them before it.
    **{
        ("PYSEC-2023-61", v): "pre-release of introduced"
        for v in ("3.2a1", "3.2b1", "3.2rc1", "4.2a1", "4.2b1", "4.2rc1")
    },
}


def _pypi_points() -> Iterator[tuple[str, str, bool, EntryMatch, EntryMatch]]:
    """(record id, version, enumerated?, verdict of the ranges alone, verdict with the list)."""
    records = _records("PyPI")
    published: dict[str, set[Any]] = {}
    for record in records:
        for entry in record["affected"]:
            values = {PEP440.parse(v) for v in entry.get("versions", [])} - {None}
            published.setdefault(entry["package"]["name"].lower(), set()).update(values)
    for record in records:
        for entry in record["affected"]:
            if not entry.get("versions"):
                continue
            known = sorted(published[entry["package"]["name"].lower()])
            texts = dict.fromkeys(entry["versions"])
            for bound in _bounds(entry, "ECOSYSTEM"):
                texts.setdefault(bound)
                value = PEP440.parse(bound)
                if value is not None:
                    below = [v for v in known if v < value][-1:]
                    above = [v for v in known if v > value][:1]
                    texts.update(dict.fromkeys(str(v) for v in below + above))
            enumerated = {PEP440.parse(v) or v for v in entry["versions"]}
            alone = _package(entry, versions=False)
            full = _package(entry, versions=True)
            for text in texts:
                yield (
                    record["id"],
                    text,
                    (PEP440.parse(text) or text) in enumerated,
                    evaluate(alone, text, PEP440),
                    evaluate(full, text, PEP440),
                )


def test_pypi_ranges_agree_with_enumerations_except_the_explained() -> None:
    points = list(_pypi_points())
    disagreements = {
        (rid, text) for rid, text, listed, alone, _ in points if alone.affected != listed
    }
    assert disagreements == set(EXPLAINED)
    assert len(points) == 921
    # The matcher never misses an enumerated version: the list backs the ranges up.
    assert all(full.affected for _, _, listed, _, full in points if listed)


def test_touching_intervals_carry_their_note() -> None:
    result = evaluate(_entry("PyPI", "PYSEC-2023-72"), "3.2.1", PEP440)
    assert result.affected is True
    assert result.fixed == ("3.2.2",)
    assert result.notes == (
        "affected within the interval >=3.2.0, <3.2.2 as the record lists it: its intervals "
        "overlap or touch, and the walk over the sorted events alone would leave this version out",
    )


# --- Go and crates.io ----------------------------------------------------------------------


def _key(text: str) -> tuple[Any, ...]:
    """semver.org §11 precedence, written out here independently of mdrgate and ``semver``."""
    core, _, pre = text.removeprefix("v").split("+", 1)[0].partition("-")
    numbers = tuple(int(n) for n in core.split("."))
    if not pre:
        return (numbers, 1, ())
    return (
        numbers,
        0,
        tuple((0, int(i), "") if i.isdigit() else (1, 0, i) for i in pre.split(".")),
    )


def _reference(events: list[tuple[str, str]], version: str) -> bool:
    """The OSV schema's pseudocode: events sorted by version, walked in order."""
    order = {"introduced": 0, "fixed": 1, "last_affected": 2}
    walk = sorted(
        ((k, v) for k, v in events if k in order),
        key=lambda e: ((0,), 0) if e[1] == "0" else ((1, _key(e[1])), order[e[0]]),
    )
    key, affected = _key(version), False
    for kind, value in walk:
        if kind == "introduced":
            affected = affected or value == "0" or key >= _key(value)
        elif kind == "fixed":
            affected = affected and key < _key(value)
        else:
            affected = affected and key <= _key(value)
    return affected


def _neighbours(bound: str, *, go: bool) -> list[str]:
    plain = bound.split("+", 1)[0]
    core, _, pre = plain.partition("-")
    major, minor, patch = (int(n) for n in core.split("."))
    points = [bound, plain, plain + "+build.1"]
    if pre:
        ids = pre.split(".")
        if len(ids) > 1:
            points.append(f"{core}-{'.'.join(ids[:-1])}")
        points += [f"{plain}.0", core]
    else:
        points += [f"{core}-0", f"{major}.{minor}.{patch + 1}-0", f"{major}.{minor}.{patch + 1}"]
        if patch:
            points.append(f"{major}.{minor}.{patch - 1}")
    if go:
        points += ["v" + p for p in points]
        points += [p + "+incompatible" for p in points if "+" not in p]
    return list(dict.fromkeys(points))


@pytest.mark.parametrize(("ecosystem", "scheme"), [("Go", GO), ("crates.io", SEMVER)])
def test_semver_bounds_and_neighbours_agree_with_the_reference(
    ecosystem: str, scheme: VersionScheme
) -> None:
    checked = 0
    for record in _records(ecosystem):
        for entry in record["affected"]:
            for rng in entry["ranges"]:
                events = [(k, v) for event in rng["events"] for k, v in event.items()]
                package = _package({**entry, "ranges": [rng]}, versions=False)
                for bound in _bounds({"ranges": [rng]}, "SEMVER"):
                    for point in _neighbours(bound, go=ecosystem == "Go"):
                        expected = _reference(events, point)
                        assert evaluate(package, point, scheme).affected is expected, (
                            record["id"],
                            point,
                        )
                        checked += 1
    assert checked == {"Go": 544, "crates.io": 210}[ecosystem]


# Hand-checked verdicts at the edges, in the spellings components carry (go.mod, Cargo.lock).
@pytest.mark.parametrize(
    ("advisory", "version", "affected"),
    [
        # github.com/docker/docker: [25.0.0, 25.0.5) and [26.0.0-rc1, 26.0.0-rc3), +incompatible
        ("GO-2024-2659", "v24.0.9+incompatible", False),
        ("GO-2024-2659", "v25.0.0+incompatible", True),
        ("GO-2024-2659", "v25.0.4+incompatible", True),
        ("GO-2024-2659", "v25.0.5+incompatible", False),
        ("GO-2024-2659", "v26.0.0-rc1+incompatible", True),
        ("GO-2024-2659", "v26.0.0-rc2+incompatible", True),
        ("GO-2024-2659", "v26.0.0-rc3+incompatible", False),
        ("GO-2024-2659", "v26.0.0+incompatible", False),
        # stdlib: [1.14.0-0, 1.14.12) and [1.15.0-0, 1.15.5), Go toolchain spellings
        ("GO-2021-0069", "go1.13.15", False),
        ("GO-2021-0069", "go1.14", True),
        ("GO-2021-0069", "go1.14.11", True),
        ("GO-2021-0069", "go1.14.12", False),
        ("GO-2021-0069", "go1.15rc1", True),
        ("GO-2021-0069", "go1.15beta1", True),
        ("GO-2021-0069", "go1.15.4", True),
        ("GO-2021-0069", "go1.15.5", False),
        ("GO-2021-0069", "go1.16", False),
        # golang-nanoauth: between two pseudo-versions without a base tag
        ("GO-2020-0004", "v0.0.0-20150101000000-aaaaaaaaaaaa", False),
        ("GO-2020-0004", "v0.0.0-20160722212129-ac0cc4484ad4", True),
        ("GO-2020-0004", "v0.0.0-20180101000000-aaaaaaaaaaaa", True),
        ("GO-2020-0004", "v0.0.0-20200131131040-063a3fb69896", False),
        # git-lfs: fixed at the pseudo-version v2.1.1-0.20170519163204-f913f5f9c7c6+incompatible
        ("GO-2021-0073", "v2.1.0+incompatible", True),
        ("GO-2021-0073", "v2.1.1-0.20170101000000-aaaaaaaaaaaa+incompatible", True),
        ("GO-2021-0073", "v2.1.1-0.20170519163204-f913f5f9c7c6+incompatible", False),
        ("GO-2021-0073", "v2.1.1+incompatible", False),
        # lettre: [0.7.0, 0.7.1), [0.8.0, 0.8.4), [0.9.0, 0.9.5), [0.10.0-alpha.1, 0.10.0-alpha.4)
        ("RUSTSEC-2020-0069", "0.6.2", False),
        ("RUSTSEC-2020-0069", "0.7.0", True),
        ("RUSTSEC-2020-0069", "0.7.1", False),
        ("RUSTSEC-2020-0069", "0.9.4", True),
        ("RUSTSEC-2020-0069", "0.9.5", False),
        ("RUSTSEC-2020-0069", "0.10.0-alpha.0", False),
        ("RUSTSEC-2020-0069", "0.10.0-alpha.3", True),
        ("RUSTSEC-2020-0069", "0.10.0-alpha.3+build.7", True),
        ("RUSTSEC-2020-0069", "0.10.0-alpha.4", False),
        ("RUSTSEC-2020-0069", "0.10.0", False),
        # openssl: introduced 0.0.0-0 (every version, pre-releases included), fixed 0.9.0
        ("RUSTSEC-2016-0001", "0.0.0-alpha", True),
        ("RUSTSEC-2016-0001", "0.9.0-rc.1", True),
        ("RUSTSEC-2016-0001", "0.9.0", False),
    ],
)
def test_hand_checked_edges(advisory: str, version: str, affected: bool) -> None:
    ecosystem, scheme = ("Go", GO) if advisory.startswith("GO-") else ("crates.io", SEMVER)
    assert evaluate(_entry(ecosystem, advisory), version, scheme).affected is affected
