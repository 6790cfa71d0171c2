"""PromQL over the Prometheus HTTP API: an instant query at the evaluation instant, or a range.

Records are samples: the series labels as fields, ``value`` (float) and ``time``.
A NaN or infinite sample is invalid (counted, with its 1-based index, against
``max_invalid``). Anything that keeps the answer from being trusted (unreachable,
timeout, HTTP error, a body that is not the API's JSON, ``status: error``) is an
``EvidenceError`` naming the URL: never an empty, passing result.
"""

from __future__ import annotations

import hashlib
import math
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from golive.errors import EvidenceError
from golive.sources._time import from_epoch
from golive.sources.base import MAX_INVALID_LINES_LISTED, EvidenceItem, Records
from golive.spec.durations import parse_duration
from golive.spec.sources import PrometheusSource
from golive.times import rfc3339

DEFAULT_STEP = "1m"


def read(
    config: PrometheusSource,
    base_dir: Path,
    *,
    at: datetime,
    client: httpx.Client | None = None,
) -> Records:
    """Run the query as of ``at``; one record per sample."""
    url, params = _request(config, at)
    shown = str(httpx.URL(url, params=params))
    timeout = float(parse_duration(config.timeout))
    own = client is None
    http = httpx.Client(timeout=timeout) if client is None else client
    try:
        response = http.get(url, params=params, timeout=timeout)
    except httpx.TimeoutException:
        raise EvidenceError(f"{shown}: no answer within {config.timeout}") from None
    except httpx.HTTPError as exc:
        raise EvidenceError(
            f"{shown}: cannot reach Prometheus: {type(exc).__name__}: {exc}"
        ) from None
    finally:
        if own:
            http.close()
    body = response.content
    try:
        doc = response.json()
    except ValueError:
        doc = None
    if not isinstance(doc, dict) or "status" not in doc:
        raise EvidenceError(
            f"{shown}: HTTP {response.status_code}, not a Prometheus API answer: {_snippet(body)}"
        )
    if doc["status"] != "success":
        raise EvidenceError(
            f"{shown}: query failed ({doc.get('errorType', 'error')}): {doc.get('error', '')}"
        )
    try:
        rows, invalid = _samples(doc["data"])
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise EvidenceError(f"{shown}: malformed result data: {exc}") from None
    item = EvidenceItem(
        shown,
        hashlib.sha256(body).hexdigest(),
        len(rows),
        invalid=len(invalid),
        invalid_lines=tuple(invalid[:MAX_INVALID_LINES_LISTED]),
        detail={"query": config.query, "result_type": doc["data"]["resultType"]},
    )
    return Records(rows, [item], config.time)


def _request(config: PrometheusSource, at: datetime) -> tuple[str, dict[str, str]]:
    base = config.url.rstrip("/")
    if config.range is None:
        return f"{base}/api/v1/query", {"query": config.query, "time": rfc3339(at)}
    start = at - timedelta(seconds=parse_duration(config.range))
    step = parse_duration(config.step or DEFAULT_STEP)
    params = {
        "query": config.query,
        "start": rfc3339(start),
        "end": rfc3339(at),
        "step": f"{step}s",
    }
    return f"{base}/api/v1/query_range", params


def _samples(data: dict[str, Any]) -> tuple[list[dict[str, Any]], list[int]]:
    kind, result = data["resultType"], data["result"]
    series: list[tuple[dict[str, Any], list[Any]]]
    if kind == "vector":
        series = [(s["metric"], [s["value"]]) for s in result]
    elif kind == "matrix":
        series = [(s["metric"], s["values"]) for s in result]
    elif kind == "scalar":
        series = [({}, [result])]
    else:
        raise ValueError(f"result type {kind!r} has no numeric samples")
    rows: list[dict[str, Any]] = []
    invalid: list[int] = []
    index = 0
    for labels, points in series:
        for stamp, text in points:
            index += 1
            value = float(text)
            if not math.isfinite(value):
                invalid.append(index)
                continue
            rows.append({**labels, "value": value, "time": from_epoch(float(stamp))})
    return rows, invalid


def _snippet(body: bytes) -> str:
    text = body[:200].decode("utf-8", errors="replace").strip()
    return repr(text) if text else "(empty body)"
