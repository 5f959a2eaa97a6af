"""The HTTP client against a real server on 127.0.0.1 serving real data files, faults included."""

from __future__ import annotations

import hashlib
import socket
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
import requests

from mdrgate import __version__
from mdrgate.errors import DataError, ExitCode
from mdrgate.fetch import (
    Downloaded,
    Fetched,
    HttpClient,
    NotModified,
    RetryPolicy,
    Timeouts,
    Validators,
    display_url,
)
from mdrgate.fetch.client import (
    describe_connection_error,
)
from tests.support.http_server import LocalServer, Reply

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])

ASSETS = Path(__file__).resolve().parents[2] / "assets"
ZIP = ASSETS / "osv" / "PyPI" / "all.zip"  # real PyPA records (tests/assets/PROVENANCE.md)
ZIP_BYTES = ZIP.read_bytes()
ZIP_SHA = hashlib.sha256(ZIP_BYTES).hexdigest()
RECORD = ASSETS / "report" / "osv" / "PYSEC-2023-74.json"
NOW = datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC)


class Sleeps(list[float]):
    """Stands in for time.sleep: records each wait, waits for none."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def client(sleeps: Sleeps, *, attempts: int = 3, read: float = 2.0, **retry: float) -> HttpClient:
    return HttpClient(
        timeouts=Timeouts(connect=2.0, read=read),
        retry=RetryPolicy(attempts=attempts, **retry),
        sleep=sleeps,
        now=lambda: NOW,
        jitter=lambda: 0.0,
    )


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".part"))


# -- downloads ---------------------------------------------------------------------------------


def test_download_streams_a_real_file_into_place(
    local_server: LocalServer, sleeps: Sleeps, tmp_path: Path
) -> None:
    local_server.resource("/PyPI/all.zip", ZIP_BYTES, etag='"v1"', last_modified=1_700_000_000)
    seen: list[tuple[int, int | None]] = []
    dest = tmp_path / "feeds" / "all.zip"

    got = client(sleeps).download(
        local_server.url("/PyPI/all.zip"), dest, progress=lambda n, t: seen.append((n, t))
    )

    assert isinstance(got, Downloaded)
    assert dest.read_bytes() == ZIP_BYTES
    assert (got.size, got.sha256, got.attempts) == (len(ZIP_BYTES), ZIP_SHA, 1)
    assert got.validators == Validators('"v1"', "Tue, 14 Nov 2023 22:13:20 GMT")
    assert seen[0] == (0, len(ZIP_BYTES)) and seen[-1] == (len(ZIP_BYTES), len(ZIP_BYTES))
    (request,) = local_server.requests
    assert request.headers["user-agent"].startswith(f"mdrgate/{__version__} ")
    assert request.headers["accept-encoding"] == "identity"
    assert "if-none-match" not in request.headers
    assert leftovers(dest.parent) == []
    assert sleeps == []


def test_conditional_download_by_etag_keeps_the_file(
    local_server: LocalServer, sleeps: Sleeps, tmp_path: Path
) -> None:
    local_server.resource("/all.zip", ZIP_BYTES, etag='"v1"', last_modified=1_700_000_000)
    dest = tmp_path / "all.zip"
    first = client(sleeps).download(local_server.url("/all.zip"), dest)
    assert isinstance(first, Downloaded)
    dest.write_bytes(b"the copy we hold")

    again = client(sleeps).download(local_server.url("/all.zip"), dest, validators=first.validators)

    assert again == NotModified(local_server.url("/all.zip"), first.validators, 1)
    assert dest.read_bytes() == b"the copy we hold"
    sent = local_server.requests[-1].headers
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == "Tue, 14 Nov 2023 22:13:20 GMT"


def test_conditional_request_by_last_modified_alone(
    local_server: LocalServer, sleeps: Sleeps
) -> None:
    local_server.resource("/kev.json", RECORD.read_bytes(), last_modified=1_700_000_000)
    held = Validators(last_modified="Tue, 14 Nov 2023 22:13:20 GMT")

    assert isinstance(
        client(sleeps).get(local_server.url("/kev.json"), validators=held), NotModified
    )
    stale = Validators(last_modified="Mon, 13 Nov 2023 00:00:00 GMT")
    fresh = client(sleeps).get(local_server.url("/kev.json"), validators=stale)
    assert isinstance(fresh, Fetched) and fresh.body == RECORD.read_bytes()


def test_changed_resource_is_downloaded_again(
    local_server: LocalServer, sleeps: Sleeps, tmp_path: Path
) -> None:
    local_server.resource("/all.zip", ZIP_BYTES, etag='"v2"')
    dest = tmp_path / "all.zip"
    dest.write_bytes(b"old")

    got = client(sleeps).download(local_server.url("/all.zip"), dest, validators=Validators('"v1"'))

    assert isinstance(got, Downloaded) and got.validators.etag == '"v2"'
    assert dest.read_bytes() == ZIP_BYTES


def test_truncated_body_is_retried_and_never_renamed_into_place(
    local_server: LocalServer, sleeps: Sleeps, tmp_path: Path
) -> None:
    local_server.route(
        "/all.zip", [Reply(body=ZIP_BYTES, truncate_at=10_000), Reply(body=ZIP_BYTES)]
    )
    dest = tmp_path / "all.zip"

    got = client(sleeps).download(local_server.url("/all.zip"), dest)

    assert isinstance(got, Downloaded) and got.attempts == 2 and got.sha256 == ZIP_SHA
    assert dest.read_bytes() == ZIP_BYTES
    assert sleeps == [0.5]  # backoff 1 s, equal jitter at 0: half of it
    assert leftovers(tmp_path) == []


def test_body_always_cut_off_fails_and_keeps_the_old_file(
    local_server: LocalServer, sleeps: Sleeps, tmp_path: Path
) -> None:
    local_server.route("/all.zip", Reply(body=ZIP_BYTES, truncate_at=10_000))
    dest = tmp_path / "all.zip"
    dest.write_bytes(b"previous good copy")

    with pytest.raises(DataError) as caught:
        client(sleeps).download(local_server.url("/all.zip"), dest)

    err = caught.value
    assert err.exit_code is ExitCode.DATA_UNUSABLE
    assert err.source == local_server.url("/all.zip")
    cut = (
        "the answer was cut off before its end (the connection closed before the body was "
        f"complete, {len(ZIP_BYTES)} bytes announced)"
    )
    assert err.message == f"GET failed after 3 attempts: {cut} (earlier: {cut} (2 times))"
    assert dest.read_bytes() == b"previous good copy"
    assert leftovers(tmp_path) == []
    assert sleeps == [0.5, 1.0]


def test_chunked_body_cut_off_is_detected(
    local_server: LocalServer, sleeps: Sleeps, tmp_path: Path
) -> None:
    local_server.route("/all.zip", Reply(body=ZIP_BYTES, chunked=True, truncate_at=5000))

    with pytest.raises(
        DataError,
        match=r"cut off before its end \(the connection closed before the body was complete\)\n",
    ):
        client(sleeps, attempts=1).download(local_server.url("/all.zip"), tmp_path / "all.zip")
    assert not (tmp_path / "all.zip").exists()
    assert leftovers(tmp_path) == []


def test_chunked_body_whole_is_accepted(
    local_server: LocalServer, sleeps: Sleeps, tmp_path: Path
) -> None:
    local_server.route("/all.zip", Reply(body=ZIP_BYTES, chunked=True))
    seen: list[tuple[int, int | None]] = []

    got = client(sleeps).download(
        local_server.url("/all.zip"),
        tmp_path / "all.zip",
        progress=lambda n, t: seen.append((n, t)),
    )

    assert isinstance(got, Downloaded) and got.sha256 == ZIP_SHA
    assert seen[-1] == (len(ZIP_BYTES), None)  # no Content-Length: total unknown


def test_connection_reset_mid_body(
    local_server: LocalServer, sleeps: Sleeps, tmp_path: Path
) -> None:
    local_server.route("/all.zip", [Reply(body=ZIP_BYTES, reset_at=4096), Reply(body=ZIP_BYTES)])

    got = client(sleeps).download(local_server.url("/all.zip"), tmp_path / "all.zip")

    assert isinstance(got, Downloaded) and got.attempts == 2
    assert (tmp_path / "all.zip").read_bytes() == ZIP_BYTES


def test_connection_reset_before_answer_every_time(
    local_server: LocalServer, sleeps: Sleeps
) -> None:
    local_server.route("/q", Reply(reset=True))

    with pytest.raises(DataError) as caught:
        client(sleeps).get(local_server.url("/q"))

    assert caught.value.message == (
        "GET failed after 3 attempts: the connection was reset "
        "(earlier: the connection was reset (2 times))"
    )
    assert caught.value.hint is not None and "proxy" in caught.value.hint
    assert len(local_server.hits("/q")) == 3


def test_connection_refused(sleeps: Sleeps) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    with pytest.raises(DataError) as caught:
        client(sleeps, attempts=2).get(f"http://127.0.0.1:{port}/v1/querybatch")

    assert caught.value.message == (
        "GET failed after 2 attempts: the connection was refused "
        "(earlier: the connection was refused)"
    )
    assert caught.value.source == f"http://127.0.0.1:{port}/v1/querybatch"


# -- status codes ------------------------------------------------------------------------------


def test_500_then_200(local_server: LocalServer, sleeps: Sleeps) -> None:
    record = RECORD.read_bytes()
    local_server.route("/v1/vulns/PYSEC-2023-74", [Reply(500), Reply(502), Reply(body=record)])

    got = client(sleeps).get(local_server.url("/v1/vulns/PYSEC-2023-74"))

    assert isinstance(got, Fetched)
    assert (got.status, got.attempts, got.body) == (200, 3, record)
    assert got.json()["id"] == "PYSEC-2023-74"
    assert got.sha256 == hashlib.sha256(record).hexdigest()
    assert sleeps == [0.5, 1.0]


def test_429_honours_retry_after_seconds(local_server: LocalServer, sleeps: Sleeps) -> None:
    local_server.route(
        "/q", [Reply(429, headers={"Retry-After": "7"}), Reply(body=RECORD.read_bytes())]
    )

    got = client(sleeps).get(local_server.url("/q"))

    assert isinstance(got, Fetched) and got.attempts == 2
    assert sleeps == [7.0]


def test_503_honours_retry_after_http_date(local_server: LocalServer, sleeps: Sleeps) -> None:
    when = format_datetime(NOW + timedelta(seconds=42), usegmt=True)
    local_server.route("/q", [Reply(503, headers={"Retry-After": when}), Reply(body=b"{}")])

    client(sleeps).get(local_server.url("/q"))

    assert sleeps == [42.0]


def test_retry_after_beyond_the_budget_fails_at_once(
    local_server: LocalServer, sleeps: Sleeps
) -> None:
    local_server.route("/q", Reply(429, headers={"Retry-After": "3600"}))

    with pytest.raises(DataError) as caught:
        client(sleeps, max_wait=60).get(local_server.url("/q"))

    assert caught.value.message == (
        "GET failed after 1 attempt: HTTP 429 Too Many Requests; "
        "the server asks to wait 3600 s (Retry-After)"
    )
    assert caught.value.hint == "mdrgate waits at most 60 s in all for a source; try again later"
    assert sleeps == []


def test_total_wait_is_bounded(local_server: LocalServer, sleeps: Sleeps) -> None:
    local_server.route("/q", Reply(503))

    with pytest.raises(DataError, match="after 3 attempts: HTTP 503"):
        client(sleeps, attempts=10, backoff=2, max_wait=5).get(local_server.url("/q"))

    assert sleeps == [1.0, 2.0]  # the next wait (4 s) would pass the 5 s budget
    assert len(local_server.hits("/q")) == 3


def test_404_is_not_retried_and_shows_the_answer(local_server: LocalServer, sleeps: Sleeps) -> None:
    local_server.route("/v1/vulns/NOPE", Reply.json({"code": 5, "message": "Bug not found."}, 404))

    with pytest.raises(DataError) as caught:
        client(sleeps).get(local_server.url("/v1/vulns/NOPE"))

    assert caught.value.message == (
        'GET failed after 1 attempt: HTTP 404 Not Found: {"code": 5, "message": "Bug not found."}'
    )
    assert caught.value.hint is None
    assert sleeps == []


def test_304_to_an_unconditional_request_is_an_error(
    local_server: LocalServer, sleeps: Sleeps
) -> None:
    local_server.route("/q", Reply(304))

    with pytest.raises(
        DataError, match="HTTP 304 Not Modified to a request that was not conditional"
    ):
        client(sleeps).get(local_server.url("/q"))


# -- timeouts ----------------------------------------------------------------------------------


def test_slow_answer_hits_the_read_timeout(local_server: LocalServer, sleeps: Sleeps) -> None:
    local_server.route("/slow", [Reply(body=b"{}", delay=2.0), Reply(body=b"{}")])

    got = client(sleeps, read=0.2).get(local_server.url("/slow"))

    assert isinstance(got, Fetched) and got.attempts == 2


def test_always_slow_answer_fails(local_server: LocalServer, sleeps: Sleeps) -> None:
    local_server.route("/slow", Reply(body=b"{}", delay=2.0))

    with pytest.raises(DataError) as caught:
        client(sleeps, attempts=2, read=0.2).get(local_server.url("/slow"))

    assert caught.value.message == (
        "GET failed after 2 attempts: no answer within 0.2 s (earlier: no answer within 0.2 s)"
    )


def test_stall_in_the_middle_of_the_body(
    local_server: LocalServer, sleeps: Sleeps, tmp_path: Path
) -> None:
    local_server.route("/all.zip", Reply(body=ZIP_BYTES, stall_at=2048, stall=2.0))

    with pytest.raises(
        DataError,
        match=r"cut off before its end \(the connection timed out, \d+ bytes announced\)\n",
    ):
        client(sleeps, attempts=1, read=0.2).download(local_server.url("/all.zip"), tmp_path / "z")
    assert not (tmp_path / "z").exists() and leftovers(tmp_path) == []


# -- bodies ------------------------------------------------------------------------------------


def test_post_json_sends_the_payload(local_server: LocalServer, sleeps: Sleeps) -> None:
    local_server.route("/v1/querybatch", Reply.json({"results": [{}]}))
    payload = {
        "queries": [{"package": {"ecosystem": "PyPI", "name": "requests"}, "version": "2.25.1"}]
    }

    got = client(sleeps).post_json(local_server.url("/v1/querybatch"), payload)

    assert got.json() == {"results": [{}]}
    (request,) = local_server.requests
    assert (request.method, request.json()) == ("POST", payload)
    assert request.headers["content-type"] == "application/json"


def test_answer_that_is_not_json(local_server: LocalServer, sleeps: Sleeps) -> None:
    page = b"<html><body>Service temporarily unavailable</body></html>"
    local_server.route("/q", Reply(body=page, headers={"Content-Type": "text/html"}))

    got = client(sleeps).get(local_server.url("/q"))
    assert isinstance(got, Fetched)
    with pytest.raises(DataError) as caught:
        got.json()

    assert caught.value.message == (
        "the answer is not JSON (text/html 57 bytes: <html><body>Service temporarily "
        "unavailable</body></html>; Expecting value at line 1, column 1)"
    )
    assert caught.value.exit_code is ExitCode.DATA_UNUSABLE


def test_answer_larger_than_allowed(
    local_server: LocalServer, sleeps: Sleeps, tmp_path: Path
) -> None:
    local_server.route("/all.zip", Reply(body=ZIP_BYTES))

    with pytest.raises(
        DataError, match=f"the answer is {len(ZIP_BYTES)} bytes, more than the 1000"
    ):
        client(sleeps).download(local_server.url("/all.zip"), tmp_path / "z", max_bytes=1000)
    with pytest.raises(DataError, match="larger than the 1000 bytes allowed"):
        local_server.route("/c", Reply(body=ZIP_BYTES, chunked=True))
        client(sleeps).get(local_server.url("/c"), max_bytes=1000)
    assert len(local_server.requests) == 2  # neither was retried
    assert leftovers(tmp_path) == []


def test_digest_mismatch_is_not_kept(
    local_server: LocalServer, sleeps: Sleeps, tmp_path: Path
) -> None:
    local_server.route("/all.zip", Reply(body=ZIP_BYTES))
    dest = tmp_path / "all.zip"

    with pytest.raises(DataError, match=f"sha256 is {ZIP_SHA}, expected 00+"):
        client(sleeps).download(local_server.url("/all.zip"), dest, expected_sha256="0" * 64)
    assert not dest.exists() and leftovers(tmp_path) == []

    ok = client(sleeps).download(
        local_server.url("/all.zip"), dest, expected_sha256=ZIP_SHA.upper()
    )
    assert isinstance(ok, Downloaded) and dest.read_bytes() == ZIP_BYTES


def test_interrupted_download_leaves_nothing(
    local_server: LocalServer, sleeps: Sleeps, tmp_path: Path
) -> None:
    local_server.route("/all.zip", Reply(body=ZIP_BYTES))

    def interrupt(done: int, total: int | None) -> None:
        if done:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        client(sleeps).download(local_server.url("/all.zip"), tmp_path / "z", progress=interrupt)
    assert list(tmp_path.iterdir()) == []


def test_not_a_url(sleeps: Sleeps) -> None:
    with pytest.raises(DataError, match="after 1 attempt: not a URL mdrgate can fetch"):
        client(sleeps).get("ftp://127.0.0.1/file")


def test_urls_in_messages_hide_credentials() -> None:
    assert display_url("https://user:pw@services.nvd.nist.gov/rest?apiKey=abc&startIndex=0") == (
        "https://services.nvd.nist.gov/rest?apiKey=***&startIndex=0"
    )
    assert display_url("https://api.osv.dev/v1/querybatch") == "https://api.osv.dev/v1/querybatch"


def test_mixed_failures_are_listed_in_order(local_server: LocalServer, sleeps: Sleeps) -> None:
    local_server.route("/q", [Reply(503), Reply(reset=True), Reply(reset=True), Reply(502)])

    with pytest.raises(DataError) as caught:
        client(sleeps, attempts=4).get(local_server.url("/q"))

    assert caught.value.message == (
        "GET failed after 4 attempts: HTTP 502 Bad Gateway (earlier: HTTP 503 Service "
        "Unavailable; the connection was reset (2 times))"
    )


@pytest.mark.parametrize(
    ("cause", "words"),
    [
        (ConnectionResetError(104, "Connection reset by peer"), "the connection was reset"),
        (ConnectionRefusedError(111, "Connection refused"), "the connection was refused"),
        (socket.gaierror(-2, "Name or service not known"), "the host name could not be resolved"),
        (TimeoutError("timed out"), "the connection timed out"),
        (OSError("something else"), "outer: something else"),
    ],
)
def test_connection_errors_in_words(cause: BaseException, words: str) -> None:
    try:
        try:
            raise cause
        except OSError as inner:
            raise requests.exceptions.ConnectionError(f"outer: {inner}") from inner
    except requests.exceptions.ConnectionError as exc:
        assert describe_connection_error(exc) == words
