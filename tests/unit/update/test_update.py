"""``db update`` against a local server serving real files: downloads, 304, NVD paging and
increments, and every fault leaving the old database byte-identical."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from mdrgate.errors import DataError, ExitCode, UsageError
from mdrgate.fetch import HttpClient, RetryPolicy, Timeouts
from mdrgate.vulndb import import_feeds
from mdrgate.vulndb.store import VulnDb
from mdrgate.vulndb.update import Endpoints, Feed, SourceSpec, Updater
from tests.support.http_server import LocalServer, Reply, Request
from tests.unit.update.served import (
    KEV,
    MODIFIED_TEXT,
    NOW,
    NVD_2015,
    NVD_IDS,
    NVD_ITEMS,
    PYPI_ZIP,
    NvdApi,
    cve_ids,
    serve,
    sources,
)

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])

ALL = [
    SourceSpec(Feed.OSV, "PyPI"),
    SourceSpec(Feed.OSV, "Go"),
    SourceSpec(Feed.NVD),
    SourceSpec(Feed.KEV),
    SourceSpec(Feed.EPSS),
    SourceSpec(Feed.EOL),
    SourceSpec(Feed.EOL, "openssl"),
]


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def updater(
    endpoints: Endpoints,
    sleeps: Sleeps,
    *,
    read: float = 2.0,
    key: str | None = None,
    full: bool = False,
) -> Updater:
    client = HttpClient(
        timeouts=Timeouts(connect=2.0, read=read),
        retry=RetryPolicy(attempts=3, backoff=1.0),
        sleep=sleeps,
        now=lambda: NOW,
        jitter=lambda: 0.0,
    )
    return Updater(
        client,
        endpoints,
        nvd_api_key=key,
        nvd_full=full,
        nvd_page_size=3,
        monotonic=lambda: 0.0,
        sleep=sleeps,
    )


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "db" / "vulndb.sqlite3"


def _rows(path: Path) -> list[tuple[object, ...]]:
    """Every record table's rows: what a confirmation must leave alone."""
    conn = sqlite3.connect(path)
    try:
        return [
            row
            for table in ("advisories", "affected", "kev", "epss", "eol_products", "eol_cycles")
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY rowid")
        ]
    finally:
        conn.close()


def snapshot(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def leftovers(db: Path) -> list[str]:
    return sorted(p.name for p in db.parent.iterdir() if p.name != db.name)


def test_first_update_downloads_every_source(
    local_server: LocalServer, sleeps: Sleeps, db: Path
) -> None:
    endpoints = serve(local_server)

    report = updater(endpoints, sleeps).update(db, ALL, now=NOW)

    held = sources(db)
    assert {name: (kind, count) for name, (kind, count, _, _) in held.items()} == {
        "osv/PyPI": ("osv", 12),
        "osv/Go": ("osv", 2),
        "nvd/api": ("nvd", 7),
        "kev": ("kev", 3),
        "epss": ("epss", 4),
        "eol": ("eol", 34),
        "eol/openssl": ("eol", 14),
    }
    assert cve_ids(db, "nvd/api") == sorted(NVD_IDS)
    assert [o.status for o in report.outcomes] == ["downloaded"] * 4 + ["merged"] + [
        "downloaded"
    ] * 2
    assert report.changed and report.dropped == ()
    # captured: OSV/eol/openssl from Last-Modified, eol from generated_at, others their own date
    assert held["osv/PyPI"][2] == MODIFIED_TEXT
    assert held["eol/openssl"][2] == MODIFIED_TEXT
    assert held["eol"][2] == "2026-08-22T00:00:00Z"
    assert held["kev"][2] == "2025-08-25T17:04:19Z"  # dateReleased
    assert held["epss"][2] == "2025-08-25T12:55:00Z"
    assert held["nvd/api"][2] == "2026-11-28T12:00:00Z"
    assert held["kev"][3]["download"] == {
        "url": endpoints.kev,
        "etag": '"/kev.json-1"',
        "lastModified": "Wed, 18 Nov 2026 11:06:40 GMT",
        "fetchedAt": "2026-11-28T12:00:00Z",
    }
    update = held["nvd/api"][3]["update"]
    assert (update["lastModStartDate"], update["lastModEndDate"], update["pages"]) == (
        None,
        "2026-11-28T12:00:00Z",
        3,
    )
    # every CVE at first: three pages of three, no date range
    pages = local_server.hits("/nvd")
    assert [(r.query["startIndex"], r.query["resultsPerPage"]) for r in pages] == [
        (["0"], ["3"]),
        (["3"], ["3"]),
        (["6"], ["3"]),
    ]
    assert all("lastModStartDate" not in r.query and "apikey" not in r.headers for r in pages)
    assert sleeps == []
    assert leftovers(db) == []


def test_unchanged_sources_answer_304_and_only_their_confirmation_is_recorded(
    local_server: LocalServer, sleeps: Sleeps, db: Path
) -> None:
    endpoints = serve(local_server)
    chosen = [s for s in ALL if s.feed is not Feed.NVD]
    updater(endpoints, sleeps).update(db, chosen, now=NOW)
    with VulnDb.open(db) as handle:
        before = handle.sources()
    rows_before = _rows(db)

    report = updater(endpoints, sleeps).update(db, None, now=NOW + timedelta(days=1))

    assert not report.changed
    assert [(o.spec, o.status) for o in report.outcomes] == [
        ("eol", "not modified"),
        ("eol:openssl", "not modified"),
        ("epss", "not modified"),
        ("kev", "not modified"),
        ("osv:Go", "not modified"),
        ("osv:PyPI", "not modified"),
    ]
    # No rebuild: every record as it was; each source notes when it was confirmed current,
    # which is what the data-age limit counts from, and its capture time stays the publisher's.
    assert _rows(db) == rows_before
    with VulnDb.open(db) as handle:
        after = handle.sources()
    confirmed = (NOW + timedelta(days=1)).isoformat().replace("+00:00", "Z")
    assert [replace(a, checked_at=None) for a in after] == [
        replace(b, checked_at=None) for b in before
    ]
    assert {a.checked_at for a in after} == {confirmed}
    assert {b.checked_at for b in before} == {NOW.isoformat().replace("+00:00", "Z")}
    assert [r.headers["if-none-match"] for r in local_server.requests[-6:]] == [
        '"/eol/api/v1/products/full-1"',
        '"/eol/api/openssl.json-1"',
        '"/epss.csv.gz-1"',
        '"/kev.json-1"',
        '"/osv/Go/all.zip-1"',
        '"/osv/PyPI/all.zip-1"',
    ]


def test_a_changed_source_is_replaced_and_the_304_ones_kept(
    local_server: LocalServer, sleeps: Sleeps, db: Path
) -> None:
    endpoints = serve(local_server)
    kev_and_epss = [SourceSpec(Feed.KEV), SourceSpec(Feed.EPSS)]
    updater(endpoints, sleeps).update(db, kev_and_epss, now=NOW)
    local_server.resource("/kev.json", KEV, etag='"/kev.json-2"')  # republished

    report = updater(endpoints, sleeps).update(db, kev_and_epss, now=NOW)

    assert [(o.spec, o.status) for o in report.outcomes] == [
        ("epss", "not modified"),
        ("kev", "downloaded"),
    ]
    assert report.imported is not None and report.imported.kept_sources == ("epss",)
    assert sources(db)["kev"][3]["download"]["etag"] == '"/kev.json-2"'


def test_an_ecosystem_export_supersedes_its_partial_imports(
    local_server: LocalServer, sleeps: Sleeps, db: Path, tmp_path: Path
) -> None:
    endpoints = serve(local_server)
    local = tmp_path / "all.zip"
    local.write_bytes(PYPI_ZIP)
    import_feeds(db, [local, NVD_2015], now=NOW)
    assert set(sources(db)) == {"osv/PyPI/PYSEC", "nvd/2015"}

    report = updater(endpoints, sleeps).update(db, [SourceSpec(Feed.OSV, "PyPI")], now=NOW)

    assert report.dropped == ("osv/PyPI/PYSEC",)
    assert {n: v[1] for n, v in sources(db).items()} == {"osv/PyPI": 12, "nvd/2015": 4}


def test_nvd_changes_are_asked_in_120_day_windows_and_merged(
    local_server: LocalServer, sleeps: Sleeps, db: Path
) -> None:
    import_feeds(db, [NVD_2015], now=NOW)  # the 2015 feed, captured 2026-04-25T03:01:47Z
    feed_2015 = json.loads(NVD_2015.read_text("utf-8"))["vulnerabilities"]
    same_2015 = [i for i in feed_2015 if i["cve"]["id"] == "CVE-2015-5895"]

    def changed(request: Request) -> list[dict[str, object]]:
        first = request.query["lastModStartDate"] == ["2026-04-25T03:01:47.000Z"]
        return NVD_ITEMS + same_2015 if first else []

    endpoints = serve(local_server, NvdApi(changed))

    report = updater(endpoints, sleeps).update(db, [SourceSpec(Feed.NVD)], now=NOW)

    asked = [
        (r.query["lastModStartDate"][0], r.query["lastModEndDate"][0], r.query["startIndex"][0])
        for r in local_server.hits("/nvd")
    ]
    assert asked == [
        ("2026-04-25T03:01:47.000Z", "2026-08-23T03:01:47.000Z", "0"),
        ("2026-04-25T03:01:47.000Z", "2026-08-23T03:01:47.000Z", "3"),
        ("2026-04-25T03:01:47.000Z", "2026-08-23T03:01:47.000Z", "6"),
        ("2026-08-23T03:01:47.000Z", "2026-11-28T12:00:00.000Z", "0"),
    ]
    held = sources(db)
    assert {n: (v[1], v[2]) for n, v in held.items()} == {
        "nvd/2015": (4, "2026-11-28T12:00:00Z"),
        "nvd/api": (7, "2026-11-28T12:00:00Z"),
    }
    # CVE-2015-5895 came back unchanged: it stays in nvd/2015 and is not copied to nvd/api
    assert cve_ids(db, "nvd/2015") == sorted(
        ["CVE-2015-1160", "CVE-2015-1194", "CVE-2015-5895", "CVE-2015-10148"]
    )
    assert held["nvd/2015"][3]["update"]["firstImport"]["file"] == str(NVD_2015)
    assert held["nvd/2015"][3]["update"]["changed"] == 0
    assert held["nvd/api"][3]["update"]["added"] == 7
    assert report.outcomes[0].sources == ("nvd/2015", "nvd/api")

    # The next update starts where this one ended: one window, nothing changed.
    later = NOW + timedelta(days=2)
    updater(endpoints, sleeps).update(db, None, now=later)
    last = local_server.hits("/nvd")[-1].query
    assert (last["lastModStartDate"], last["lastModEndDate"]) == (
        ["2026-11-28T12:00:00.000Z"],
        ["2026-11-30T12:00:00.000Z"],
    )
    assert {n: (v[1], v[2]) for n, v in sources(db).items()} == {
        "nvd/2015": (4, "2026-11-30T12:00:00Z"),
        "nvd/api": (7, "2026-11-30T12:00:00Z"),
    }


def test_the_api_key_is_sent_as_a_header_and_raises_the_rate(
    local_server: LocalServer, db: Path
) -> None:
    endpoints = serve(local_server)
    waits = Sleeps()

    updater(endpoints, waits, key="secret-key").update(db, [SourceSpec(Feed.NVD)], now=NOW)

    assert [r.headers["apikey"] for r in local_server.hits("/nvd")] == ["secret-key"] * 3


def test_nvd_pages_wait_for_the_rate_limit_without_a_key(
    local_server: LocalServer, sleeps: Sleeps, db: Path
) -> None:
    # 7 CVEs in pages of one: 7 requests in the same instant, the 6th and 7th must wait
    endpoints = serve(local_server)
    run = updater(endpoints, sleeps)
    run.nvd_page_size = 1

    run.update(db, [SourceSpec(Feed.NVD)], now=NOW)

    assert sleeps == [30.0, 30.0]  # the clock stands still: each waits the whole period


# -- faults: the old database stays byte-identical, exit 4, the source and URL named ----------


def _prepared(
    local_server: LocalServer, sleeps: Sleeps, db: Path
) -> tuple[Endpoints, tuple[bytes, int]]:
    endpoints = serve(local_server)
    updater(endpoints, sleeps).update(
        db, [SourceSpec(Feed.KEV), SourceSpec(Feed.OSV, "PyPI")], now=NOW
    )
    sleeps.clear()
    local_server.requests.clear()
    return endpoints, snapshot(db)


FAULTS = {
    "truncated": (
        [Reply(body=PYPI_ZIP, truncate_at=1000)],
        "GET failed after 3 attempts: the answer was cut off",
    ),
    "reset": ([Reply(reset=True)], "GET failed after 3 attempts: the connection was reset"),
    "reset mid-body": (
        [Reply(body=PYPI_ZIP, reset_at=2000)],
        "GET failed after 3 attempts: the answer was cut off before its end",
    ),
    "500": ([Reply(500, b"oops")], "GET failed after 3 attempts: HTTP 500 Internal Server Error"),
    "404": (
        [Reply(404, b"no such export")],
        "GET failed after 1 attempt: HTTP 404 Not Found: no such export",
    ),
    "not a zip": (
        [Reply(body=b"<html>maintenance</html>")],
        "osv:PyPI not updated (the database is unchanged): the download is not usable:",
    ),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_failing_source_leaves_the_database_unchanged(
    fault: str, local_server: LocalServer, sleeps: Sleeps, db: Path
) -> None:
    endpoints, before = _prepared(local_server, sleeps, db)
    replies, expected = FAULTS[fault]
    local_server.route("/osv/PyPI/all.zip", replies)
    local_server.resource("/kev.json", KEV, etag='"/kev.json-2"')  # would change, if it could

    with pytest.raises(DataError) as caught:
        updater(endpoints, sleeps).update(db, None, now=NOW)

    assert caught.value.exit_code == ExitCode.DATA_UNUSABLE
    assert caught.value.source == f"{endpoints.osv}/PyPI/all.zip"
    assert caught.value.message.startswith("osv:PyPI not updated (the database is unchanged): ")
    assert expected in caught.value.message
    assert snapshot(db) == before
    assert leftovers(db) == []


def test_500_then_success_is_retried(local_server: LocalServer, sleeps: Sleeps, db: Path) -> None:
    endpoints, _ = _prepared(local_server, sleeps, db)
    local_server.route("/kev.json", [Reply(500), Reply(503), Reply(body=KEV)])

    report = updater(endpoints, sleeps).update(db, [SourceSpec(Feed.KEV)], now=NOW)

    assert report.outcomes[0].status == "downloaded"
    assert sleeps == [0.5, 1.0]  # equal-jitter backoff with jitter 0
    assert sources(db)["kev"][1] == 3


def test_429_waits_as_retry_after_asks(local_server: LocalServer, sleeps: Sleeps, db: Path) -> None:
    endpoints, _ = _prepared(local_server, sleeps, db)
    local_server.route("/kev.json", [Reply(429, headers={"Retry-After": "7"}), Reply(body=KEV)])

    updater(endpoints, sleeps).update(db, [SourceSpec(Feed.KEV)], now=NOW)

    assert sleeps == [7.0]


def test_a_slow_server_times_out(local_server: LocalServer, sleeps: Sleeps, db: Path) -> None:
    endpoints, before = _prepared(local_server, sleeps, db)
    local_server.route("/kev.json", Reply(body=KEV, delay=5.0))

    with pytest.raises(DataError) as caught:
        updater(endpoints, sleeps, read=0.2).update(db, [SourceSpec(Feed.KEV)], now=NOW)

    assert caught.value.message == (
        "kev not updated (the database is unchanged): GET failed after 3 attempts: "
        "no answer within 0.2 s (earlier: no answer within 0.2 s (2 times))"
    )
    assert snapshot(db) == before


def test_bad_json_is_refused(local_server: LocalServer, sleeps: Sleeps, db: Path) -> None:
    endpoints, before = _prepared(local_server, sleeps, db)
    local_server.route(
        "/kev.json", Reply(body=KEV[:-200], headers={"Content-Type": "application/json"})
    )

    with pytest.raises(DataError) as caught:
        updater(endpoints, sleeps).update(db, [SourceSpec(Feed.KEV)], now=NOW)

    assert caught.value.message.startswith(
        "kev not updated (the database is unchanged): the download is not usable: is not valid JSON"
    )
    assert caught.value.source == endpoints.kev
    assert snapshot(db) == before


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (Reply(500), "GET failed after 3 attempts: HTTP 500 Internal Server Error"),
        (
            Reply(body=b'{"resultsPerPage": 3, "vulnerabilities": ['),
            "the answer is not usable: is not valid JSON",
        ),
        (
            Reply.json({"resultsPerPage": 0, "startIndex": 0, "vulnerabilities": []}),
            "the page at startIndex 3 is empty although the answer holds 7 CVEs",
        ),
    ],
)
def test_a_failing_nvd_page_leaves_the_database_unchanged(
    reply: Reply, expected: str, local_server: LocalServer, sleeps: Sleeps, db: Path
) -> None:
    nvd = NvdApi()
    endpoints = serve(local_server, nvd)
    updater(endpoints, sleeps).update(db, [SourceSpec(Feed.KEV)], now=NOW)
    before = snapshot(db)
    if "empty" in expected:
        nvd.faults[3] = Reply.json(
            {"resultsPerPage": 0, "startIndex": 3, "totalResults": 7, "vulnerabilities": []}
        )
    else:
        nvd.faults[3] = reply

    with pytest.raises(DataError) as caught:
        updater(endpoints, sleeps).update(db, [SourceSpec(Feed.NVD)], now=NOW)

    assert caught.value.message.startswith("nvd not updated (the database is unchanged): ")
    assert expected in caught.value.message
    assert "startIndex=3" in str(caught.value.source) or caught.value.source == endpoints.nvd
    assert snapshot(db) == before


def test_nothing_to_update_is_a_usage_error(sleeps: Sleeps, db: Path) -> None:
    with pytest.raises(UsageError, match="nothing to update"):
        updater(Endpoints(), sleeps).update(db, None, now=NOW)


def test_an_interrupted_update_leaves_no_trace(
    local_server: LocalServer, sleeps: Sleeps, db: Path
) -> None:
    endpoints, before = _prepared(local_server, sleeps, db)

    def interrupt(request: Request) -> Reply:
        raise_later.append(request)
        return Reply(body=KEV)

    raise_later: list[Request] = []
    local_server.route("/kev.json", interrupt)
    run = updater(endpoints, sleeps)

    def progress(label: str, url: str):  # type: ignore[no-untyped-def]
        def tick(done: int, total: int | None) -> None:
            if done:
                raise KeyboardInterrupt

        return tick

    run.reporter.begin = progress  # type: ignore[method-assign]
    with pytest.raises(KeyboardInterrupt):
        run.update(db, [SourceSpec(Feed.KEV)], now=NOW)

    assert snapshot(db) == before
    assert leftovers(db) == []
