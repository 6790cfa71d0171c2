"""Time golive over hive-partitioned Parquet, with and without partition pruning.

Generates (and caches under benchmarks/.data/) N rows of router telemetry over
100 days, written by DuckDB ``COPY ... PARTITION_BY (year, month, day)``: one
folder per day. The same eight checks as bench_sql.py run with a 10-day window,
which touches one partition in ten, two ways, each in its own child process:

  (a) pruned:   ``partition_time: {year: year, month: month, day: day}``: golive
      reads (and hashes) only the partitions the window can hold
  (b) unpruned: the same source without ``partition_time``: every file is read
      and hashed (DuckDB may still skip row groups by their statistics)

and prints wall time, peak RSS, files read and whether the values agree.

    python benchmarks/bench_parquet.py                  # 50,000,000 rows
    python benchmarks/bench_parquet.py --rows 5000000   # a quick run
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_sql import evaluate_checks, peak_rss_mib, same  # noqa: E402  (a sibling script, not a package)

AT = datetime(2025, 12, 18, tzinfo=UTC)
DAYS = 100

GENERATE = """
COPY (
    SELECT ts, year(ts) AS year, month(ts) AS month, day(ts) AS day,
           CASE WHEN h % 100 < 70 THEN 'process_v5' WHEN h % 100 < 92 THEN 'route_v3'
                ELSE 'healthcheck' END AS action,
           CASE WHEN h2 % 100 < 65 THEN 'local' WHEN h2 % 100 < 90 THEN 'strict'
                ELSE 'cloud' END AS lane,
           CASE WHEN h3 % 100 < 92 THEN 'ok' WHEN h3 % 100 < 95 THEN 'error'
                ELSE 'rejected' END AS status,
           round(20 + (h2 % 1000) * (h3 % 7 + 1) / 3.0, 1)::DOUBLE AS duration_ms,
           (['core/router.py', 'bridge/core/queue.py', 'bridge/adapters/slack.py',
             'launchd/agent.plist', 'docs/runbook.md', 'tests/test_router.py'])[1 + h3 % 6]
             AS path
    FROM (
        SELECT TIMESTAMPTZ '2025-12-18 00:00:00+00'
                 - to_microseconds(CAST(g * ({days} * 86400000000 // {rows}) AS BIGINT)) AS ts,
               (hash(g) % 1000003)::BIGINT AS h, (hash(g + 7) % 1000003)::BIGINT AS h2,
               (hash(g + 13) % 1000003)::BIGINT AS h3
        FROM range(1, {rows} + 1) AS t(g)
    )
) TO '{target}' (FORMAT parquet, PARTITION_BY (year, month, day), OVERWRITE_OR_IGNORE)
"""


def ensure_data(rows: int) -> tuple[Path, float | None]:
    """The partitioned dataset for ``rows`` rows, generated unless already there."""
    folder = HERE / ".data" / f"parquet_{rows}"
    done = folder / "COMPLETE"
    if done.exists():
        return folder, None
    import duckdb

    started = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    connection = duckdb.connect()
    connection.execute("SET preserve_insertion_order = false")
    connection.execute(GENERATE.format(rows=rows, days=DAYS, target=folder / "events"))
    done.write_text("ok\n")
    return folder, time.perf_counter() - started


def run(folder: Path, pruned: bool) -> dict[str, Any]:
    source: dict[str, Any] = {
        "type": "parquet",
        "path": "events/**/*.parquet",
        "time": "ts",
        "hive_partitioning": True,
    }
    if pruned:
        source["partition_time"] = {"year": "year", "month": "month", "day": "day"}
    card = evaluate_checks("bench-parquet", source, "10d", folder)
    return {
        "values": {c.id: c.observed for c in card.checks},
        "files": len(card.checks[0].evidence),
    }


def child(mode: str, folder: Path) -> None:
    result = run(folder, pruned=mode == "pruned")
    result["peak_mib"] = peak_rss_mib()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result["cpu_s"] = usage.ru_utime + usage.ru_stime  # steadier than wall time on a busy host
    print(json.dumps(result))


def measure(mode: str, folder: Path) -> dict[str, Any]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--folder", str(folder)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    result["wall_s"] = time.perf_counter() - started
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000_000)
    parser.add_argument("--child", choices=["pruned", "unpruned"])
    parser.add_argument("--folder", type=Path)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each way; best is shown")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.folder)
        return
    folder, generated_s = ensure_data(args.rows)
    size = sum(p.stat().st_size for p in folder.rglob("*.parquet"))
    files = len(list(folder.rglob("*.parquet")))
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    runs: dict[str, list[dict[str, Any]]] = {"pruned": [], "unpruned": []}
    for _ in range(args.repeat):
        for mode in runs:
            runs[mode].append(measure(mode, folder))
    pruned, unpruned = (min(runs[m], key=lambda r: r["wall_s"]) for m in ("pruned", "unpruned"))
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    agree = all(same(pruned["values"][k], unpruned["values"][k]) for k in pruned["values"])
    made = "cached" if generated_s is None else f"generated in {generated_s:.1f} s"
    print(f"rows: {args.rows:,}; {files} files, {size / 2**20:.0f} MiB; {made}")
    print("\n| way | wall (s) | CPU (s) | peak RSS (MiB) | files read | values |")
    print("|---|---:|---:|---:|---:|---|")
    for name, result in (("pruned (partition_time)", pruned), ("unpruned", unpruned)):
        verdict = "reference" if result is pruned else ("agree" if agree else "DIFFER")
        print(
            f"| {name} | {result['wall_s']:.2f} | {result['cpu_s']:.2f} | "
            f"{result['peak_mib']:.0f} | {result['files']} | {verdict} |"
        )
    print(f"\nspeed-up from pruning: {unpruned['wall_s'] / pruned['wall_s']:.1f}x wall, ", end="")
    print(f"{unpruned['cpu_s'] / pruned['cpu_s']:.1f}x CPU")
    print(json.dumps(pruned["values"]))


if __name__ == "__main__":
    main()
