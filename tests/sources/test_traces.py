"""The traces source on committed OTLP JSON (file exporter) fixtures."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from golive.sources import traces
from golive.spec.sources import TracesSource

DATA = Path(__file__).parent.parent / "data" / "traces"


def _read(path: str, records: str = "spans", base: Path = DATA) -> Any:
    config = TracesSource.model_validate({"type": "traces", "path": path, "records": records})
    return traces.read(config, base)


def test_spans() -> None:
    out = _read("otlp.jsonl")
    assert len(out.rows) == 6
    root = out.rows[0]
    assert root == {
        "trace_id": "5b8efff798038103d269b633813fc60c",
        "span_id": "eee19b7ec3c1b174",
        "parent_span_id": None,
        "name": "POST /checkout",
        "service": "checkout",
        "scope": "opentelemetry.instrumentation.flask",
        "kind": "server",
        "start_time": "2025-12-17T08:00:00Z",
        "end_time": "2025-12-17T08:00:00.18Z",
        "duration_ms": 180.0,
        "status": "ok",
        "status_message": None,
        "attributes": {
            "http": {
                "route": "/checkout",
                "request": {"method": "POST"},
                "response": {"status_code": 200},
            },
            "workflow": {"name": "checkout"},
        },
        "resource": {"service": {"name": "checkout"}, "deployment": {"environment": "staging"}},
    }
    client = out.rows[1]
    assert (client["kind"], client["parent_span_id"]) == ("client", "eee19b7ec3c1b174")
    assert client["attributes"] == {"server": {"address": "payments"}, "retry": False}
    assert out.rows[2]["service"] == "payments"
    assert out.rows[2]["attributes"]["payment"]["amount"] == 12.5
    error = out.rows[3]
    assert (error["status"], error["status_message"]) == ("error", "db timeout")
    # "db.system" and "db" both set: the plain value is kept under "_".
    assert out.rows[4]["attributes"]["db"] == {"system": "postgresql", "_": "orders"}
    assert out.rows[4]["kind"] == "client"
    assert out.rows[5]["kind"] == "internal"
    [item] = out.evidence
    assert (item.records, item.invalid, item.invalid_lines) == (6, 0, ())
    assert item.sha256 == hashlib.sha256((DATA / "otlp.jsonl").read_bytes()).hexdigest()
    assert out.time_field == "start_time"
    json.dumps(out.rows)


def test_per_trace_records_for_coverage() -> None:
    rows = {r["trace_id"][:4]: r for r in _read("otlp.jsonl", records="traces").rows}
    checkout, orders, search = rows["5b8e"], rows["0af7"], rows["4bf9"]
    assert (checkout["name"], checkout["spans"], checkout["complete"]) == (
        "POST /checkout",
        3,
        True,
    )
    assert checkout["services"] == ["checkout", "payments"]
    assert checkout["attributes"]["workflow"]["name"] == "checkout"
    assert checkout["duration_ms"] == 180.0
    assert (orders["status"], orders["complete"]) == ("error", True)
    # Its parent span never arrived: an orphan, so the trace is not complete.
    assert (search["has_root"], search["orphans"], search["complete"]) == (False, 1, False)
    assert search["name"] is None
    complete = [r for r in rows.values() if r["complete"]]
    assert len(complete) / len(rows) == 2 / 3


def test_damaged_lines_are_invalid_not_fatal() -> None:
    out = _read("damaged.jsonl")
    [item] = out.evidence
    # Line 1 is good, 2 is blank; 3 not JSON, 4 no resourceSpans, 5 a bad time, 6 truncated.
    assert (item.records, item.invalid, item.invalid_lines) == (2, 4, (3, 4, 5, 6))
    assert len(out.rows) == 2
    assert item.sha256 == hashlib.sha256((DATA / "damaged.jsonl").read_bytes()).hexdigest()


def test_glob_and_missing_input(tmp_path: Path) -> None:
    out = _read("*.jsonl")
    assert [e.path for e in out.evidence] == ["damaged.jsonl", "otlp.jsonl"]
    empty = _read("spans/*.json", base=tmp_path)
    assert (empty.rows, empty.evidence) == ([], [])


def test_base64_ids_are_read_as_hex(tmp_path: Path) -> None:
    span = {
        "traceId": "W47/95gDgQPSabYzgT/GDA==",
        "spanId": "7uGbfsPBsXQ=",
        "name": "x",
        "startTimeUnixNano": "0",
        "endTimeUnixNano": "1000000",
    }
    doc = {"resourceSpans": [{"scopeSpans": [{"spans": [span]}]}]}
    (tmp_path / "b.jsonl").write_text(json.dumps(doc) + "\n")
    [row] = _read("b.jsonl", base=tmp_path).rows
    assert (row["trace_id"], row["span_id"]) == (
        "5b8efff798038103d269b633813fc60c",
        "eee19b7ec3c1b174",
    )
    assert (row["service"], row["kind"], row["status"], row["duration_ms"]) == (
        None,
        "unspecified",
        "unset",
        1.0,
    )


def test_trace_bounds_are_ordered_by_instant(tmp_path: Path) -> None:
    def span(sid: str, parent: str, start: int, end: int) -> dict[str, Any]:
        return {
            "traceId": "ab" * 16,
            "spanId": sid,
            "parentSpanId": parent,
            "name": sid,
            "startTimeUnixNano": str(start),
            "endTimeUnixNano": str(end),
        }

    # As text "...00.002000Z" sorts before "...00Z"; as instants it comes after.
    spans = [span("02" * 8, "01" * 8, 2_000_000, 3_000_000), span("01" * 8, "", 0, 10**9)]
    doc = {"resourceSpans": [{"scopeSpans": [{"spans": spans}]}]}
    (tmp_path / "t.jsonl").write_text(json.dumps(doc) + "\n")
    [trace] = _read("t.jsonl", records="traces", base=tmp_path).rows
    assert (trace["start_time"], trace["end_time"]) == (
        "1970-01-01T00:00:00Z",
        "1970-01-01T00:00:01Z",
    )
    assert (trace["name"], trace["complete"]) == ("01" * 8, True)


def test_deeply_nested_line_is_invalid_not_a_crash(tmp_path: Path) -> None:
    good = (DATA / "otlp.jsonl").read_text().splitlines()[0]
    (tmp_path / "t.jsonl").write_text("[" * 200_000 + "\n" + good + "\n")
    [item] = _read("t.jsonl", base=tmp_path).evidence
    assert (item.invalid, item.invalid_lines, item.records) == (1, (1,), 2)
