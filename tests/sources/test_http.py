"""The http source against a real server on loopback, and edge cases through MockTransport."""

from __future__ import annotations

import hashlib
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from golive.sources import http
from golive.spec.sources import HttpSource


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status = {"/healthz": 200, "/broken": 503, "/moved": 301}.get(self.path, 404)
        body = b'{"status": "ok"}' if status == 200 else b"no"
        self.send_response(status)
        if status == 301:
            self.send_header("Location", "/healthz")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _config(url: str | list[str], timeout: str = "5s") -> HttpSource:
    return HttpSource.model_validate({"type": "http", "url": url, "timeout": timeout})


def test_probes_a_real_server(server: str, tmp_path: Path) -> None:
    urls = [f"{server}/healthz", f"{server}/broken", f"{server}/moved"]
    out = http.read(_config(urls), tmp_path)
    assert [(r["url"], r["status"], r["error"]) for r in out.rows] == [
        (urls[0], 200, None),
        (urls[1], 503, None),
        (urls[2], 301, None),  # redirects are not followed
    ]
    assert all(0 < r["latency_ms"] < 5000 for r in out.rows)
    assert out.evidence[0].path == urls[0]
    assert out.evidence[0].sha256 == hashlib.sha256(b'{"status": "ok"}').hexdigest()
    assert out.time_field is None


def test_unreachable_is_a_failing_record_not_an_error(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_free_port()}/healthz"
    out = http.read(_config(url), tmp_path)
    [row] = out.rows
    assert row["status"] is None
    assert row["error"].startswith("ConnectError")
    assert out.evidence[0].sha256 is None
    assert out.evidence[0].records == 1


def test_timeout_is_a_failing_record(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        out = http.read(_config("http://svc.test/healthz", "1s"), tmp_path, client=client)
    assert out.rows[0]["status"] is None
    assert out.rows[0]["error"] == "ReadTimeout: timed out"
