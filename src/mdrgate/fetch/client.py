"""The HTTP client every online path uses: one session, bounded retries, conditional requests and
downloads that are either complete or absent.

Failures are ``DataError`` (exit 4): data mdrgate needed could not be fetched, so nothing can be
concluded from it. The message names the URL, what happened on the last attempt, what happened
before and how many attempts were made. Transient failures are retried — a refused or reset
connection, a timeout, a body cut off, 5xx, 408, 425 and 429 (waiting as ``Retry-After`` asks,
in seconds or as an HTTP-date) — with exponential backoff and jitter, within
:class:`~mdrgate.fetch.retry.RetryPolicy`'s bounds. Anything else (404, 401, a TLS certificate
the system does not trust, a body larger than allowed) fails at once.

A body is read in a stream: its size and sha256 are computed as it arrives, and it is checked
against ``Content-Length``. A download is written to a temporary file beside its destination and
renamed into place only when complete, so an interrupted or truncated transfer never replaces a
good file.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import os
import random
import socket
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self
from urllib.parse import urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter

from mdrgate import __version__
from mdrgate.errors import DataError
from mdrgate.fetch.retry import RetryPolicy, is_transient, parse_retry_after

USER_AGENT = f"mdrgate/{__version__} (+https://github.com/mdrgate/mdrgate)"

CHUNK_BYTES = 256 * 1024

MAX_ANSWER_BYTES = 256 * 1024 * 1024
"""Bodies read into memory (API answers) are refused above this size: no API answer is that big,
and a hostile or broken server must not exhaust memory."""

_EXCERPT_BYTES = 2048
_EXCERPT_CHARS = 200

Progress = Callable[[int, int | None], None]
"""Called with the bytes received so far and the expected total (``None`` when the server does
not say); called with 0 again when a failed transfer starts over."""

Sleep = Callable[[float], None]
Clock = Callable[[], datetime]
Jitter = Callable[[], float]


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Seconds to wait for a connection, and for each read of the answer (not the whole body)."""

    connect: float = 10.0
    read: float = 60.0


@dataclass(frozen=True, slots=True)
class Validators:
    """What a server said identifies a version of a resource, for conditional requests."""

    etag: str | None = None
    last_modified: str | None = None

    def __bool__(self) -> bool:
        return bool(self.etag or self.last_modified)

    def request_headers(self) -> dict[str, str]:
        headers: dict[str, str] = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers

    @classmethod
    def of(cls, headers: Mapping[str, str]) -> Validators:
        return cls(etag=headers.get("ETag"), last_modified=headers.get("Last-Modified"))


@dataclass(frozen=True, slots=True)
class NotModified:
    """The server confirmed (304) that the version described by ``validators`` is current."""

    url: str
    validators: Validators
    attempts: int


@dataclass(frozen=True, slots=True)
class Fetched:
    """A complete answer held in memory."""

    url: str
    final_url: str
    status: int
    body: bytes = field(repr=False)
    content_type: str | None
    sha256: str
    validators: Validators
    attempts: int

    def json(self) -> Any:
        """The body as JSON; a body that is not JSON is a DataError naming the URL."""
        try:
            return json.loads(self.body)
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            shown = f"{self.content_type} " if self.content_type else ""
            raise DataError(
                f"the answer is not JSON ({shown}{len(self.body)} bytes: "
                f"{_excerpt(self.body) or 'empty'}; {_json_problem(exc)})",
                source=display_url(self.url),
                hint="the service may be down or a proxy may have answered in its place",
            ) from None


@dataclass(frozen=True, slots=True)
class Downloaded:
    """A complete file, renamed into place at ``path``."""

    url: str
    final_url: str
    path: Path
    size: int
    sha256: str
    content_type: str | None
    validators: Validators
    attempts: int


class _Retry(Exception):
    """This attempt failed in a way the next one may not."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class _Fatal(Exception):
    """This attempt failed in a way every next one would too."""

    def __init__(self, reason: str, hint: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.hint = hint


class _Sink:
    """Where a body goes while it arrives: memory, or a temporary file beside a destination."""

    def open(self) -> None: ...

    def write(self, chunk: bytes) -> None:
        raise NotImplementedError

    def discard(self) -> None: ...


class _MemorySink(_Sink):
    def __init__(self) -> None:
        self.data = bytearray()

    def open(self) -> None:
        self.data = bytearray()

    def write(self, chunk: bytes) -> None:
        self.data += chunk


class _FileSink(_Sink):
    """A temporary sibling of ``dest``: same directory, so the final rename is atomic."""

    def __init__(self, dest: Path) -> None:
        self.dest = dest
        self.tmp: Path | None = None
        self._handle: IO[bytes] | None = None

    def open(self) -> None:
        self.discard()
        self.dest.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(
            prefix=f".{self.dest.name}.", suffix=".part", dir=self.dest.parent
        )
        self.tmp = Path(name)
        self._handle = os.fdopen(fd, "wb")

    def write(self, chunk: bytes) -> None:
        assert self._handle is not None
        self._handle.write(chunk)

    def commit(self) -> None:
        assert self._handle is not None and self.tmp is not None
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()
        self._handle = None
        self.tmp.replace(self.dest)
        self.tmp = None

    def discard(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        if self.tmp is not None:
            self.tmp.unlink(missing_ok=True)
            self.tmp = None


@dataclass(slots=True)
class _Body:
    size: int
    sha256: str


class HttpClient:
    """One ``requests`` session with mdrgate's User-Agent, timeouts and retry policy.

    ``sleep``, ``now`` and ``jitter`` are injectable so that tests of retries run instantly and
    deterministically. Safe to share between threads for independent requests.
    """

    def __init__(
        self,
        *,
        timeouts: Timeouts | None = None,
        retry: RetryPolicy | None = None,
        user_agent: str = USER_AGENT,
        sleep: Sleep | None = None,
        now: Clock | None = None,
        jitter: Jitter = random.random,
        pool_size: int = 8,
    ) -> None:
        self.timeouts = timeouts or Timeouts()
        self.retry = retry or RetryPolicy()
        # Looked up now, not at import: a test may have replaced time.sleep.
        self._sleep = sleep if sleep is not None else time.sleep
        self._now = now or (lambda: datetime.now(tz=UTC))
        self._jitter = jitter
        session = requests.Session()
        session.headers["User-Agent"] = user_agent
        # Retries are ours alone: urllib3's would hide attempts from the count and the message.
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=pool_size, max_retries=0)
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        self._session = session

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- public requests ----------------------------------------------------------------------

    def get(
        self,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        validators: Validators | None = None,
        max_bytes: int = MAX_ANSWER_BYTES,
    ) -> Fetched | NotModified:
        """GET into memory; ``NotModified`` only when ``validators`` were given and still hold."""
        sink = _MemorySink()
        outcome = self._exchange(
            "GET",
            url,
            sink,
            params=params,
            headers=headers,
            validators=validators,
            max_bytes=max_bytes,
        )
        if isinstance(outcome, NotModified):
            return outcome
        response, body, attempts = outcome
        return _fetched(url, response, bytes(sink.data), body, attempts)

    def get_json(
        self,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        max_bytes: int = MAX_ANSWER_BYTES,
    ) -> Any:
        """GET and parse JSON; a non-JSON answer is a DataError."""
        result = self.get(url, params=params, max_bytes=max_bytes)
        assert isinstance(result, Fetched)  # no validators were sent: never NotModified
        return result.json()

    def post_json(
        self,
        url: str,
        payload: Any,
        *,
        headers: Mapping[str, str] | None = None,
        max_bytes: int = MAX_ANSWER_BYTES,
    ) -> Fetched:
        """POST a JSON body and read the answer into memory (``.json()`` parses it).

        Retried like a GET: only for requests that do not change anything on the server (queries).
        """
        sink = _MemorySink()
        outcome = self._exchange(
            "POST", url, sink, headers=headers, json_body=payload, max_bytes=max_bytes
        )
        assert not isinstance(outcome, NotModified)
        response, body, attempts = outcome
        return _fetched(url, response, bytes(sink.data), body, attempts)

    def download(
        self,
        url: str,
        dest: Path,
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        validators: Validators | None = None,
        progress: Progress | None = None,
        max_bytes: int | None = None,
        expected_sha256: str | None = None,
    ) -> Downloaded | NotModified:
        """Stream ``url`` into ``dest``, replacing it only when the body arrived whole.

        Pass ``validators`` of the copy ``dest`` already holds to get ``NotModified`` (and keep
        that copy) when the server's version is the same. The body is requested without content
        coding, so ``sha256`` is the digest of the bytes the server publishes.
        """
        sink = _FileSink(dest)
        wanted = {"Accept-Encoding": "identity", **(headers or {})}
        try:
            outcome = self._exchange(
                "GET",
                url,
                sink,
                params=params,
                headers=wanted,
                validators=validators,
                progress=progress,
                max_bytes=max_bytes,
            )
            if isinstance(outcome, NotModified):
                return outcome
            response, body, attempts = outcome
            if expected_sha256 is not None and body.sha256 != expected_sha256.lower():
                raise DataError(
                    f"the downloaded file's sha256 is {body.sha256}, expected {expected_sha256} "
                    f"({body.size} bytes, after {_attempts(attempts)}); it was not kept",
                    source=display_url(url),
                    hint="the file changed while being published, or it was altered on the way",
                )
            sink.commit()
        finally:
            sink.discard()
        return Downloaded(
            url=url,
            final_url=response.url,
            path=dest,
            size=body.size,
            sha256=body.sha256,
            content_type=response.headers.get("Content-Type"),
            validators=Validators.of(response.headers),
            attempts=attempts,
        )

    # -- the retry loop -----------------------------------------------------------------------

    def _exchange(
        self,
        method: str,
        url: str,
        sink: _Sink,
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        json_body: Any = None,
        validators: Validators | None = None,
        progress: Progress | None = None,
        max_bytes: int | None = None,
    ) -> tuple[requests.Response, _Body, int] | NotModified:
        sent = {**(headers or {}), **(validators.request_headers() if validators else {})}
        history: list[str] = []
        waited = 0.0
        attempt = 0
        while True:
            attempt += 1
            try:
                response, body = self._attempt(
                    method,
                    url,
                    sink,
                    params=params,
                    headers=sent,
                    json_body=json_body,
                    conditional=bool(validators),
                    progress=progress,
                    max_bytes=max_bytes,
                )
            except _NotModified as nm:
                return NotModified(url, nm.validators or validators or Validators(), attempt)
            except _Fatal as fatal:
                sink.discard()
                raise self._failure(
                    method, url, fatal.reason, history, attempt, fatal.hint
                ) from None
            except _Retry as retry:
                sink.discard()
                if attempt >= self.retry.attempts:
                    raise self._failure(method, url, retry.reason, history, attempt) from None
                delay = retry.retry_after
                if delay is None:
                    delay = self.retry.backoff_delay(attempt, self._jitter())
                left = self.retry.max_wait - waited
                if delay > left:
                    why = (
                        f"{retry.reason}; the server asks to wait {delay:.0f} s (Retry-After)"
                        if retry.retry_after is not None
                        else retry.reason
                    )
                    raise self._failure(
                        method,
                        url,
                        why,
                        history,
                        attempt,
                        f"mdrgate waits at most {self.retry.max_wait:.0f} s in all for a source; "
                        "try again later",
                    ) from None
                history.append(retry.reason)
                self._sleep(delay)
                waited += delay
                continue
            return response, body, attempt

    def _attempt(
        self,
        method: str,
        url: str,
        sink: _Sink,
        *,
        params: Mapping[str, str] | None,
        headers: Mapping[str, str],
        json_body: Any,
        conditional: bool,
        progress: Progress | None,
        max_bytes: int | None,
    ) -> tuple[requests.Response, _Body]:
        try:
            response = self._session.request(
                method,
                url,
                params=params,
                headers=dict(headers),
                json=json_body,
                stream=True,
                timeout=(self.timeouts.connect, self.timeouts.read),
            )
        except requests.exceptions.SSLError as exc:
            raise _Fatal(
                f"TLS failed: {_short(exc)}",
                hint="if a proxy inspects TLS, point REQUESTS_CA_BUNDLE at its CA certificate",
            ) from exc
        except requests.exceptions.ConnectTimeout:
            raise _Retry(f"no connection within {self.timeouts.connect:g} s") from None
        except requests.exceptions.ReadTimeout:
            raise _Retry(f"no answer within {self.timeouts.read:g} s") from None
        except requests.exceptions.ConnectionError as exc:
            raise _Retry(describe_connection_error(exc)) from None
        except (
            requests.exceptions.InvalidURL,
            requests.exceptions.MissingSchema,
            requests.exceptions.InvalidSchema,
        ) as exc:
            raise _Fatal(f"not a URL mdrgate can fetch: {_short(exc)}") from None
        except requests.exceptions.RequestException as exc:
            raise _Fatal(f"{type(exc).__name__}: {_short(exc)}") from None
        with response:
            status = response.status_code
            if status == 304:
                if not conditional:
                    raise _Fatal("HTTP 304 Not Modified to a request that was not conditional")
                raise _NotModified(Validators.of(response.headers))
            if not 200 <= status < 300:
                reason = f"HTTP {status} {response.reason or ''}".rstrip()
                if is_transient(status):
                    wait = parse_retry_after(response.headers.get("Retry-After"), self._now())
                    raise _Retry(reason, retry_after=wait)
                excerpt = _excerpt(_first_bytes(response))
                raise _Fatal(f"{reason}: {excerpt}" if excerpt else reason)
            body = self._read_body(response, sink, progress, max_bytes)
        return response, body

    def _read_body(
        self,
        response: requests.Response,
        sink: _Sink,
        progress: Progress | None,
        max_bytes: int | None,
    ) -> _Body:
        declared = _content_length(response)
        coding = response.headers.get("Content-Encoding", "").strip().lower()
        total = declared if coding in ("", "identity") else None
        if max_bytes is not None and total is not None and total > max_bytes:
            raise _Fatal(f"the answer is {total} bytes, more than the {max_bytes} allowed")
        sink.open()
        digest = hashlib.sha256()
        size = 0
        if progress is not None:
            progress(0, total)
        try:
            for chunk in response.iter_content(CHUNK_BYTES):
                size += len(chunk)
                if max_bytes is not None and size > max_bytes:
                    raise _Fatal(f"the answer is larger than the {max_bytes} bytes allowed")
                digest.update(chunk)
                sink.write(chunk)
                if progress is not None:
                    progress(size, total)
        except (
            requests.exceptions.ChunkedEncodingError,
            requests.exceptions.ConnectionError,
            requests.exceptions.ContentDecodingError,
        ) as exc:
            announced = f", {declared} bytes announced" if declared is not None else ""
            raise _Retry(
                f"the answer was cut off before its end ({describe_connection_error(exc)}"
                f"{announced})"
            ) from None
        received = _wire_bytes(response)
        if declared is not None and received is not None and received != declared:
            raise _Retry(
                f"the answer was cut off: {received} of the {declared} bytes announced arrived"
            )
        return _Body(size, digest.hexdigest())

    def _failure(
        self,
        method: str,
        url: str,
        reason: str,
        history: list[str],
        attempts: int,
        hint: str | None = None,
    ) -> DataError:
        text = f"{method} failed after {_attempts(attempts)}: {reason}"
        if history:
            text += f" (earlier: {_runs(history)})"
        if hint is None and not reason.startswith("HTTP 4"):
            hint = "check the network connection and proxy settings (HTTPS_PROXY, NO_PROXY)"
        return DataError(text, source=display_url(url), hint=hint)


class _NotModified(Exception):
    def __init__(self, validators: Validators) -> None:
        super().__init__("not modified")
        self.validators = validators if validators else None


def display_url(url: str) -> str:
    """The URL as messages show it: without user:password, nor the values of key/token params."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    netloc = parts.netloc.rsplit("@", 1)[-1]
    query = "&".join(_redacted(pair) for pair in parts.query.split("&")) if parts.query else ""
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def _redacted(pair: str) -> str:
    name, sep, _ = pair.partition("=")
    lowered = name.lower()
    if sep and any(word in lowered for word in ("key", "token", "secret", "password")):
        return f"{name}=***"
    return pair


def describe_connection_error(exc: BaseException) -> str:
    """What went wrong with a connection, in words, from the chain of causes requests wraps."""
    causes = list(_causes(exc))
    for cause in causes:
        if isinstance(cause, ConnectionResetError):
            return "the connection was reset"
        if isinstance(cause, ConnectionRefusedError):
            return "the connection was refused"
        if isinstance(cause, socket.gaierror):
            return "the host name could not be resolved"
        if isinstance(cause, http.client.RemoteDisconnected):
            return "the server closed the connection without answering"
        if isinstance(cause, http.client.IncompleteRead):
            return "the connection closed before the body was complete"
        if isinstance(cause, TimeoutError):
            return "the connection timed out"
    text = _short(exc)
    if "NameResolution" in text or "Name or service not known" in text:
        return "the host name could not be resolved"
    if "IncompleteRead" in text or "Connection broken" in text:
        return "the connection closed before the body was complete"
    if "Read timed out" in text:
        return "the connection timed out"
    return text


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    stack: list[BaseException] = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        linked = (current.__cause__, current.__context__, getattr(current, "reason", None))
        stack.extend(e for e in (*linked, *current.args) if isinstance(e, BaseException))


def _runs(reasons: list[str]) -> str:
    """``a; b (3 times)``: earlier failures in order, repeats counted instead of repeated."""
    out: list[tuple[str, int]] = []
    for reason in reasons:
        if out and out[-1][0] == reason:
            out[-1] = (reason, out[-1][1] + 1)
        else:
            out.append((reason, 1))
    return "; ".join(reason if n == 1 else f"{reason} ({n} times)" for reason, n in out)


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= 300 else text[:297] + "..."


def _attempts(count: int) -> str:
    return f"{count} attempt" + ("" if count == 1 else "s")


def _content_length(response: requests.Response) -> int | None:
    if "chunked" in response.headers.get("Transfer-Encoding", "").lower():
        return None
    raw = response.headers.get("Content-Length")
    if raw is None:
        return None
    try:
        value = int(raw.strip())
    except ValueError:
        return None
    return value if value >= 0 else None


def _wire_bytes(response: requests.Response) -> int | None:
    """Bytes of the body read from the connection (before decoding), when urllib3 says."""
    tell = getattr(response.raw, "tell", None)
    if tell is None:
        return None
    with contextlib.suppress(Exception):
        value = tell()
        if isinstance(value, int):
            return value
    return None


def _first_bytes(response: requests.Response) -> bytes:
    """The start of an error answer, for the message; failures to read it are not errors."""
    try:
        return next(response.iter_content(_EXCERPT_BYTES), b"")
    except requests.exceptions.RequestException:
        return b""


def _excerpt(body: bytes) -> str:
    text = " ".join(body[:_EXCERPT_BYTES].decode("utf-8", "replace").split())
    return text if len(text) <= _EXCERPT_CHARS else text[: _EXCERPT_CHARS - 3] + "..."


def _json_problem(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at line {exc.lineno}, column {exc.colno}"
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8"
    return "nested too deeply"


def _fetched(
    url: str, response: requests.Response, data: bytes, body: _Body, attempts: int
) -> Fetched:
    return Fetched(
        url=url,
        final_url=response.url,
        status=response.status_code,
        body=data,
        content_type=response.headers.get("Content-Type"),
        sha256=body.sha256,
        validators=Validators.of(response.headers),
        attempts=attempts,
    )
