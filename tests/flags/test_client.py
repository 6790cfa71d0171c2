"""FlagClient: from a file, and from a polled URL that may fail, change or say 304."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from golive.errors import FlagsError, UsageError
from golive.flags import FlagClient, parse_flags
from golive.flags.model import SCHEMA

DATA = Path(__file__).parent.parent / "data" / "unleash"


def export(enabled: bool) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "flags": [{"name": "checkout", "enabled": enabled, "strategies": [{"name": "default"}]}],
    }


def test_from_file_reads_an_unleash_export(tmp_path: Path) -> None:
    suite = json.loads((DATA / "09-strategy-constraints.json").read_text())
    path = tmp_path / "unleash.json"
    path.write_text(json.dumps(suite["state"]))
    with FlagClient.from_file(path) as client:
        assert client.is_enabled("Feature.constraints.simple", {"environment": "dev"})
        assert not client.is_enabled("Feature.constraints.simple", {"environment": "prod"})
        assert client.is_enabled("missing", default=True)
        assert client.evaluate("Feature.constraints.simple", {"environment": "dev"}).strategy == (
            "default"
        )


def test_from_file_refuses_a_bad_file(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"hello": 1}')
    with pytest.raises(FlagsError, match=r"x\.json: not a flags document"):
        FlagClient.from_file(path)


def test_a_malformed_context_answers_the_default_and_is_counted() -> None:
    doc = {
        "schema": SCHEMA,
        "flags": [
            {
                "name": "f",
                "enabled": True,
                "strategies": [
                    {
                        "name": "default",
                        "constraints": [{"contextName": "c", "operator": "IN", "values": ["x"]}],
                    }
                ],
            }
        ],
    }
    client = FlagClient(parse_flags(doc))
    bad_context: dict[str, Any] = {"properties": ["not", "a", "mapping"]}
    assert client.is_enabled("f", bad_context, default=True) is True
    assert client.evaluation_errors == 1
    assert client.evaluate("f", bad_context).reason.startswith("error: AttributeError")


class Source:
    """A scripted flags endpoint for httpx.MockTransport."""

    def __init__(self) -> None:
        self.document = export(True)
        self.etag = '"v1"'
        self.fail_with: int | None = None
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.fail_with == 0:
            raise httpx.ConnectError("connection refused", request=request)
        if self.fail_with is not None:
            return httpx.Response(self.fail_with, text="boom")
        if request.headers.get("If-None-Match") == self.etag:
            return httpx.Response(304)
        return httpx.Response(200, json=self.document, headers={"ETag": self.etag})


def mock_client(source: Source) -> FlagClient:
    http = httpx.Client(transport=httpx.MockTransport(source))
    # A long interval: the test drives refresh() itself.
    return FlagClient.from_url("http://flags.test/export", "s3cret", interval=3600, client=http)


def test_from_url_fetches_with_the_token_then_uses_etags() -> None:
    source = Source()
    http = httpx.Client(transport=httpx.MockTransport(source))
    with FlagClient.from_url(
        "http://flags.test/export", "s3cret", interval=3600, client=http
    ) as client:
        assert "Authorization" not in http.headers  # the caller's client is left as it was
        assert client.is_enabled("checkout")
        assert source.requests[0].headers["Authorization"] == "Bearer s3cret"
        assert "If-None-Match" not in source.requests[0].headers
        assert client.refresh() is False
        assert source.requests[1].headers["If-None-Match"] == '"v1"'
        status = client.status()
        assert (status.fetches, status.not_modified, status.errors) == (2, 1, 0)
        source.document, source.etag = export(False), '"v2"'
        assert client.refresh() is True
        assert not client.is_enabled("checkout")
        assert client.status().etag == '"v2"'
    assert not http.is_closed  # the caller owns it


@pytest.mark.parametrize(
    ("fail_with", "document", "message"),
    [
        (0, None, "ConnectError: connection refused"),
        (503, None, "HTTP 503"),
        (None, {"nonsense": True}, "not a flags document"),
    ],
)
def test_a_failing_source_keeps_the_last_good_flags(
    fail_with: int | None, document: dict[str, Any] | None, message: str
) -> None:
    source = Source()
    with mock_client(source) as client:
        source.fail_with, source.etag = fail_with, '"v2"'
        if document is not None:
            source.document = document
        assert client.refresh() is False
        assert client.is_enabled("checkout")
        status = client.status()
        assert status.errors == 1
        assert status.last_error is not None
        assert message in status.last_error


def test_a_source_down_at_start_serves_defaults_until_it_recovers() -> None:
    source = Source()
    source.fail_with = 500
    with mock_client(source) as client:
        assert client.is_enabled("checkout", default=True) is True
        assert client.is_enabled("checkout") is False
        source.fail_with = None
        assert client.refresh() is True
        assert client.is_enabled("checkout")


def test_interval_must_be_positive() -> None:
    with pytest.raises(UsageError, match="interval must be > 0 seconds"):
        FlagClient.from_url("http://x", None, interval=0)


class _Handler(BaseHTTPRequestHandler):
    body = b""
    etag = '"a"'

    def do_GET(self) -> None:
        if self.headers.get("If-None-Match") == type(self).etag:
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("ETag", type(self).etag)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(type(self).body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, type[_Handler]]]:
    handler = type("Handler", (_Handler,), {"body": json.dumps(export(True)).encode()})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/flags", handler
    httpd.shutdown()
    httpd.server_close()


def test_background_polling_picks_up_a_change(server: tuple[str, type[_Handler]]) -> None:
    url, handler = server
    with FlagClient.from_url(url, "t", interval=0.05) as client:
        assert client.is_enabled("checkout")
        handler.body, handler.etag = json.dumps(export(False)).encode(), '"b"'
        deadline = time.monotonic() + 5
        while client.is_enabled("checkout") and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not client.is_enabled("checkout")
    polls = client.status().fetches
    time.sleep(0.2)
    assert client.status().fetches == polls  # closed: no more polling
