"""Time golive's push-down into PostgreSQL against fetching the rows into Python.

Loads N rows of router telemetry into the PostgreSQL named by
GOLIVE_BENCH_POSTGRES_URL (else GOLIVE_TEST_POSTGRES_URL) with one
``INSERT ... SELECT ... FROM generate_series`` (kept in schema ``golive_bench``
for the next run), then answers the same eight checks two ways, each in its own
child process:

  (a) golive: ``evaluate`` on a ``sql`` source: one statement runs in the server,
      one row comes back
  (b) python: a server-side cursor streams every row to the client, which
      aggregates them (an ``array('d')`` of durations for the exact p95)

and prints wall time, client peak RSS and whether the values agree, as Markdown.

    python benchmarks/bench_sql.py                  # 20,000,000 rows
    python benchmarks/bench_sql.py --rows 1000000   # a quick run
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from array import array
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

HERE = Path(__file__).resolve().parent
AT = datetime(2025, 12, 18, tzinfo=UTC)
SCHEMA = "golive_bench"
GUARDED = ("core/", "bridge/core/", "launchd/")
CHECKS: list[dict[str, Any]] = [
    {"id": "v5.volume", "where": 'action == "process_v5"', "measure": "count"},
    {"id": "v5.strict", "where": 'action == "process_v5" and lane == "strict"', "measure": "count"},
    {"id": "v5.local", "where": 'action == "process_v5" and lane == "local"', "measure": "count"},
    {
        "id": "v5.rejected",
        "where": 'action == "process_v5" and status == "rejected"',
        "measure": "count",
    },
    {
        "id": "v5.error-rate",
        "where": 'action == "process_v5"',
        "measure": "ratio",
        "of": 'status == "error"',
    },
    {
        "id": "v5.p95-duration",
        "where": 'action == "process_v5"',
        "measure": "p95",
        "field": "duration_ms",
    },
    {"id": "v5.span", "where": 'action == "process_v5"', "measure": "span"},
    {
        "id": "guarded.touches",
        "where": " or ".join(f'startswith(path, "{p}")' for p in GUARDED),
        "measure": "count",
    },
]

LOAD = """
INSERT INTO {table}
SELECT TIMESTAMPTZ '2025-12-18 00:00:00+00' - (g * (28 * 86400.0 / {rows})) * INTERVAL '1 second',
       CASE WHEN h % 100 < 70 THEN 'process_v5' WHEN h % 100 < 92 THEN 'route_v3'
            ELSE 'healthcheck' END,
       CASE WHEN h2 % 100 < 65 THEN 'local' WHEN h2 % 100 < 90 THEN 'strict' ELSE 'cloud' END,
       CASE WHEN h3 % 100 < 92 THEN 'ok' WHEN h3 % 100 < 95 THEN 'error' ELSE 'rejected' END,
       'WO-' || lpad((h % 50000)::text, 5, '0'),
       round((20 + (h2 % 1000) * (h3 % 7 + 1) / 3.0)::numeric, 1)::double precision,
       (ARRAY['core/router.py', 'bridge/core/queue.py', 'bridge/adapters/slack.py',
              'launchd/agent.plist', 'docs/runbook.md', 'tests/test_router.py'])[1 + h3 % 6]
FROM (SELECT g, abs(hashint4(g)::bigint) AS h, abs(hashint4(g + 7)::bigint) AS h2,
             abs(hashint4(g + 13)::bigint) AS h3
      FROM generate_series(1, {rows}) AS g) AS s
"""


def url() -> str:
    found = os.environ.get("GOLIVE_BENCH_POSTGRES_URL") or os.environ.get(
        "GOLIVE_TEST_POSTGRES_URL"
    )
    if not found:
        sys.exit("set GOLIVE_BENCH_POSTGRES_URL (or GOLIVE_TEST_POSTGRES_URL) to a PostgreSQL URL")
    return found


def ensure_table(rows: int) -> tuple[str, float | None]:
    """``golive_bench.router_<rows>``, loaded unless it already holds ``rows`` rows."""
    table = f"{SCHEMA}.router_{rows}"
    engine = sa.create_engine(url())
    with engine.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
        exists = connection.exec_driver_sql(f"SELECT to_regclass('{table}')").scalar()
        if exists is not None:
            return table, None
        started = time.perf_counter()
        connection.exec_driver_sql(
            f"CREATE UNLOGGED TABLE {table} (ts timestamptz, action text, lane text, "
            "status text, wo_id text, duration_ms double precision, path text)"
        )
        connection.execute(sa.text(LOAD.format(table=table, rows=rows)))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql(f"VACUUM ANALYZE {table}")
    engine.dispose()
    return table, time.perf_counter() - started


def evaluate_checks(name: str, source: dict[str, Any], window: str, base_dir: Path) -> Any:
    """The scorecard of CHECKS over ``source`` at AT; stops the run on any ``error``."""
    from golive.engine.evaluate import evaluate
    from golive.spec.models import Spec

    spec = Spec.model_validate(
        {
            "version": 1,
            "name": name,
            "sources": {"router": source},
            "defaults": {"window": window},
            "checks": [{"source": "router", "expect": ">= 0", **c} for c in CHECKS],
        }
    )
    card = evaluate(spec, base_dir=base_dir, spec_path="bench", spec_sha256="0" * 64, at=AT)
    for check in card.checks:
        if check.status == "error":
            raise SystemExit(check.message)
    return card


def run_golive(table: str) -> dict[str, float | None]:
    os.environ["GOLIVE_BENCH_URL"] = url()
    source = {"type": "sql", "url_env": "GOLIVE_BENCH_URL", "table": table, "time": "ts"}
    card = evaluate_checks("bench-sql", source, "30d", HERE)
    return {c.id: c.observed for c in card.checks}


def percentile(ordered: array[float], q: float) -> float | None:
    if not ordered:
        return None
    rank = (len(ordered) - 1) * q
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def run_python(table: str) -> dict[str, float | None]:
    low = AT.timestamp() - 30 * 86400
    high = AT.timestamp()
    counts = dict.fromkeys(("v5", "strict", "local", "rejected", "error", "guarded"), 0)
    durations: array[float] = array("d")
    first = last = None
    engine = sa.create_engine(url())
    with engine.connect() as connection:
        result = connection.execution_options(stream_results=True, yield_per=50_000).execute(
            sa.text(f"SELECT ts, action, lane, status, duration_ms, path FROM {table}")
        )
        for ts, action, lane, status, duration, path in result:
            if ts is None or not (low < ts.timestamp() <= high):
                continue
            if path is not None and path.startswith(GUARDED):
                counts["guarded"] += 1
            if action != "process_v5":
                continue
            counts["v5"] += 1
            counts["strict"] += lane == "strict"
            counts["local"] += lane == "local"
            counts["rejected"] += status == "rejected"
            counts["error"] += status == "error"
            if duration is not None:
                durations.append(duration)
            stamp = ts.timestamp()
            first = stamp if first is None else min(first, stamp)
            last = stamp if last is None else max(last, stamp)
    engine.dispose()
    ordered = array("d", sorted(durations))
    return {
        "v5.volume": counts["v5"],
        "v5.strict": counts["strict"],
        "v5.local": counts["local"],
        "v5.rejected": counts["rejected"],
        "v5.error-rate": counts["error"] / counts["v5"] if counts["v5"] else None,
        "v5.p95-duration": percentile(ordered, 0.95),
        "v5.span": None if first is None or last is None else last - first,
        "guarded.touches": counts["guarded"],
    }


def peak_rss_mib() -> float:
    """This process's peak RSS (VmHWM: unlike ru_maxrss, not inherited from the parent)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status (Linux only)")


def child(mode: str, table: str) -> None:
    values = run_golive(table) if mode == "golive" else run_python(table)
    print(json.dumps({"values": values, "peak_mib": peak_rss_mib()}))


def measure(mode: str, table: str) -> dict[str, Any]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--table", table],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    result["wall_s"] = time.perf_counter() - started
    return result


def same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000_000)
    parser.add_argument("--child", choices=["golive", "python"])
    parser.add_argument("--table")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each way; best is shown")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.table)
        return
    table, load_s = ensure_table(args.rows)
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    runs: dict[str, list[dict[str, Any]]] = {"golive": [], "python": []}
    for _ in range(args.repeat):
        for mode in runs:
            runs[mode].append(measure(mode, table))
    golive, python = (min(runs[m], key=lambda r: r["wall_s"]) for m in ("golive", "python"))
    agree = all(same(golive["values"][k], python["values"][k]) for k in golive["values"])
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    print(f"rows: {args.rows:,}; load: " + ("cached" if load_s is None else f"{load_s:.1f} s"))
    print("\n| way | best wall (s) | all walls (s) | client peak RSS (MiB) | values |")
    print("|---|---:|---|---:|---|")
    for name, mode in (("golive push-down", "golive"), ("Python, server-side cursor", "python")):
        best = golive if mode == "golive" else python
        verdict = "reference" if mode == "golive" else ("agree" if agree else "DIFFER")
        walls = ", ".join(f"{r['wall_s']:.1f}" for r in runs[mode])
        peak = max(r["peak_mib"] for r in runs[mode])
        print(f"| {name} | {best['wall_s']:.2f} | {walls} | {peak:.0f} | {verdict} |")
    print(f"\nspeed-up (best to best): {python['wall_s'] / golive['wall_s']:.1f}x")
    print(json.dumps(golive["values"]))


if __name__ == "__main__":
    main()
