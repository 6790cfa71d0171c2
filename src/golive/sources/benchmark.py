"""Benchmark results: pytest-benchmark JSON, locust ``_stats.csv`` and k6 summary JSON.

Every record has the same fields whatever the tool: ``name``, ``tool``, ``p50_ms``,
``p95_ms``, ``p99_ms``, ``mean_ms``, ``min_ms``, ``max_ms``, ``rps``, ``errors``,
``requests`` and ``aggregated`` (true on the all-endpoints row); a value the tool
does not report is null (numeric measures skip nulls, so it never passes a check).
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from pathlib import Path
from typing import Any

from golive.errors import EvidenceError
from golive.sources._files import expand, read_bytes
from golive.sources._time import parse_timestamp
from golive.sources.base import EvidenceItem, Records
from golive.spec.sources import BenchmarkSource

FORMATS = ("pytest-benchmark", "locust", "k6")
_K6_TAGGED = re.compile(r"^(?P<metric>[a-z_]+)\{(?P<tags>.*)\}$")


def read(config: BenchmarkSource, base_dir: Path) -> Records:
    """Read every benchmark file the config names; one record per benchmark or endpoint."""
    rows: list[dict[str, Any]] = []
    evidence: list[EvidenceItem] = []
    for match in expand(config.path, base_dir):
        data, sha = read_bytes(match)
        fmt = config.format if config.format != "auto" else _detect(data, match.name)
        try:
            found = _PARSERS[fmt](data)
        except RecursionError:
            raise EvidenceError(
                f"{match.name}: not a valid {fmt} result: nested too deeply"
            ) from None
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise EvidenceError(f"{match.name}: not a valid {fmt} result: {exc}") from None
        for row in found:
            row["file"] = match.name
        rows.extend(found)
        evidence.append(EvidenceItem(match.name, sha, len(found), detail={"format": fmt}))
    return Records(rows, evidence, config.time)


def _detect(data: bytes, name: str) -> str:
    text = data.lstrip()[:4096].decode("utf-8", errors="replace")
    if text.startswith("{"):
        try:
            doc = json.loads(data)
        except RecursionError:
            raise EvidenceError(f"{name}: JSON nested too deeply to be a result") from None
        except ValueError as exc:
            raise EvidenceError(f"{name}: invalid JSON ({exc}); is the file truncated?") from None
        if isinstance(doc, dict) and isinstance(doc.get("benchmarks"), list):
            return "pytest-benchmark"
        if isinstance(doc, dict) and isinstance(doc.get("metrics"), dict):
            return "k6"
    elif text.startswith(("Type,Name,", '"Type","Name",')):
        return "locust"
    raise EvidenceError(
        f"{name}: unrecognised benchmark format; expected pytest-benchmark --benchmark-json, "
        "a locust _stats.csv or a k6 --summary-export JSON (or set format: to one of "
        f"{', '.join(FORMATS)})"
    )


def _record(name: str, tool: str, **values: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"name": name, "tool": tool, "aggregated": False}
    for key in ("p50_ms", "p95_ms", "p99_ms", "mean_ms", "min_ms", "max_ms", "rps"):
        row[key] = values.pop(key, None)
    row["errors"] = values.pop("errors", None)
    row["requests"] = values.pop("requests", None)
    row.update(values)
    return row


def _pytest_benchmark(data: bytes) -> list[dict[str, Any]]:
    doc = json.loads(data)
    rows = []
    for bench in doc["benchmarks"]:
        stats = bench["stats"]
        raw = stats.get("data")  # present with --benchmark-save-data only
        timings = sorted(float(t) for t in raw) if isinstance(raw, list) and raw else None
        rows.append(
            _record(
                bench["name"],
                "pytest-benchmark",
                p50_ms=_ms(stats.get("median")),
                p95_ms=_ms(_percentile(timings, 0.95)),
                p99_ms=_ms(_percentile(timings, 0.99)),
                mean_ms=_ms(stats.get("mean")),
                min_ms=_ms(stats.get("min")),
                max_ms=_ms(stats.get("max")),
                rps=_number(stats.get("ops")),
                requests=_number(stats.get("rounds")),
                fullname=bench.get("fullname"),
                group=bench.get("group"),
                time=parse_timestamp(str(doc.get("datetime", ""))),
            )
        )
    return rows


def _locust(data: bytes) -> list[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(data.decode("utf-8")))
    missing = {"Name", "Request Count", "Failure Count", "Requests/s"} - set(
        reader.fieldnames or []
    )
    if missing:
        raise ValueError(f"missing column(s) {', '.join(sorted(missing))}")
    rows = []
    for line in reader:
        if None in line:
            raise ValueError(f"line {reader.line_num} has more cells than the header")
        aggregated = line["Name"] == "Aggregated"
        rows.append(
            _record(
                line["Name"],
                "locust",
                p50_ms=_number(line.get("50%")),
                p95_ms=_number(line.get("95%")),
                p99_ms=_number(line.get("99%")),
                mean_ms=_number(line.get("Average Response Time")),
                min_ms=_number(line.get("Min Response Time")),
                max_ms=_number(line.get("Max Response Time")),
                rps=_number(line["Requests/s"]),
                errors=_number(line["Failure Count"]),
                requests=_number(line["Request Count"]),
                aggregated=aggregated,
                method=line.get("Type") or None,
            )
        )
    return rows


def _k6(data: bytes) -> list[dict[str, Any]]:
    metrics = json.loads(data)["metrics"]
    # handleSummary's JSON nests the numbers under "values"; --summary-export does not.
    values = {
        key: (m["values"] if isinstance(m.get("values"), dict) else m) for key, m in metrics.items()
    }
    if "http_req_duration" not in values:
        raise ValueError("no http_req_duration metric")
    endpoints: dict[str, str] = {"": "http_req_duration"}
    for key in values:
        tagged = _K6_TAGGED.match(key)
        # k6 always adds {expected_response:true}: a filter, not an endpoint.
        if (
            tagged
            and tagged["metric"] == "http_req_duration"
            and not tagged["tags"].startswith("expected_response:")
        ):
            endpoints[tagged["tags"]] = key
    rows = []
    for tags, key in endpoints.items():
        trend = values[key]
        suffix = f"{{{tags}}}" if tags else ""
        reqs = values.get(f"http_reqs{suffix}", {})
        failed = values.get(f"http_req_failed{suffix}")
        rows.append(
            _record(
                _k6_name(tags) if tags else "Aggregated",
                "k6",
                p50_ms=_number(trend.get("med", trend.get("p(50)"))),
                p95_ms=_number(trend.get("p(95)")),
                p99_ms=_number(trend.get("p(99)")),
                mean_ms=_number(trend.get("avg")),
                min_ms=_number(trend.get("min")),
                max_ms=_number(trend.get("max")),
                rps=_number(reqs.get("rate")),
                # A Rate metric counts true values as "passes": for http_req_failed, failures.
                errors=_number(failed.get("passes")) if failed else None,
                requests=_number(reqs.get("count")),
                aggregated=not tags,
                tags=tags or None,
            )
        )
    return rows


def _k6_name(tags: str) -> str:
    pairs = dict(part.split(":", 1) for part in tags.split(",") if ":" in part)
    return pairs.get("name") or pairs.get("url") or tags


def _number(value: Any) -> float | int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return value if math.isfinite(value) else None
    text = str(value).strip()
    if text in ("", "N/A"):
        return None
    number = float(text)
    if not math.isfinite(number):
        return None
    return int(number) if number.is_integer() and "." not in text else number


def _ms(seconds: Any) -> float | None:
    value = _number(seconds)
    return None if value is None else value * 1000.0


def _percentile(sorted_values: list[float] | None, q: float) -> float | None:
    # Linear interpolation between closest ranks, as the engine's percentiles do.
    if not sorted_values:
        return None
    pos = (len(sorted_values) - 1) * q
    low = math.floor(pos)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (pos - low)


_PARSERS = {"pytest-benchmark": _pytest_benchmark, "locust": _locust, "k6": _k6}
