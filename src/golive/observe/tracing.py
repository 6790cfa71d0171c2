"""golive's own traces (OpenTelemetry): set-up, the span buffer file, and span helpers.

Configured by the standard variables: ``OTEL_EXPORTER_OTLP_ENDPOINT`` (or
``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``) and ``OTEL_EXPORTER_OTLP_HEADERS`` send spans
over OTLP/HTTP; ``OTEL_SERVICE_NAME`` names the service (default ``golive``);
``OTEL_TRACES_SAMPLER`` picks the sampler; ``OTEL_SDK_DISABLED=true`` turns tracing
off. With no endpoint, spans are appended to ``.golive/otel/spans.jsonl`` as OTLP
JSON (one ``ExportTraceServiceRequest`` per line), which the ``traces`` source reads.

The engine knows nothing of this: :mod:`golive.observe.instrument` wraps
``engine.evaluate`` through its progress callbacks and readers.
"""

from __future__ import annotations

import atexit
import base64
import json
import os
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from google.protobuf.json_format import MessageToDict
from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    SimpleSpanProcessor,
    SpanExporter,
    SpanExportResult,
)
from opentelemetry.trace import Span

BUFFER = Path(".golive") / "otel" / "spans.jsonl"
ENDPOINT_VARS = ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")
SCOPE = "golive"
_ID_FIELDS = ("traceId", "spanId", "parentSpanId")


@dataclass
class _Setup:
    """The process's provider, and the folder it buffers to when set up implicitly."""

    provider: TracerProvider | None = None
    implicit_folder: Path | None = None
    exit_hook: bool = False


_setup = _Setup()
_lock = threading.Lock()


class OtlpJsonFileExporter(SpanExporter):
    """Appends each batch of spans to a file as one line of OTLP JSON."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        line = json.dumps(otlp_json(spans), separators=(",", ":"))
        try:
            with self._lock:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with self.path.open("a", encoding="utf-8") as handle:
                    handle.write(line + "\n")
        except OSError:
            return SpanExportResult.FAILURE
        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        """Nothing is held open between batches."""


def otlp_json(spans: Sequence[ReadableSpan]) -> dict[str, Any]:
    """The OTLP JSON encoding of ``spans``: ids in hex, enums as integers (the spec's rules)."""
    document: dict[str, Any] = MessageToDict(encode_spans(spans), use_integers_for_enums=True)
    for resource_spans in document.get("resourceSpans", []):
        for scope_spans in resource_spans.get("scopeSpans", []):
            for span in scope_spans.get("spans", []):
                _hex_ids(span)
                for link in span.get("links", []):
                    _hex_ids(link)
    return document


def _hex_ids(item: dict[str, Any]) -> None:
    for key in _ID_FIELDS:
        if item.get(key):
            item[key] = base64.b64decode(item[key]).hex()


def configure_tracing(
    folder: Path, *, environ: Mapping[str, str] | None = None, batch: bool = False
) -> TracerProvider:
    """Set up golive's tracer provider; spans are buffered under ``folder/.golive`` by default.

    ``batch``: buffer spans to the file from a background thread (the server's choice, so no
    request waits on a file write); by default each span is written when it ends.
    """
    env = os.environ if environ is None else environ
    named = env.get("OTEL_SERVICE_NAME") or "service.name=" in env.get(
        "OTEL_RESOURCE_ATTRIBUTES", ""
    )
    # Resource.create reads the OTEL_ variables; attributes given here would override them.
    provider = TracerProvider(resource=Resource.create({} if named else {SERVICE_NAME: "golive"}))
    if env.get("OTEL_SDK_DISABLED", "").strip().lower() != "true":
        if any(env.get(name, "").strip() for name in ENDPOINT_VARS):
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
        else:
            exporter = OtlpJsonFileExporter(folder / BUFFER)
            processor = BatchSpanProcessor if batch else SimpleSpanProcessor
            provider.add_span_processor(processor(exporter))
    with _lock:
        old, _setup.provider, _setup.implicit_folder = _setup.provider, provider, None
        if not _setup.exit_hook:
            atexit.register(shutdown_tracing)  # flush queued spans when the CLI exits
            _setup.exit_hook = True
    if old is not None:
        old.shutdown()
    return provider


def ensure_tracing(folder: Path) -> None:
    """Set tracing up for ``folder`` unless an application configured it explicitly.

    Set up implicitly (by ``golive check`` or ``watch``), the buffer follows the spec:
    evaluating a spec in another folder moves it there.
    """
    resolved = folder.resolve()
    if _setup.provider is not None and _setup.implicit_folder in (None, resolved):
        return
    configure_tracing(folder)
    _setup.implicit_folder = resolved


def shutdown_tracing() -> None:
    """Flush and stop the provider (spans still queued are exported first)."""
    with _lock:
        provider, _setup.provider, _setup.implicit_folder = _setup.provider, None, None
    if provider is not None:
        provider.shutdown()


def flush_tracing() -> None:
    """Export the spans still queued now (a server stopping may not reach ``atexit``)."""
    provider = _setup.provider
    if provider is not None:
        provider.force_flush()


def tracer() -> trace.Tracer:
    """golive's tracer: the configured provider's, else the global one (a no-op by default)."""
    provider = _setup.provider
    if provider is None:
        return trace.get_tracer(SCOPE)
    return provider.get_tracer(SCOPE)


def current_ids() -> tuple[str | None, str | None]:
    """The current trace id and span id in hex, or (None, None) outside a recorded span."""
    context = trace.get_current_span().get_span_context()
    if not context.is_valid:
        return None, None
    return f"{context.trace_id:032x}", f"{context.span_id:016x}"


class GateSpan:
    """The ``deployment.gate`` span a gate decision is made in."""

    def __init__(self, span: Span) -> None:
        self.span = span

    def decided(
        self, *, allowed: bool, scorecard: str | None, scorecard_id: int | None = None
    ) -> None:
        """Record the decision and the scorecard (sha256, registry id) it rests on."""
        self.span.set_attribute("deployment.allowed", allowed)
        if scorecard is not None:
            self.span.set_attribute("golive.scorecard.sha256", scorecard)
        if scorecard_id is not None:
            self.span.set_attribute("golive.scorecard.id", scorecard_id)

    @property
    def trace_id(self) -> str | None:
        """The trace id to store with the gate decision."""
        context = self.span.get_span_context()
        return f"{context.trace_id:032x}" if context.is_valid else None


@contextmanager
def gate_span(release: str, *, spec: str | None = None) -> Iterator[GateSpan]:
    """A ``deployment.gate`` span around one gate decision for ``release``."""
    attributes: dict[str, Any] = {"deployment.release": release}
    if spec is not None:
        attributes["golive.spec.name"] = spec
    with tracer().start_as_current_span("deployment.gate", attributes=attributes) as span:
        yield GateSpan(span)


@contextmanager
def rollout_step_span(rollout: str, *, wave: int, action: str) -> Iterator[Span]:
    """A ``golive.rollout.step`` span around one controller step (promote, hold, roll back)."""
    attributes: dict[str, Any] = {
        "golive.rollout": rollout,
        "golive.rollout.wave": wave,
        "golive.rollout.action": action,
    }
    with tracer().start_as_current_span("golive.rollout.step", attributes=attributes) as span:
        yield span
