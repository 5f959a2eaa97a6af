"""The pure parts of ``db update``: source names, endpoints, NVD windows and rate limit, the
copy-wins rule, and the endoflife.date v1 catalog read as the importer reads the data zip."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mdrgate.errors import InputError, UsageError
from mdrgate.vulndb.eol import read_eol
from mdrgate.vulndb.feeds import Origin
from mdrgate.vulndb.update import Endpoints, Feed, RateLimit, SourceSpec, parse_spec, specs_for
from mdrgate.vulndb.update.eol_api import catalog_zip
from mdrgate.vulndb.update.nvd_api import MAX_WINDOW, api_time, newer, windows
from tests.unit.update.served import ASSETS, EOL_FULL

EXCERPT_ZIP = Path(__file__).resolve().parents[2] / "assets" / "eol" / "endoflife-excerpt.zip"


@pytest.mark.parametrize(
    ("text", "spec"),
    [
        ("osv:PyPI", SourceSpec(Feed.OSV, "PyPI")),
        ("OSV:crates.io", SourceSpec(Feed.OSV, "crates.io")),
        ("osv:Debian", SourceSpec(Feed.OSV, "Debian")),
        ("nvd", SourceSpec(Feed.NVD)),
        ("kev", SourceSpec(Feed.KEV)),
        ("epss", SourceSpec(Feed.EPSS)),
        ("eol", SourceSpec(Feed.EOL)),
        ("eol:openssl", SourceSpec(Feed.EOL, "openssl")),
    ],
)
def test_sources_are_named_on_the_command_line(text: str, spec: SourceSpec) -> None:
    assert parse_spec(text) == spec


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ghsa", "unknown source 'ghsa'"),
        ("osv", "name the OSV ecosystem"),
        ("osv:../x", "name the OSV ecosystem"),
        ("nvd:2024", "nvd takes no ':' part"),
        ("eol:OpenSSL", "named in lower case"),
    ],
)
def test_bad_source_names_are_usage_errors(text: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        parse_spec(text)


def test_the_sources_held_choose_what_is_fetched() -> None:
    held = [
        ("osv/PyPI/PYSEC", "osv", {"PyPI": 10}),
        ("osv/PyPI/GHSA", "osv", {"PyPI": 3}),
        ("osv/Debian/DSA", "osv", {"Debian:11": 2, "Debian:12": 1}),
        ("nvd/2015", "nvd", {}),
        ("nvd/api", "nvd", {}),
        ("eol", "eol", {}),
        ("eol/openssl", "eol", {}),
        ("kev", "kev", {}),
    ]
    assert [str(s) for s in specs_for(held)] == [
        "eol",
        "eol:openssl",
        "kev",
        "nvd",
        "osv:Debian",
        "osv:PyPI",
    ]


def test_official_endpoints_and_overrides() -> None:
    official = Endpoints.from_env({})
    assert official.url(SourceSpec(Feed.OSV, "crates.io")) == (
        "https://osv-vulnerabilities.storage.googleapis.com/crates.io/all.zip"
    )
    assert official.url(SourceSpec(Feed.NVD)) == "https://services.nvd.nist.gov/rest/json/cves/2.0"
    assert official.url(SourceSpec(Feed.KEV)) == (
        "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json"
    )
    assert official.url(SourceSpec(Feed.EPSS)) == (
        "https://epss.empiricalsecurity.com/epss_scores-current.csv.gz"
    )
    assert official.url(SourceSpec(Feed.EOL)) == "https://endoflife.date/api/v1/products/full"
    assert (
        official.url(SourceSpec(Feed.EOL, "openssl")) == "https://endoflife.date/api/openssl.json"
    )
    mirror = Endpoints.from_env({"MDRGATE_OSV_EXPORTS": "https://mirror.example/osv/"})
    assert mirror.url(SourceSpec(Feed.OSV, "Go")) == "https://mirror.example/osv/Go/all.zip"
    with pytest.raises(UsageError, match="MDRGATE_NVD_API must be an http"):
        Endpoints.from_env({"MDRGATE_NVD_API": "services.nvd.nist.gov"})


# -- NVD ------------------------------------------------------------------------------------


def test_windows_of_at_most_120_days() -> None:
    since = datetime(2026, 4, 25, 3, 1, 47, tzinfo=UTC)
    until = datetime(2026, 11, 28, 12, tzinfo=UTC)
    assert [(api_time(a), api_time(b)) for a, b in windows(since, until)] == [
        ("2026-04-25T03:01:47.000Z", "2026-08-23T03:01:47.000Z"),
        ("2026-08-23T03:01:47.000Z", "2026-11-28T12:00:00.000Z"),
    ]
    assert windows(until, until) == []
    assert windows(until, since) == []


@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2030, 1, 1)),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3000)),
)
def test_windows_cover_the_period_without_gaps(start: datetime, length: timedelta) -> None:
    since = start.replace(tzinfo=UTC)
    spans = windows(since, since + length)
    if length:
        assert spans[0][0] == since and spans[-1][1] == since + length
    assert all(a < b <= a + MAX_WINDOW for a, b in spans)
    assert all(spans[i][1] == spans[i + 1][0] for i in range(len(spans) - 1))


def test_the_rate_limit_is_a_sliding_window() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limit = RateLimit(5, 30.0, clock=lambda: now[0], sleep=sleep)
    for at in (0.0, 1.0, 2.0, 3.0, 4.0):
        now[0] = at
        assert limit.wait() == 0.0
    now[0] = 10.0
    assert limit.wait() == 20.0  # until the first request is 30 s old
    assert limit.wait() == 1.0  # then the second's turn
    now[0] = 100.0
    assert limit.wait() == 0.0
    assert slept == [20.0, 1.0]


@pytest.mark.parametrize(
    ("candidate", "held", "replaces"),
    [
        ("2026-06-17T01:44:32.187", "2025-06-20T20:15:30.660", True),
        ("2025-06-20T20:15:30.660", "2026-06-17T01:44:32.187", False),
        ("2025-06-20T20:15:30.660", "2025-06-20T20:15:30.660", True),  # tie: the NVD's answer
        ("2025-06-20T20:15:30.66", "2025-06-20T20:15:30.660", True),  # same instant
        (None, "2025-06-20T20:15:30.660", False),
        ("2025-06-20T20:15:30.660", None, True),
    ],
)
def test_the_newer_copy_of_a_cve_wins(
    candidate: str | None, held: str | None, replaces: bool
) -> None:
    assert newer(candidate, held) is replaces


# -- endoflife.date API v1 --------------------------------------------------------------------


def test_the_v1_catalog_reads_as_the_data_zip_it_was_reshaped_from() -> None:
    data, generated = catalog_zip(EOL_FULL, "v1")
    from_api = read_eol(data, Origin.of_bytes(EOL_FULL, "v1"))
    zipped = EXCERPT_ZIP.read_bytes()
    from_zip = read_eol(zipped, Origin.of_bytes(zipped, "zip"))

    assert generated == "2026-08-22T00:00:00+00:00"
    assert from_api.cycles == from_zip.cycles
    assert from_api.products == from_zip.products
    assert sorted(from_api.identifiers) == sorted(from_zip.identifiers)
    assert len(from_api.cycles) == 34


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda a: a.update(total=4), r"says it lists 4 products \(total\) but lists 3"),
        (lambda a: a.pop("result"), "no 'result' array"),
        (
            lambda a: a["result"][1].update(name=None),
            r"result\[1\]: a product without a usable name",
        ),
        (lambda a: a["result"][0].update(releases={}), r"result\[0\] \(openssl\): releases"),
    ],
)
def test_a_malformed_v1_catalog_is_refused(change: object, message: str) -> None:
    answer = json.loads(EOL_FULL)
    change(answer)  # type: ignore[operator]
    with pytest.raises(InputError, match=message):
        catalog_zip(json.dumps(answer).encode(), "v1")


def test_v1_catalog_that_is_not_json() -> None:
    with pytest.raises(InputError, match="is not JSON: Expecting"):
        catalog_zip(EOL_FULL[:500], "v1")
    assert ASSETS.is_dir()
