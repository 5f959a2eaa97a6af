"""A real HTTP server on 127.0.0.1 for tests of everything online, with fault injection.

The suite blocks sockets (pytest-socket). A test that uses this server opts in to loopback only:
``pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])`` — never any other host. The server binds
port 0 (a free port) and runs in a thread for one test (a server kept across tests would have its
``accept`` refused by pytest-socket in the tests that do not opt in).

Routes map a path to a handler (``Request`` → ``Reply``); a list of replies is a script played in
order, its last reply repeated. ``Reply`` fields inject the faults online code must survive:
a body cut short of its ``Content-Length``, a connection reset, a delay before the answer (read
timeout), a stall in the middle of the body, chunked transfer. ``resource`` serves a file with
``ETag``/``Last-Modified`` and answers conditional requests with 304.

Usage (``tests/conftest.py`` registers this module as a plugin, so the fixture is everywhere)::

    def test_x(local_server: LocalServer) -> None:
        local_server.route("/a", [Reply(500), Reply(body=b"ok")])
        url = local_server.url("/a")
"""

from __future__ import annotations

import contextlib
import json
import socket
import struct
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Request:
    """A request as the server received it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    """Header names lower-cased."""
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class Reply:
    """An answer, or a fault. Defaults: ``200 OK`` with ``Content-Length``."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    """Seconds to wait before the status line (a slow server: the client's read timeout)."""
    truncate_at: int | None = None
    """Send only this many bytes of ``body`` (``Content-Length`` announces all), then close."""
    stall_at: int | None = None
    """Stop after this many body bytes for ``stall`` seconds before sending the rest."""
    stall: float = 0.0
    reset: bool = False
    """Abort the connection (TCP RST) instead of answering."""
    reset_at: int | None = None
    """Abort the connection after this many body bytes."""
    chunked: bool = False
    """Send the body with ``Transfer-Encoding: chunked`` (one chunk) instead of Content-Length."""

    @classmethod
    def json(cls, data: Any, status: int = 200, **kwargs: Any) -> Reply:
        body = json.dumps(data).encode()
        headers = {"Content-Type": "application/json", **kwargs.pop("headers", {})}
        return cls(status=status, body=body, headers=headers, **kwargs)


Handler = Callable[[Request], Reply]


class _Script:
    def __init__(self, replies: Sequence[Reply]) -> None:
        if not replies:
            raise ValueError("a script needs at least one reply")
        self._replies = list(replies)
        self._lock = threading.Lock()

    def __call__(self, request: Request) -> Reply:
        with self._lock:
            return self._replies.pop(0) if len(self._replies) > 1 else self._replies[0]


class LocalServer:
    """The running server: add routes, read back the requests it received."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._server = _Server((HOST, 0), _make_handler(self))
        self.port: int = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self._thread.start()

    def url(self, path: str = "/") -> str:
        return f"http://{HOST}:{self.port}{path}"

    def route(self, path: str, handler: Handler | Reply | Sequence[Reply]) -> None:
        """Answer ``path`` (without query) with a handler, a fixed reply or a script of replies."""
        if isinstance(handler, Reply):
            handler = _Script([handler])
        elif not callable(handler):
            handler = _Script(handler)
        self.routes[path] = handler

    def resource(
        self,
        path: str,
        body: bytes,
        *,
        etag: str | None = None,
        last_modified: float | None = None,
        content_type: str = "application/octet-stream",
    ) -> None:
        """A static file with validators; conditional requests that match get ``304``."""
        modified = formatdate(last_modified, usegmt=True) if last_modified is not None else None

        def handler(request: Request) -> Reply:
            headers = {"Content-Type": content_type}
            if etag:
                headers["ETag"] = etag
            if modified:
                headers["Last-Modified"] = modified
            match = request.headers.get("if-none-match")
            since = request.headers.get("if-modified-since")
            if (etag and match == etag) or (match is None and modified and since == modified):
                return Reply(304, headers={k: v for k, v in headers.items() if k != "Content-Type"})
            return Reply(body=body, headers=headers)

        self.route(path, handler)

    def hits(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def pause(self, seconds: float) -> None:
        """Sleep in a handler, but wake up when the server stops (tests never wait for it)."""
        self._stop.wait(seconds)

    def close(self) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _record(self, request: Request) -> Handler | None:
        with self._lock:
            self.requests.append(request)
        return self.routes.get(request.path)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (timeout test) makes writes fail: expected, not noise."""


def _make_handler(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            self._serve()

        def do_POST(self) -> None:
            self._serve()

        def do_HEAD(self) -> None:
            self._serve()

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            request = Request(
                method=self.command,
                path=parts.path,
                query=parse_qs(parts.query),
                headers={k.lower(): v for k, v in self.headers.items()},
                body=body,
            )
            handler = server._record(request)
            reply = handler(request) if handler else Reply(404, b'{"message": "no route"}')
            self.close_connection = True
            if reply.delay:
                server.pause(reply.delay)
            if reply.reset:
                self._reset()
                return
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.chunked:
                self.send_header("Transfer-Encoding", "chunked")
            elif reply.status != 304:
                self.send_header("Content-Length", str(len(reply.body)))
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command == "HEAD" or reply.status == 304:
                return
            self._send_body(reply)

        def _send_body(self, reply: Reply) -> None:
            data = reply.body
            if reply.chunked:
                end = reply.truncate_at if reply.truncate_at is not None else len(data)
                self.wfile.write(f"{len(data):x}\r\n".encode() + data[:end])
                if reply.truncate_at is None:
                    self.wfile.write(b"\r\n0\r\n\r\n")
                self.wfile.flush()
                return
            if reply.reset_at is not None:
                self.wfile.write(data[: reply.reset_at])
                self.wfile.flush()
                self._reset()
                return
            if reply.stall_at is not None:
                self.wfile.write(data[: reply.stall_at])
                self.wfile.flush()
                server.pause(reply.stall)
                data = data[reply.stall_at :]
            if reply.truncate_at is not None:
                data = data[: reply.truncate_at]
            self.wfile.write(data)
            self.wfile.flush()

        def _reset(self) -> None:
            """Close with SO_LINGER 0: the kernel sends RST, the client sees 'connection reset'."""
            with contextlib.suppress(OSError):
                self.wfile.flush()
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
                self.connection.close()

    return _Handler


@contextlib.contextmanager
def serve() -> Iterator[LocalServer]:
    server = LocalServer()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def local_server(request: pytest.FixtureRequest) -> Iterator[LocalServer]:
    """A fresh server on 127.0.0.1 for one test; the test must allow that host, and only it."""
    marker = request.node.get_closest_marker("allow_hosts")
    if marker is None or list(marker.args[0]) != [HOST]:
        pytest.fail(
            "tests using local_server must be marked "
            f"pytest.mark.allow_hosts([{HOST!r}]) (and allow no other host)"
        )
    with serve() as server:
        yield server
