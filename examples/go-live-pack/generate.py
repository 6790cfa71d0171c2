"""Write the pack's time-dependent evidence for the last 48 hours, ending now.

Usage: python generate.py [FOLDER]   (default: this folder)

- evidence/challenger.jsonl: one routing summary an hour; challenger utility 12-15%.
- evidence/otel/traces.jsonl: 40 workflow runs in OTLP JSON (file exporter), 39 of them
  traced end to end (97.5%); the last one lost its payment span's parent.
Deterministic apart from the clock: the same minute gives the same files.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path


def challenger(now: datetime) -> list[dict[str, object]]:
    rows = []
    for hour in range(48):
        at = now - timedelta(hours=47 - hour, minutes=30)
        rows.append(
            {
                "ts": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "router": "challenger",
                "requests": 1000 + hour,
                "utility": round(0.12 + (hour % 4) * 0.01, 4),
                # A credential a careless exporter left in: the bundle redacts it.
                "token": f"tok_live_{hour:04d}",
            }
        )
    return rows


def _nanos(at: datetime) -> str:
    return str(int(at.timestamp()) * 1_000_000_000)


def _span(trace: str, span: str, parent: str, name: str, at: datetime, ms: int) -> dict:
    attributes = [{"key": "workflow.name", "value": {"stringValue": "route-request"}}]
    return {
        "traceId": trace,
        "spanId": span,
        "parentSpanId": parent,
        "name": name,
        "kind": 2 if not parent else 3,
        "startTimeUnixNano": _nanos(at),
        "endTimeUnixNano": str(int(_nanos(at)) + ms * 1_000_000),
        "attributes": attributes if not parent else [],
        "status": {"code": 1},
    }


def traces(now: datetime) -> list[dict[str, object]]:
    lines = []
    for n in range(40):
        at = now - timedelta(hours=47 - n, minutes=10)
        trace = f"{n + 1:032x}"
        root, child = f"{n + 1:08x}aaaaaaaa", f"{n + 1:08x}bbbbbbbb"
        # The last run's payment span names a parent that never arrived: not end to end.
        parent = root if n < 39 else "ffffffffffffffff"
        spans = [
            _span(trace, root, "", "POST /route", at, 80),
            _span(trace, child, parent, "POST challenger", at + timedelta(milliseconds=5), 60),
        ]
        resource = {"attributes": [{"key": "service.name", "value": {"stringValue": "router"}}]}
        lines.append(
            {"resourceSpans": [{"resource": resource, "scopeSpans": [{"spans": spans}]}]}
        )
    return lines


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    (folder / "evidence" / "otel").mkdir(parents=True, exist_ok=True)
    for path, rows in (
        ("evidence/challenger.jsonl", challenger(now)),
        ("evidence/otel/traces.jsonl", traces(now)),
    ):
        text = "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in rows)
        (folder / path).write_text(text)


if __name__ == "__main__":
    main()
