"""Spans of an evaluation: to a real OTLP/HTTP receiver, and to the OTLP JSON buffer file."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from golive.observe.instrument import evaluate_traced
from golive.observe.tracing import (
    BUFFER,
    configure_tracing,
    ensure_tracing,
    gate_span,
    rollout_step_span,
    shutdown_tracing,
)
from golive.sources import traces
from golive.sources.readers import readers
from golive.spec.loader import load_spec
from golive.spec.sources import TracesSource
from tests.observe.conftest import Loopback

SPEC = Path(__file__).parents[1] / "data" / "observe" / "spec"
AT = datetime(2025, 12, 18, tzinfo=UTC)


def _spec_with_http(tmp_path: Path, url: str) -> Path:
    folder = tmp_path / "spec"
    shutil.copytree(SPEC, folder)
    text = (folder / "golive.yaml").read_text()
    text = text.replace(
        "defaults:",
        f"  health:\n    type: http\n    url: {url}/health\ndefaults:",
    )
    text += "  - id: healthy\n    source: health\n    where: status == 200\n    measure: count\n"
    text += '    expect: ">= 1"\n    window: all\n'
    (folder / "golive.yaml").write_text(text)
    return folder / "golive.yaml"


def _evaluate(path: Path) -> Any:
    loaded = load_spec(path)
    return evaluate_traced(
        loaded.spec,
        base_dir=loaded.base_dir,
        spec_path=str(path),
        spec_sha256=loaded.sha256,
        at=AT,
        readers=readers(commands=False),
    )


def _otlp_spans(loopback: Loopback) -> list[Any]:
    spans = []
    for got in loopback.requests:
        if got.method == "POST" and got.path == "/v1/traces":
            request = ExportTraceServiceRequest()
            request.ParseFromString(got.body)
            for resource_spans in request.resource_spans:
                for scope_spans in resource_spans.scope_spans:
                    spans.extend(scope_spans.spans)
    return spans


def _attrs(span: Any) -> dict[str, Any]:
    out = {}
    for kv in span.attributes:
        value = kv.value
        out[kv.key] = getattr(value, value.WhichOneof("value"))
    return out


def test_otlp_receiver_gets_the_span_tree(
    tmp_path: Path, loopback: Loopback, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", loopback.url)
    monkeypatch.setenv("OTEL_SERVICE_NAME", "golive-test")
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_HEADERS", "x-tenant=acme")
    path = _spec_with_http(tmp_path, loopback.url)
    configure_tracing(path.parent)
    result = _evaluate(path)
    shutdown_tracing()

    spans = _otlp_spans(loopback)
    posts = [r for r in loopback.requests if r.path == "/v1/traces"]
    assert posts
    assert all(r.headers["x-tenant"] == "acme" for r in posts)
    assert all(r.headers["content-type"] == "application/x-protobuf" for r in posts)
    request = ExportTraceServiceRequest()
    request.ParseFromString(posts[0].body)
    resource = {
        kv.key: kv.value.string_value for kv in request.resource_spans[0].resource.attributes
    }
    assert resource["service.name"] == "golive-test"
    by_name: dict[str, list[Any]] = {}
    for span in spans:
        by_name.setdefault(span.name, []).append(span)
    (root,) = by_name["golive.check"]
    assert root.trace_id.hex() == result.trace_id
    assert root.parent_span_id == b""
    assert _attrs(root)["golive.spec.name"] == "observe-small"
    assert _attrs(root)["golive.ready"] is True
    assert _attrs(root)["golive.scorecard.sha256"] == result.card.sha256

    sources = {_attrs(s)["golive.source.name"]: s for s in by_name["golive.source.read"]}
    assert set(sources) == {"events", "health"}
    assert all(s.parent_span_id == root.span_id for s in sources.values())
    assert _attrs(sources["health"])["golive.source.type"] == "http"

    checks = {_attrs(s)["golive.check.id"]: s for s in by_name["golive.check.result"]}
    assert set(checks) == {"deploys", "error-rate", "healthy"}
    assert checks["deploys"].parent_span_id == sources["events"].span_id
    assert checks["healthy"].parent_span_id == sources["health"].span_id
    assert _attrs(checks["deploys"])["golive.check.status"] == "pass"
    assert _attrs(checks["deploys"])["golive.check.observed"] == 3.0

    (client,) = by_name["GET"]
    assert client.kind == client.SPAN_KIND_CLIENT
    assert client.parent_span_id == sources["health"].span_id
    assert _attrs(client)["http.response.status_code"] == 200
    assert _attrs(client)["url.full"] == f"{loopback.url}/health"
    # The probe carried W3C trace context naming the client span.
    (probe,) = [r for r in loopback.requests if r.path == "/health"]
    version, trace_id, parent_id, flags = probe.headers["traceparent"].split("-")
    assert (version, trace_id, parent_id) == ("00", root.trace_id.hex(), client.span_id.hex())
    assert int(flags, 16) & 1  # sampled
    assert all(s.trace_id == root.trace_id for s in spans)


def test_without_endpoint_spans_go_to_the_buffer_and_the_traces_source_reads_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    folder = tmp_path / "spec"
    shutil.copytree(SPEC, folder)
    result = _evaluate(folder / "golive.yaml")
    shutdown_tracing()

    buffer = folder / BUFFER
    assert buffer.exists()
    records = traces.read(TracesSource(type="traces", path=str(BUFFER)), folder)
    assert records.evidence[0].invalid == 0
    names = sorted(r["name"] for r in records.rows)
    assert names == [
        "golive.check",
        "golive.check.result",
        "golive.check.result",
        "golive.source.read",
    ]
    root = next(r for r in records.rows if r["name"] == "golive.check")
    assert root["trace_id"] == result.trace_id
    assert root["attributes"]["golive"]["spec"]["name"] == "observe-small"
    assert root["kind"] == "internal"
    per_trace = traces.read(TracesSource(type="traces", path=str(BUFFER), records="traces"), folder)
    assert [t["complete"] for t in per_trace.rows] == [True]


def test_gate_and_rollout_helpers_name_their_spans(tmp_path: Path) -> None:
    configure_tracing(tmp_path)
    with gate_span("v1.2.3", spec="shop") as gate:
        gate.decided(allowed=False, scorecard="ab" * 32)
        trace_id = gate.trace_id
    with rollout_step_span("shop-canary", wave=2, action="hold"):
        pass
    shutdown_tracing()
    records = traces.read(TracesSource(type="traces", path=str(BUFFER)), tmp_path)
    spans = {r["name"]: r for r in records.rows}
    assert spans["deployment.gate"]["trace_id"] == trace_id
    assert spans["deployment.gate"]["attributes"]["deployment"] == {
        "release": "v1.2.3",
        "allowed": False,
    }
    assert spans["golive.rollout.step"]["attributes"]["golive"]["rollout"] == {
        "_": "shop-canary",
        "wave": 2,
        "action": "hold",
    }


def test_sdk_disabled_writes_nothing(tmp_path: Path) -> None:
    configure_tracing(tmp_path, environ={"OTEL_SDK_DISABLED": "true"})
    with gate_span("v1"):
        pass
    shutdown_tracing()
    assert not (tmp_path / BUFFER).exists()


def test_sampler_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_TRACES_SAMPLER", "always_off")
    configure_tracing(tmp_path)
    with gate_span("v1") as gate:
        assert not gate.span.is_recording()
    shutdown_tracing()
    assert not (tmp_path / BUFFER).exists()


def test_implicit_set_up_follows_the_spec_folder_but_explicit_stays(tmp_path: Path) -> None:
    first, second, app = tmp_path / "a", tmp_path / "b", tmp_path / "app"
    for folder in (first, second):
        ensure_tracing(folder)
        with gate_span(folder.name):
            pass
    assert (first / BUFFER).exists()
    assert (second / BUFFER).exists()
    configure_tracing(app)
    ensure_tracing(first)
    with gate_span("from-the-app"):
        pass
    shutdown_tracing()
    assert "from-the-app" in (app / BUFFER).read_text()
    assert "from-the-app" not in (first / BUFFER).read_text()


def test_golive_check_records_the_scorecard_with_its_trace_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from golive.cli.app import app
    from golive.registry import latest_scorecard, open_registry

    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
    folder = tmp_path / "spec"
    shutil.copytree(SPEC, folder)
    result = CliRunner().invoke(
        app, ["check", str(folder / "golive.yaml"), "--at", "2025-12-18T00:00:00Z"]
    )
    assert result.exit_code == 0
    shutdown_tracing()
    spans = traces.read(TracesSource(type="traces", path=str(BUFFER)), folder).rows
    (root,) = [s for s in spans if s["name"] == "golive.check"]
    with open_registry(f"sqlite:///{folder / '.golive' / 'registry.db'}") as registry:
        stored = latest_scorecard(registry, "observe-small")
    assert stored is not None
    assert stored.trace_id == root["trace_id"]
    assert root["attributes"]["golive"]["scorecard"]["sha256"] == stored.sha256
