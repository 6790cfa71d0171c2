"""ASGI middleware for ``golive serve``: per request a server span, a histogram sample, a log.

Wire it around the FastAPI app (``app.add_middleware(ObserveMiddleware, metrics=registry)``
or ``ObserveMiddleware(app, metrics=registry)``). The incoming W3C ``traceparent`` is
continued; the route label is the route template (``/api/v1/scorecards/{ref}``), never
the raw path, so label values stay few.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from prometheus_client import CollectorRegistry, Histogram

from golive.observe.logging import logger
from golive.observe.tracing import tracer

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

UNMATCHED = "<unmatched>"
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_log = logger("api")


def request_histogram(registry: CollectorRegistry) -> Histogram:
    """``golive_http_request_duration_seconds{route,method,status}`` in ``registry``."""
    return Histogram(
        "golive_http_request_duration_seconds",
        "Time to answer an API request, by route template, method and status code",
        ["route", "method", "status"],
        buckets=BUCKETS,
        registry=registry,
    )


def route_of(scope: Scope) -> str:
    """The matched route's whole template (``/api/v1/scorecards/{ref}``), else a constant.

    FastAPI puts the matched route in the scope. Routes of an included router may carry
    only their own part of the template (``/scorecards/{ref}``): the routers' fixed
    prefixes are what the request path holds before that part, once filled in.
    """
    route = scope.get("route")
    template = getattr(route, "path_format", None) or getattr(route, "path", None)
    if not template:
        return UNMATCHED
    template = str(template)
    filled = template
    for name, value in (scope.get("path_params") or {}).items():
        filled = filled.replace(f"{{{name}}}", str(value))
    path = str(scope.get("path", ""))
    prefix = path[: len(path) - len(filled)] if path.endswith(filled) else ""
    return prefix + template


class ObserveMiddleware:
    """Per HTTP request: a server span continuing ``traceparent``, a histogram sample, a log."""

    def __init__(self, app: ASGIApp, *, metrics: CollectorRegistry | None = None) -> None:
        self.app = app
        self.histogram = request_histogram(metrics) if metrics is not None else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        carrier = {
            key.decode("latin-1").lower(): value.decode("latin-1")
            for key, value in scope.get("headers", [])
        }
        parent = TraceContextTextMapPropagator().extract(carrier)
        method = str(scope.get("method", "GET"))
        started = time.perf_counter()
        status = {"code": 500}

        async def sending(message: Message) -> None:
            if message.get("type") == "http.response.start":
                status["code"] = int(message.get("status", 500))
            await send(message)

        span = tracer().start_span(
            f"{method} {scope.get('path', '')}",
            context=parent,
            kind=SpanKind.SERVER,
            attributes={"http.request.method": method, "url.path": str(scope.get("path", ""))},
        )
        with trace.use_span(span, end_on_exit=True):
            try:
                await self.app(scope, receive, sending)
            finally:
                self._finish(span, scope, method, status["code"], started)

    def _finish(self, span: Any, scope: Scope, method: str, code: int, started: float) -> None:
        seconds = time.perf_counter() - started
        route = route_of(scope)
        span.update_name(f"{method} {route}")
        span.set_attribute("http.route", route)
        span.set_attribute("http.response.status_code", code)
        if code >= 500:
            span.set_status(Status(StatusCode.ERROR, f"HTTP {code}"))
        if self.histogram is not None:
            self.histogram.labels(route, method, str(code)).observe(seconds)
        _log.log(
            logging.ERROR if code >= 500 else logging.INFO,
            "%s %s %d",
            method,
            route,
            code,
            extra={
                "request": True,
                "artifact": route,
                "outcome": "ok" if code < 400 else "failure",
                "duration_ms": seconds * 1000,
            },
        )
