"""Client spans for golive's outgoing HTTP requests (the prometheus and http sources).

Kept apart from :mod:`golive.observe.tracing` so that evaluating a spec without
such sources never imports the HTTP client.
"""

from __future__ import annotations

from typing import Any

import httpx
from opentelemetry.trace import SpanKind, Status, StatusCode
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from golive.observe.tracing import tracer


class TracedTransport(httpx.BaseTransport):
    """An httpx transport that makes a client span per request and sends ``traceparent``."""

    def __init__(self, inner: httpx.BaseTransport | None = None, *, source: str = "") -> None:
        self.inner = inner if inner is not None else httpx.HTTPTransport()
        self.source = source

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url.copy_with(query=None)
        attributes: dict[str, Any] = {
            "http.request.method": request.method,
            "url.full": str(url),
            "server.address": request.url.host,
        }
        if request.url.port is not None:
            attributes["server.port"] = request.url.port
        if self.source:
            attributes["golive.source.type"] = self.source
        with tracer().start_as_current_span(
            request.method, kind=SpanKind.CLIENT, attributes=attributes
        ) as span:
            carrier: dict[str, str] = {}
            TraceContextTextMapPropagator().inject(carrier)
            for key, value in carrier.items():
                request.headers[key] = value
            response = self.inner.handle_request(request)
            span.set_attribute("http.response.status_code", response.status_code)
            if response.status_code >= 400:
                span.set_status(Status(StatusCode.ERROR, f"HTTP {response.status_code}"))
            return response

    def close(self) -> None:
        self.inner.close()


def traced_client(source: str) -> httpx.Client:
    """An httpx client whose requests are client spans (for the prometheus and http sources)."""
    return httpx.Client(transport=TracedTransport(source=source), follow_redirects=False)
