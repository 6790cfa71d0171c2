"""Fixtures for the observe tests: a loopback HTTP server recording what it is sent."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from golive.observe.tracing import shutdown_tracing


@dataclass
class Received:
    """One request the loopback server got."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Loopback:
    """A server on 127.0.0.1 that answers 200 and keeps every request."""

    url: str
    requests: list[Received] = field(default_factory=list)
    on_post: list[Callable[[Received], tuple[int, bytes]]] = field(default_factory=list)


@pytest.fixture
def loopback() -> Iterator[Loopback]:
    """Start the loopback server on a free port; stop it after the test."""
    state = Loopback(url="")

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            got = Received(
                self.command,
                self.path,
                {k.lower(): v for k, v in self.headers.items()},
                self.rfile.read(length),
            )
            state.requests.append(got)
            status, body = (200, b"ok")
            if self.command == "POST" and state.on_post:
                status, body = state.on_post[0](got)
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = _handle
        do_POST = _handle

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def _no_tracing_left() -> Iterator[None]:
    """Each test starts and ends without a configured tracer provider."""
    shutdown_tracing()
    yield
    shutdown_tracing()
