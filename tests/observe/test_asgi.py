"""The request middleware: W3C traceparent continued, route-template labels, histogram, logs."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry, generate_latest

from golive.observe.asgi import UNMATCHED, ObserveMiddleware, route_of
from golive.observe.logging import configure_logging
from golive.observe.tracing import BUFFER, configure_tracing, shutdown_tracing
from golive.sources import traces
from golive.spec.sources import TracesSource

PARENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT_SPAN = "00f067aa0ba902b7"


class _Route:
    path_format = "/api/v1/scorecards/{ref}"


async def _app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["path"].startswith("/api/v1/scorecards/"):
        scope["route"] = _Route()
        status = 200 if scope["path"].endswith("/1") else 500
    else:
        status = 404
    await send({"type": "http.response.start", "status": status, "headers": []})
    await send({"type": "http.response.body", "body": b"{}"})


def _call(app: ObserveMiddleware, path: str, headers: list[tuple[bytes, bytes]]) -> list[Any]:
    sent: list[Any] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": path, "headers": headers}
    asyncio.run(app(scope, receive, send))
    return sent


def test_server_spans_continue_traceparent_and_histogram_uses_templates(tmp_path: Path) -> None:
    configure_tracing(tmp_path)
    stream = io.StringIO()
    handler = configure_logging("json", stream=stream, ratio=0.0)
    metrics = CollectorRegistry()
    app = ObserveMiddleware(_app, metrics=metrics)
    traceparent = f"00-{PARENT_TRACE}-{PARENT_SPAN}-01".encode()
    try:
        _call(app, "/api/v1/scorecards/1", [(b"traceparent", traceparent)])
        _call(app, "/api/v1/scorecards/2", [])
        _call(app, "/nowhere/abc", [])
    finally:
        logging.getLogger("golive").removeHandler(handler)
    shutdown_tracing()

    spans = traces.read(TracesSource(type="traces", path=str(BUFFER)), tmp_path).rows
    first = next(s for s in spans if s["parent_span_id"] == PARENT_SPAN)
    assert first["trace_id"] == PARENT_TRACE
    assert first["kind"] == "server"
    assert first["name"] == "GET /api/v1/scorecards/{ref}"
    assert first["attributes"]["http"]["response"]["status_code"] == 200
    failed = next(s for s in spans if s["attributes"]["http"]["response"]["status_code"] == 500)
    assert failed["status"] == "error"
    assert failed["trace_id"] != PARENT_TRACE

    exposition = generate_latest(metrics).decode()
    assert (
        'golive_http_request_duration_seconds_count{method="GET",'
        'route="/api/v1/scorecards/{ref}",status="200"} 1.0'
    ) in exposition
    assert f'route="{UNMATCHED}",status="404"' in exposition
    assert "/nowhere/abc" not in exposition

    # Sampling ratio 0: the healthy request is not logged; the 500 and the 404 are.
    logged = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [(line["level"], line["message"]) for line in logged] == [
        ("error", "GET /api/v1/scorecards/{ref} 500"),
        ("info", f"GET {UNMATCHED} 404"),
    ]
    assert logged[0]["trace_id"] == failed["trace_id"]


def test_route_of_without_a_route() -> None:
    assert route_of({"path": "/x"}) == UNMATCHED
