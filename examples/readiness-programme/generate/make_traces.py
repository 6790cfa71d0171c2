"""Regenerate evidence/traces/traces.jsonl with the OpenTelemetry SDK.

Needs ``opentelemetry-sdk`` and ``opentelemetry-exporter-otlp-proto-common``. Spans are
made with fixed times and ids (a seeded generator), encoded with the SDK's OTLP encoder
and written as the Collector's file exporter does: one OTLP/JSON document per line,
hex ids, integer enums, 64-bit integers as strings.
"""

from __future__ import annotations

import base64
import json
import random
from pathlib import Path
from typing import Any

from google.protobuf.json_format import MessageToDict
from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.sdk.trace.id_generator import IdGenerator
from opentelemetry.trace import SpanKind, Status, StatusCode, set_span_in_context

OUT = Path(__file__).parent.parent / "evidence" / "traces" / "traces.jsonl"
START_NS = 1765958400 * 10**9  # 2025-12-17T08:00:00Z
WORKFLOWS = ["checkout", "order-status", "refund", "search"]
RNG = random.Random(7)


class SeededIds(IdGenerator):
    def generate_span_id(self) -> int:
        return RNG.getrandbits(64)

    def generate_trace_id(self) -> int:
        return RNG.getrandbits(128)


class Collect(SpanExporter):
    def __init__(self) -> None:
        self.spans: list[Any] = []

    def export(self, spans: Any) -> SpanExportResult:
        self.spans.extend(spans)
        return SpanExportResult.SUCCESS


def collector_json(message: Any) -> dict[str, Any]:
    """Protobuf JSON -> OTLP/JSON as the Collector writes it (hex ids, integer enums)."""
    doc = MessageToDict(message, use_integers_for_enums=True)
    for rs in doc["resourceSpans"]:
        for ss in rs["scopeSpans"]:
            for span in ss["spans"]:
                for key in ("traceId", "spanId", "parentSpanId"):
                    if key in span:
                        span[key] = base64.b64decode(span[key]).hex()
    return doc


def main() -> None:
    exporters = {}
    providers = {}
    for service in ("shop-web", "payments", "inventory"):
        exporter = Collect()
        provider = TracerProvider(
            resource=Resource(
                {
                    "service.name": service,
                    "service.instance.id": f"{service}-1",
                    "deployment.environment": "staging",
                }
            ),
            id_generator=SeededIds(),
        )
        provider.add_span_processor(SimpleSpanProcessor(exporter))
        exporters[service], providers[service] = exporter, provider
    web = providers["shop-web"].get_tracer("shop.web")
    pay = providers["payments"].get_tracer("shop.payments")
    inv = providers["inventory"].get_tracer("shop.inventory")
    # Run 14's client span is lost on the way to the collector: its child becomes an
    # orphan, so that workflow run is not traced end to end (39 of 40 are).
    lost: set[int] = set()
    t = START_NS
    for run in range(40):
        workflow = WORKFLOWS[run % len(WORKFLOWS)]
        route = {
            "checkout": "/checkout",
            "order-status": "/orders/{id}",
            "refund": "/refunds",
            "search": "/search",
        }[workflow]
        duration = (40 + RNG.randint(0, 120)) * 10**6
        root = web.start_span(
            f"POST {route}" if workflow != "search" else f"GET {route}",
            kind=SpanKind.SERVER,
            start_time=t,
            attributes={
                "workflow.name": workflow,
                "http.route": route,
                "http.response.status_code": 200,
            },
        )
        ctx = set_span_in_context(root)
        child = inv.start_span(
            "reserve stock" if workflow == "checkout" else "lookup",
            context=ctx,
            kind=SpanKind.INTERNAL,
            start_time=t + 2 * 10**6,
        )
        child.end(end_time=t + 20 * 10**6)
        if workflow in ("checkout", "refund"):
            call = web.start_span(
                "POST payments",
                context=ctx,
                kind=SpanKind.CLIENT,
                start_time=t + 21 * 10**6,
                attributes={"server.address": "payments"},
            )
            if run == 14:
                lost.add(call.get_span_context().span_id)
            charge = pay.start_span(
                "charge",
                context=set_span_in_context(call),
                kind=SpanKind.SERVER,
                start_time=t + 22 * 10**6,
                attributes={"payment.method": "card"},
            )
            charge.set_status(Status(StatusCode.OK))
            charge.end(end_time=t + 35 * 10**6)
            call.end(end_time=t + 36 * 10**6)
        root.set_status(Status(StatusCode.OK))
        root.end(end_time=t + duration)
        t += 90 * 10**9
    lines = [
        collector_json(encode_spans([span]))
        for exporter in exporters.values()
        for span in exporter.spans
        if span.context.span_id not in lost
    ]
    lines.sort(
        key=lambda d: int(d["resourceSpans"][0]["scopeSpans"][0]["spans"][0]["startTimeUnixNano"])
    )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("".join(json.dumps(d, separators=(",", ":")) + "\n" for d in lines))


if __name__ == "__main__":
    main()
