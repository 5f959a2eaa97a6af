"""The OSV API client against the local server: real records, the documented answer shapes, and
every way an answer can be unusable (each one exit 4, never "no vulnerabilities")."""

from __future__ import annotations

import hashlib
import json
import socket
from datetime import UTC, datetime

import pytest

from mdrgate.errors import DataError, ExitCode, UsageError
from mdrgate.fetch import HttpClient
from mdrgate.vulndb.osv_api import DEFAULT_URL, SOURCE, OsvApi, OsvQuery, api_url
from tests.support.fake_osv import FakeOsv, real_records
from tests.support.http_server import LocalServer, Reply

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])

NOW = datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC)
REQUESTS = OsvQuery(version="2.25.1", purl="pkg:pypi/requests@2.25.1")
URLLIB3 = OsvQuery(version="1.26.4", ecosystem="PyPI", name="urllib3")
IDNA = OsvQuery(version="3.7", purl="pkg:pypi/idna@3.7")
LISTED = {
    "pkg:pypi/requests@2.25.1": ["PYSEC-2023-74", "GHSA-j8r2-6x86-q33q"],
    "PyPI/urllib3@1.26.4": ["PYSEC-2023-192", "PYSEC-2023-212", "GHSA-v845-jxx5-vc9f"],
}


def test_queries_then_fetches_each_listed_record(
    local_server: LocalServer, client: HttpClient
) -> None:
    fake = FakeOsv(local_server, LISTED)

    answer = OsvApi(client, fake.url).query([URLLIB3, REQUESTS, IDNA, REQUESTS], now=NOW)

    assert fake.batches == [
        [
            {"package": {"ecosystem": "PyPI", "name": "urllib3"}, "version": "1.26.4"},
            {"package": {"purl": "pkg:pypi/idna@3.7"}},
            {"package": {"purl": "pkg:pypi/requests@2.25.1"}},
        ]
    ]
    assert {q: [a.id for a in advisories] for q, advisories in answer.advisories.items()} == {
        IDNA: [],
        REQUESTS: ["GHSA-j8r2-6x86-q33q", "PYSEC-2023-74"],
        URLLIB3: ["GHSA-v845-jxx5-vc9f", "PYSEC-2023-192", "PYSEC-2023-212"],
    }
    ghsa = answer.advisories[REQUESTS][0]
    assert ghsa.source == SOURCE
    assert ghsa.aliases == ("CVE-2023-32681",)
    assert ghsa.modified == datetime(2023, 9, 20, 19, 19, 30, tzinfo=UTC)
    assert [(p.ecosystem, p.name) for p in ghsa.affected] == [("PyPI", "requests")]
    assert [e.version for e in ghsa.affected[0].ranges[0].events] == ["2.3.0", "2.31.0"]
    vuln_paths = sorted(r.path for r in local_server.requests if r.method == "GET")
    assert vuln_paths == [
        "/v1/vulns/GHSA-j8r2-6x86-q33q",
        "/v1/vulns/GHSA-v845-jxx5-vc9f",
        "/v1/vulns/PYSEC-2023-192",
        "/v1/vulns/PYSEC-2023-212",
        "/v1/vulns/PYSEC-2023-74",
    ]


def test_provenance_cites_the_records_read(local_server: LocalServer, client: HttpClient) -> None:
    fake = FakeOsv(local_server, LISTED)

    prov = OsvApi(client, fake.url + "/").query([REQUESTS, URLLIB3], now=NOW).provenance

    records = real_records()
    expected = hashlib.sha256()
    for adv_id in sorted(i for ids in LISTED.values() for i in ids):
        canonical = json.dumps(json.loads(records[adv_id]), sort_keys=True, separators=(",", ":"))
        expected.update(canonical.encode() + b"\n")
    assert prov.source == prov.kind == "osv-api"
    assert prov.file_name == fake.url
    assert (prov.records, prov.invalid_records) == (5, 0)
    assert prov.sha256 == expected.hexdigest()
    assert prov.newest_modified == "2023-11-04T00:30:22Z"  # GHSA-v845-jxx5-vc9f
    assert prov.imported_at == "2026-11-28T12:00:00Z"


def test_follows_next_page_token_per_query(local_server: LocalServer, client: HttpClient) -> None:
    fake = FakeOsv(local_server, LISTED, page_size=2)

    answer = OsvApi(client, fake.url).query([REQUESTS, URLLIB3], now=NOW)

    assert len(answer.advisories[URLLIB3]) == 3 and len(answer.advisories[REQUESTS]) == 2
    assert fake.batches[1] == [
        {
            "package": {"ecosystem": "PyPI", "name": "urllib3"},
            "version": "1.26.4",
            "page_token": "2",
        }
    ]
    assert len(fake.batches) == 2


def test_nothing_to_ask_asks_nothing(local_server: LocalServer, client: HttpClient) -> None:
    answer = OsvApi(client, local_server.url("")).query([], now=NOW)
    assert answer.advisories == {} and answer.provenance.records == 0
    assert local_server.requests == []


def test_transient_failures_are_retried(
    local_server: LocalServer, client: HttpClient, sleeps: list[float]
) -> None:
    fake = FakeOsv(local_server, LISTED)
    batch = fake.querybatch
    answers = iter([Reply(503), Reply(reset=True)])
    local_server.route("/v1/querybatch", lambda r: next(answers, None) or batch(r))
    fake.serve_record(
        "PYSEC-2023-74",
        [Reply(429, headers={"Retry-After": "3"}), Reply(body=real_records()["PYSEC-2023-74"])],
    )

    answer = OsvApi(client, fake.url).query([REQUESTS], now=NOW)

    assert [a.id for a in answer.advisories[REQUESTS]] == ["GHSA-j8r2-6x86-q33q", "PYSEC-2023-74"]
    assert sorted(sleeps) == [0.5, 1.0, 3.0]


def _fails(client: HttpClient, url: str, *queries: OsvQuery) -> DataError:
    with pytest.raises(DataError) as caught:
        OsvApi(client, url).query(list(queries) or [REQUESTS], now=NOW)
    assert caught.value.exit_code is ExitCode.DATA_UNUSABLE
    return caught.value


def test_unreachable_api(client: HttpClient) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    err = _fails(client, f"http://127.0.0.1:{port}")

    assert err.source == f"http://127.0.0.1:{port}/v1/querybatch"
    assert err.message.startswith("POST failed after 3 attempts: the connection was refused")


def test_answer_that_is_not_json(local_server: LocalServer, client: HttpClient) -> None:
    local_server.route(
        "/v1/querybatch",
        Reply(body=b"<html>maintenance</html>", headers={"Content-Type": "text/html"}),
    )
    err = _fails(client, local_server.url(""))
    assert err.message.startswith("the answer is not JSON (text/html 24 bytes: <html>maintenance")


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ([], 'the OSV API\'s querybatch answer is not an object; expected {"results": [...]}'),
        ({"error": "x"}, "querybatch answer is an object without 'results'"),
        (
            {"results": [{}]},
            "the OSV API answered 1 results for 2 queries (a partial answer: the components "
            "without a result would go unchecked)",
        ),
        ({"results": [{}, None]}, "result for pkg:pypi/requests@2.25.1 is unusable: expected an"),
        ({"results": [{}, {"vulns": {}}]}, "'vulns' is not a list"),
        (
            {"results": [{}, {"vulns": [{"modified": "x"}]}]},
            "an entry of 'vulns' has no id: {\"mod",
        ),
        ({"results": [{}, {"next_page_token": 7}]}, "'next_page_token' is not a string"),
    ],
)
def test_malformed_or_partial_answers(
    local_server: LocalServer, client: HttpClient, answer: object, message: str
) -> None:
    local_server.route("/v1/querybatch", Reply.json(answer))
    err = _fails(client, local_server.url(""), REQUESTS, IDNA)
    assert message in err.message
    assert err.source == local_server.url("/v1/querybatch")


def test_endless_pagination_is_refused(local_server: LocalServer, client: HttpClient) -> None:
    local_server.route(
        "/v1/querybatch", Reply.json({"results": [{"vulns": [], "next_page_token": "same"}]})
    )
    err = _fails(client, local_server.url(""))
    assert err.message == (
        "the OSV API returned the same page token twice for pkg:pypi/requests@2.25.1"
    )


def test_listed_record_missing(local_server: LocalServer, client: HttpClient) -> None:
    fake = FakeOsv(local_server, LISTED)
    fake.serve_record("PYSEC-2023-74", Reply.json({"code": 5, "message": "Bug not found."}, 404))

    err = _fails(client, fake.url)

    assert err.source == fake.url + "/v1/vulns/PYSEC-2023-74"
    assert err.message == (
        'GET failed after 1 attempt: HTTP 404 Not Found: {"code": 5, "message": "Bug not found."}'
    )


def test_record_for_another_id(local_server: LocalServer, client: HttpClient) -> None:
    fake = FakeOsv(local_server, LISTED)
    fake.serve_record("PYSEC-2023-74", Reply(body=real_records()["PYSEC-2023-192"]))

    err = _fails(client, fake.url)

    assert err.message == (
        "the OSV API answered a record for 'PYSEC-2023-192' when asked for PYSEC-2023-74"
    )


def test_unusable_record(local_server: LocalServer, client: HttpClient) -> None:
    record = json.loads(real_records()["PYSEC-2023-74"])
    del record["affected"]
    fake = FakeOsv(local_server, LISTED)
    fake.serve_record("PYSEC-2023-74", Reply.json(record))

    err = _fails(client, fake.url)

    assert err.message == (
        "the OSV API's record PYSEC-2023-74 cannot be used: "
        "no 'affected' package with ecosystem and name"
    )
    assert err.hint == "without it, whether the package is affected cannot be decided"


def test_api_url_from_the_environment() -> None:
    assert api_url(None) == api_url("") == DEFAULT_URL
    assert api_url("http://127.0.0.1:8080/osv/") == "http://127.0.0.1:8080/osv"
    with pytest.raises(UsageError, match="must be an http\\(s\\) URL"):
        api_url("api.osv.dev")
