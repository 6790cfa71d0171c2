"""OTLP JSON spans, as the OpenTelemetry Collector file exporter writes them.

Each line is one ``ExportTraceServiceRequest`` document
(``resourceSpans[].scopeSpans[].spans[]``). A line that is not such a document, or
holds a span without ids or times, is invalid as a whole (its spans are dropped and
its line number reported); the engine compares the count with ``max_invalid``.

Attributes become nested objects, so the expression language's dotted paths reach
them: ``http.route`` is ``attributes.http.route``. If a key is both a value and a
prefix of another (``a`` and ``a.b``), the value is kept under ``a._``.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from golive.errors import EvidenceError
from golive.sources._files import HashingReader, Match, expand
from golive.sources._time import from_epoch_ns, instant
from golive.sources.base import MAX_INVALID_LINES_LISTED, EvidenceItem, Records
from golive.spec.sources import TracesSource

KINDS = ("unspecified", "internal", "server", "client", "producer", "consumer")
STATUSES = ("unset", "ok", "error")


def read(config: TracesSource, base_dir: Path) -> Records:
    """One record per span (or per trace with ``records: traces``) from every file matched."""
    spans: list[dict[str, Any]] = []
    evidence: list[EvidenceItem] = []
    for match in expand(config.path, base_dir):
        found, item = _read_file(match)
        spans.extend(found)
        evidence.append(item)
    rows = spans if config.records == "spans" else _per_trace(spans)
    return Records(rows, evidence, config.time)


def _read_file(match: Match) -> tuple[list[dict[str, Any]], EvidenceItem]:
    spans: list[dict[str, Any]] = []
    invalid: list[int] = []
    try:
        with match.path.open("rb") as handle:
            reader = HashingReader(handle)
            for number, line in enumerate(reader.lines(), start=1):
                if not line.strip():
                    continue
                try:
                    spans.extend(_spans(json.loads(line)))
                except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
                    invalid.append(number)
            sha = reader.hexdigest()
    except OSError as exc:
        raise EvidenceError(f"{match.name}: cannot read: {exc.strerror or exc}") from None
    item = EvidenceItem(
        match.name,
        sha,
        len(spans),
        invalid=len(invalid),
        invalid_lines=tuple(invalid[:MAX_INVALID_LINES_LISTED]),
        detail={"format": "otlp-json"},
    )
    return spans, item


def _spans(doc: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for resource_spans in doc["resourceSpans"]:
        resource = _attributes((resource_spans.get("resource") or {}).get("attributes"))
        service = _lookup(resource, ("service", "name"))
        for scope_spans in resource_spans.get("scopeSpans") or []:
            scope = (scope_spans.get("scope") or {}).get("name")
            for span in scope_spans.get("spans") or []:
                rows.append(_span(span, service, scope, resource))
    return rows


def _span(
    span: dict[str, Any], service: Any, scope: Any, resource: dict[str, Any]
) -> dict[str, Any]:
    trace_id, span_id = _id(span["traceId"]), _id(span["spanId"])
    if not trace_id or not span_id:
        raise ValueError("a span needs traceId and spanId")
    start, end = int(span["startTimeUnixNano"]), int(span["endTimeUnixNano"])
    status = span.get("status") or {}
    return {
        "trace_id": trace_id,
        "span_id": span_id,
        "parent_span_id": _id(span.get("parentSpanId")) or None,
        "name": span.get("name"),
        "service": service,
        "scope": scope,
        "kind": _enum(span.get("kind", 0), KINDS, "SPAN_KIND_"),
        "start_time": from_epoch_ns(start),
        "end_time": from_epoch_ns(end),
        "duration_ms": (end - start) / 1_000_000,
        "status": _enum(status.get("code", 0), STATUSES, "STATUS_CODE_"),
        "status_message": status.get("message") or None,
        "attributes": _attributes(span.get("attributes")),
        "resource": resource,
    }


def _per_trace(spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    traces: dict[str, list[dict[str, Any]]] = {}
    for span in spans:
        traces.setdefault(span["trace_id"], []).append(span)
    rows = []
    for trace_id, members in traces.items():
        ids = {s["span_id"] for s in members}
        roots = [s for s in members if s["parent_span_id"] is None]
        orphans = sum(1 for s in members if s["parent_span_id"] and s["parent_span_id"] not in ids)
        root = min(roots, key=lambda s: instant(s["start_time"])) if roots else None
        start = min((s["start_time"] for s in members), key=instant)
        end = max((s["end_time"] for s in members), key=instant)
        rows.append(
            {
                "trace_id": trace_id,
                "name": root["name"] if root else None,
                "service": root["service"] if root else None,
                "attributes": root["attributes"] if root else {},
                "spans": len(members),
                "services": sorted({s["service"] for s in members if s["service"]}),
                "has_root": root is not None,
                "orphans": orphans,
                "complete": root is not None and orphans == 0,
                "start_time": start,
                "end_time": end,
                "duration_ms": root["duration_ms"] if root else None,
                "status": "error" if any(s["status"] == "error" for s in members) else "ok",
            }
        )
    return rows


def _id(value: Any) -> str:
    # The JSON encoding writes ids as hex; some exporters write base64 (protobuf JSON).
    if not value:
        return ""
    text = str(value)
    try:
        bytes.fromhex(text)
        return text.lower()
    except ValueError:
        return base64.b64decode(text, validate=True).hex()


def _enum(value: Any, names: tuple[str, ...], prefix: str) -> str:
    if isinstance(value, int) and 0 <= value < len(names):
        return names[value]
    if isinstance(value, str) and value.removeprefix(prefix).lower() in names:
        return value.removeprefix(prefix).lower()
    raise ValueError(f"unknown enum value {value!r}")


def _attributes(pairs: Any) -> dict[str, Any]:
    nested: dict[str, Any] = {}
    for pair in pairs or []:
        _put(nested, str(pair["key"]).split("."), _value(pair.get("value") or {}))
    return nested


def _lookup(nested: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = nested
    for part in path:
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _put(target: dict[str, Any], path: list[str], value: Any) -> None:
    for part in path[:-1]:
        child = target.get(part)
        if not isinstance(child, dict):
            child = {} if part not in target else {"_": target[part]}
            target[part] = child
        target = child
    last = path[-1]
    if isinstance(target.get(last), dict) and not isinstance(value, dict):
        target[last]["_"] = value
    else:
        target[last] = value


def _value(any_value: dict[str, Any]) -> Any:
    if "stringValue" in any_value:
        return any_value["stringValue"]
    if "boolValue" in any_value:
        return bool(any_value["boolValue"])
    if "intValue" in any_value:
        return int(any_value["intValue"])  # int64 is a JSON string in OTLP
    if "doubleValue" in any_value:
        return float(any_value["doubleValue"])
    if "arrayValue" in any_value:
        return [_value(v) for v in (any_value["arrayValue"].get("values") or [])]
    if "kvlistValue" in any_value:
        return _attributes(any_value["kvlistValue"].get("values"))
    if "bytesValue" in any_value:
        return any_value["bytesValue"]
    return None
