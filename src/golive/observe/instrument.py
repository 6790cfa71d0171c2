"""``engine.evaluate`` with spans and a log line, added from outside the engine.

The span tree of one evaluation: ``golive.check`` (the spec), a ``golive.source.read``
child per source (opened and closed by the engine's progress callbacks, so reads
and scans of every source type are covered), a ``golive.check.result`` child of its
source per check, and client spans for the prometheus and http sources' requests.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import Span, Status, StatusCode

from golive.engine.evaluate import Progress, evaluate
from golive.engine.scorecard import Scorecard
from golive.errors import GoliveError
from golive.observe.logging import logger, never_log
from golive.observe.tracing import current_ids, ensure_tracing, tracer
from golive.sources.base import RecordReader, Records
from golive.spec.models import Spec

_log = logger("check")


@dataclass(frozen=True)
class TracedScorecard:
    """A scorecard and the trace it was evaluated in (None when tracing is off)."""

    card: Scorecard
    trace_id: str | None


@dataclass
class _SourceSpans:
    """The open ``golive.source.read`` spans and their context tokens, innermost last."""

    spec: Spec
    inner: Progress | None
    open: list[tuple[str, Span, object]] = field(default_factory=list)
    closed: dict[str, tuple[Span, int, int]] = field(default_factory=dict)

    def started(self, name: str, size: int) -> None:
        config = self.spec.sources[name]
        span = tracer().start_span(
            "golive.source.read",
            attributes={
                "golive.source.name": name,
                "golive.source.type": config.type,
                "golive.source.bytes": size,
            },
        )
        token = otel_context.attach(trace.set_span_in_context(span))
        self.open.append((name, span, token))
        if self.inner is not None:
            self.inner.started(name, size)

    def finished(self, name: str) -> None:
        if self.inner is not None:
            self.inner.finished(name)
        self._close()

    def _close(self, error: BaseException | None = None) -> None:
        name, span, token = self.open.pop()
        otel_context.detach(token)  # type: ignore[arg-type]
        if error is not None:
            span.record_exception(error)
            span.set_status(Status(StatusCode.ERROR, type(error).__name__))
        start = getattr(span, "start_time", None) or time.time_ns()
        span.end()
        self.closed[name] = (span, start, getattr(span, "end_time", None) or time.time_ns())

    def abandon(self, error: BaseException) -> None:
        while self.open:
            self._close(error)


def _traced_readers(base: Mapping[str, RecordReader]) -> dict[str, RecordReader]:
    """The prometheus and http readers with a client whose requests are client spans.

    The HTTP client and those sources are imported only when a spec reads one.
    """
    table = dict(base)

    def _prometheus(config: Any, base_dir: Path, at: datetime) -> Records:
        from golive.observe.traced_http import traced_client
        from golive.sources import prometheus

        with traced_client("prometheus") as client:
            return prometheus.read(config, base_dir, at=at, client=client)

    def _http(config: Any, base_dir: Path, at: datetime) -> Records:
        from golive.observe.traced_http import traced_client
        from golive.sources import http

        with traced_client("http") as client:
            return http.read(config, base_dir, client=client)

    if "prometheus" in table:
        table["prometheus"] = _prometheus
    if "http" in table:
        table["http"] = _http
    return table


def evaluate_traced(
    spec: Spec,
    *,
    base_dir: Path,
    spec_path: str,
    spec_sha256: str,
    at: datetime,
    only: Sequence[str] | None = None,
    readers: Mapping[str, RecordReader] | None = None,
    progress: Progress | None = None,
) -> TracedScorecard:
    """``engine.evaluate`` inside a ``golive.check`` span, logged with its outcome."""
    ensure_tracing(base_dir)
    _never_log_env_values(spec)
    started = time.perf_counter()
    attributes = {
        "golive.spec.name": spec.name,
        "golive.spec.path": spec_path,
        "golive.spec.sha256": spec_sha256,
        "golive.evaluated_at": at.isoformat().replace("+00:00", "Z"),
    }
    with tracer().start_as_current_span("golive.check", attributes=attributes) as root:
        sources = _SourceSpans(spec, progress)
        try:
            card = evaluate(
                spec,
                base_dir=base_dir,
                spec_path=spec_path,
                spec_sha256=spec_sha256,
                at=at,
                only=only,
                readers=_traced_readers(readers or {}),
                progress=Progress(sources.started, sources.finished),
            )
        except BaseException as exc:
            sources.abandon(exc)
            _log.log(
                logging.WARNING if isinstance(exc, GoliveError) else logging.ERROR,
                "evaluation failed",
                extra={"artifact": spec_path, "outcome": "error", "error": str(exc)},
            )
            raise
        _check_spans(spec, card, sources)
        root.set_attribute("golive.ready", card.ready)
        root.set_attribute("golive.score", card.score)
        root.set_attribute("golive.scorecard.sha256", card.sha256)
        trace_id, _ = current_ids()
        _log.log(
            logging.INFO if card.ready else logging.WARNING,
            "%s: %s, score %.2f",
            spec.name,
            "ready" if card.ready else "not ready",
            card.score,
            extra={
                "artifact": spec_path,
                "outcome": "ready" if card.ready else "not_ready",
                "duration_ms": (time.perf_counter() - started) * 1000,
            },
        )
    return TracedScorecard(card, trace_id)


def _check_spans(spec: Spec, card: Scorecard, sources: _SourceSpans) -> None:
    """One ``golive.check.result`` span per check, a child of its source's span."""
    source_of = {c.id: c.source for c in spec.checks}
    for result in card.checks:
        parent = sources.closed.get(source_of.get(result.id, ""))
        if parent is None:
            continue
        span, start, end = parent
        attributes: dict[str, Any] = {
            "golive.check.id": result.id,
            "golive.check.status": result.status,
            "golive.check.measure": result.measure,
            "golive.check.required": result.required,
        }
        if result.observed is not None:
            attributes["golive.check.observed"] = float(result.observed)
        child = tracer().start_span(
            "golive.check.result",
            context=trace.set_span_in_context(span),
            attributes=attributes,
            start_time=start,
        )
        if result.status == "error":
            child.set_status(Status(StatusCode.ERROR, result.message))
        child.end(end_time=end)


def _never_log_env_values(spec: Spec) -> None:
    """The values of variables an env source names are secrets as far as logs are concerned."""
    for config in spec.sources.values():
        for name in getattr(config, "names", []) if config.type == "env" else []:
            value = os.environ.get(name)
            if value:
                never_log(value)
