"""Time golive check, jq and a plain Python loop on one large router log.

Generates (and caches under benchmarks/.data/) an N-line JSON Lines router log,
then answers the nine checks of benchmarks/bench_jsonl.yaml three ways, each in
its own child process, on the same file:

  (a) golive check benchmarks/bench_jsonl.yaml --json --no-record --at <instant>
  (b) jq, one pipeline per check, as a shell script would do it
  (c) a plain Python loop, json.loads per line, all checks in one pass

and prints wall time, peak RSS and whether the values agree, as a Markdown table.

    python benchmarks/bench_jsonl.py                  # 5,000,000 lines (about 1 GB)
    python benchmarks/bench_jsonl.py --lines 100000   # a quick run
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shlex
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SPEC = HERE / "bench_jsonl.yaml"
DATA_DIR = HERE / ".data"
DATA = DATA_DIR / "gateway_v3_router.log"  # the path bench_jsonl.yaml names
META = DATA_DIR / "gateway_v3_router.meta.json"
AT = datetime(2025, 12, 18, tzinfo=UTC)
AT_TEXT = "2025-12-18T00:00:00Z"
HISTORY = timedelta(days=28)  # the log covers the 28 days before AT
WINDOW = timedelta(days=30)  # defaults.window of bench_jsonl.yaml
GENERATOR = {"version": 1, "seed": 20251218}
CHUNK = 100_000
GUARDED = ("core/", "bridge/core/", "launchd/")

ACTIONS = ["process_v5", "route_v3", "healthcheck"], [70, 22, 8]
LANES = ['"local"', '"strict"', '"cloud"'], [65, 25, 10]
STATUSES = ["ok", "error", "rejected"], [92, 3, 5]
HOSTS = ["gw-01", "gw-02", "gw-03", "gw-04"]
PATHS = [
    "core/router.py",
    "core/policy.py",
    "bridge/core/queue.py",
    "bridge/adapters/slack.py",
    "launchd/agent.plist",
    "docs/runbook.md",
    "docs/core/overview.md",
    "tests/test_router.py",
    "examples/wo_template.yaml",
    "telemetry/dashboards/router.json",
]

# One shell pipeline per check, as a shell-script user would write it. Every record
# lies inside the 30-day window, so none filters on time (which favours jq).
_V5 = 'select(.action == "process_v5")'
_P95_AWK = (
    "{v[NR] = $1} END {h = (NR - 1) * 0.95; lo = int(h); "
    'printf "%.17g\\n", v[lo + 1] + (h - lo) * (v[lo + 2] - v[lo + 1])}'
)
_MINMAX_AWK = "NR == 1 {a = $0; b = $0} $0 < a {a = $0} $0 > b {b = $0} END {print a; print b}"
JQ: dict[str, str] = {
    "v5.volume": f"jq -c '{_V5}' {{file}} | wc -l",
    "v5.strict": 'jq -c \'select(.action == "process_v5" and .lane == "strict")\' {file} | wc -l',
    "v5.local": 'jq -c \'select(.action == "process_v5" and .lane == "local")\' {file} | wc -l',
    "v5.rejected": 'jq -c \'select(.action == "process_v5" and .status == "rejected")\' {file}'
    " | wc -l",
    "v5.error-rate": f"jq -r '{_V5} | .status' {{file}}"
    ' | awk \'{n++} $0 == "error" {e++} END {printf "%.17g\\n", e / n}\'',
    "v5.p95-duration": f"jq '{_V5} | .duration_ms' {{file}} | sort -n | awk '{_P95_AWK}'",
    "v5.work-orders": f"jq -r '{_V5} | .wo_id' {{file}} | sort -u | wc -l",
    "v5.span": f"jq -r '{_V5} | .ts' {{file}} | awk '{_MINMAX_AWK}'",
    "guarded.touches": 'jq -c \'select((.path | startswith("core/"))'
    ' or (.path | startswith("bridge/core/")) or (.path | startswith("launchd/")))\''
    " {file} | wc -l",
}

# Runs a command and reports its wall time and the peak RSS of its process tree: a
# fresh process per measurement, so RUSAGE_CHILDREN holds that command's tree only.
_MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
wall = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"wall": wall, "peak_kib": peak, "code": done.returncode,
                  "stdout": done.stdout, "stderr": done.stderr[-2000:]}))
"""


@dataclass
class Run:
    """One measured child process."""

    wall: float
    peak_kib: int
    code: int
    stdout: str
    stderr: str


@dataclass
class Row:
    """One line of the results table."""

    tool: str
    wall: float | None
    peak_kib: int | None
    values: dict[str, float | None]
    note: str = ""


def measure(argv: list[str], env: dict[str, str] | None = None) -> Run:
    """Run ``argv`` in a fresh wrapper process; return its time, peak RSS and output."""
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *argv],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return Run(**json.loads(done.stdout))


def generate(path: Path, lines: int) -> None:
    """Write ``lines`` router records, evenly spread over the 28 days before AT."""
    rng = random.Random(GENERATOR["seed"])
    durations = [max(1, int(rng.lognormvariate(5.3, 0.6))) for _ in range(4096)]
    start_ms = int((AT - HISTORY).timestamp() * 1000)
    span_ms = int(HISTORY.total_seconds() * 1000)
    wo_ids = range(1, 400_001)
    tmp = path.with_suffix(".tmp")
    last_second, prefix = -1, ""
    with tmp.open("w", encoding="utf-8", newline="\n") as out:
        for begin in range(0, lines, CHUNK):
            n = min(CHUNK, lines - begin)
            actions = rng.choices(*ACTIONS, k=n)
            lanes = rng.choices(*LANES, k=n)
            statuses = rng.choices(*STATUSES, k=n)
            hosts = rng.choices(HOSTS, k=n)
            wos = rng.choices(wo_ids, k=n)
            took = rng.choices(durations, k=n)
            paths = rng.choices(PATHS, k=n)
            traces = [rng.getrandbits(64) for _ in range(n)]
            chunk = []
            for j in range(n):
                ms = start_ms + (begin + j) * span_ms // lines
                if ms // 1000 != last_second:
                    # Formatting the date once per second, not once per line, keeps this fast.
                    last_second = ms // 1000
                    prefix = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(last_second))
                v5 = actions[j] == "process_v5"
                chunk.append(
                    f'{{"ts":"{prefix}.{ms % 1000:03d}Z","host":"{hosts[j]}",'
                    f'"trace_id":"{traces[j]:016x}","action":"{actions[j]}",'
                    f'"lane":{lanes[j] if v5 else "null"},'
                    f'"status":"{statuses[j] if v5 else "ok"}","wo_id":"WO-{wos[j]:07d}",'
                    f'"duration_ms":{took[j]},"path":"{paths[j]}"}}\n'
                )
            out.writelines(chunk)
    tmp.replace(path)


def ensure_data(lines: int) -> bool:
    """Generate the log unless the cached one has the same size and generator; True if made."""
    wanted = {**GENERATOR, "lines": lines}
    if DATA.exists() and META.exists() and json.loads(META.read_text()) == wanted:
        return False
    DATA_DIR.mkdir(exist_ok=True)
    META.unlink(missing_ok=True)
    generate(DATA, lines)
    META.write_text(json.dumps(wanted) + "\n")
    return True


def warm(path: Path) -> None:
    """Read the file once so that every tool starts with it in the page cache."""
    with path.open("rb") as f:
        while f.read(1 << 24):
            pass


def python_loop(path: Path) -> dict[str, float | None]:
    """The checks of bench_jsonl.yaml in one pass of json.loads, window (AT - 30d, AT]."""
    start = AT - WINDOW
    counts = dict.fromkeys(("volume", "strict", "local", "rejected", "error", "guarded"), 0)
    durations: list[float] = []
    work_orders: set[str] = set()
    first: datetime | None = None
    last: datetime | None = None
    with path.open("rb") as f:
        for line in f:
            record = json.loads(line)
            t = datetime.fromisoformat(record["ts"])
            if not start < t <= AT:
                continue
            p = record.get("path")
            if isinstance(p, str) and p.startswith(GUARDED):
                counts["guarded"] += 1
            if record.get("action") != "process_v5":
                continue
            counts["volume"] += 1
            counts["strict"] += record.get("lane") == "strict"
            counts["local"] += record.get("lane") == "local"
            counts["rejected"] += record.get("status") == "rejected"
            counts["error"] += record.get("status") == "error"
            d = record.get("duration_ms")
            if isinstance(d, int | float) and not isinstance(d, bool):
                durations.append(d)
            if record.get("wo_id") is not None:
                work_orders.add(record["wo_id"])
            first = t if first is None or t < first else first
            last = t if last is None or t > last else last
    volume = counts["volume"]
    return {
        "v5.volume": volume,
        "v5.strict": counts["strict"],
        "v5.local": counts["local"],
        "v5.rejected": counts["rejected"],
        "v5.error-rate": counts["error"] / volume if volume else None,
        "v5.p95-duration": percentile(sorted(durations), 0.95),
        "v5.work-orders": len(work_orders),
        "v5.span": (last - first).total_seconds() if first and last else None,
        "guarded.touches": counts["guarded"],
    }


def percentile(ordered: list[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default)."""
    if not ordered:
        return None
    h = (len(ordered) - 1) * q
    lo = math.floor(h)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (h - lo) * (ordered[hi] - ordered[lo])


def find_golive() -> str | None:
    """The golive executable of this checkout's .venv, else on PATH, if it has ``check``."""
    local = ROOT / ".venv" / "bin" / "golive"
    exe = str(local) if local.exists() else shutil.which("golive")
    if exe is None:
        return None
    probe = subprocess.run([exe, "check", "--help"], capture_output=True, text=True)
    return exe if probe.returncode == 0 else None


def run_golive() -> Row:
    """(a): golive check, one process."""
    exe = find_golive()
    if exe is None:
        return Row("golive check", None, None, {}, "golive: not available")
    run = measure([exe, "check", str(SPEC), "--json", "--no-record", "--at", AT_TEXT])
    if run.code not in (0, 1):  # 1 is "not ready", still a full evaluation
        first = (run.stderr.strip().splitlines() or ["no message"])[-1]
        return Row("golive check", run.wall, run.peak_kib, {}, f"failed ({run.code}): {first}")
    scorecard = json.loads(run.stdout)
    values = {c["id"]: c["observed"] for c in scorecard["checks"]}
    return Row("golive check", run.wall, run.peak_kib, values)


def run_jq(path: Path) -> tuple[Row, dict[str, float]]:
    """(b): one jq pipeline per check; returns the row and each pipeline's wall time."""
    if shutil.which("jq") is None:
        return Row(f"jq ({len(JQ)} pipelines)", None, None, {}, "jq: not available"), {}
    values: dict[str, float | None] = {}
    walls: dict[str, float] = {}
    peak = 0
    env = {**os.environ, "LC_ALL": "C"}  # byte order for sort and awk: faster, and exact
    for check_id, template in JQ.items():
        script = template.replace("{file}", shlex.quote(str(path)))
        run = measure(["sh", "-c", script], env)
        if run.code != 0:
            raise SystemExit(f"jq pipeline for {check_id} failed: {run.stderr.strip()}")
        walls[check_id] = run.wall
        peak = max(peak, run.peak_kib)
        values[check_id] = parse_jq(check_id, run.stdout)
        print(f"  jq {check_id}: {run.wall:.2f}s", file=sys.stderr)
    return Row(f"jq ({len(JQ)} pipelines)", sum(walls.values()), peak, values), walls


def parse_jq(check_id: str, stdout: str) -> float | None:
    """A pipeline's output as the observed value (the span pipeline prints first and last)."""
    if check_id == "v5.span":
        first, last = (datetime.fromisoformat(s) for s in stdout.split())
        return (last - first).total_seconds()
    return float(stdout.strip())


def run_python(path: Path) -> Row:
    """(c): this script's python_loop in a child process."""
    run = measure([sys.executable, str(Path(__file__).resolve()), "--loop", str(path)])
    if run.code != 0:
        raise SystemExit(f"python loop failed: {run.stderr.strip()}")
    return Row("Python json.loads loop", run.wall, run.peak_kib, json.loads(run.stdout))


def same(a: float | None, b: float | None) -> bool:
    """Equal values, floats up to rounding."""
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def agreement(row: Row, reference: Row) -> str:
    """``yes``, or the ids whose values differ from the reference."""
    if not row.values:
        return "n/a"
    wrong = [k for k in reference.values if not same(row.values.get(k), reference.values[k])]
    return "yes" if not wrong else "no: " + ", ".join(wrong)


def spec_ids() -> list[str]:
    """The check ids of bench_jsonl.yaml, read without the golive package."""
    return [
        line.split(":", 1)[1].strip()
        for line in SPEC.read_text().splitlines()
        if line.strip().startswith("- id:")
    ]


def report(lines: int, size: int, rows: list[Row], jq_walls: dict[str, float]) -> str:
    """The Markdown results: the table, the speed-ups and each check's values."""
    reference = rows[-1]  # the Python loop: the simplest code, the reference for agreement
    out = [
        f"{lines:,} lines, {size / 2**20:,.0f} MiB, {len(reference.values)} checks, --at {AT_TEXT}",
        "",
        "| tool | wall (s) | peak RSS (MiB) | values agree |",
        "|---|---:|---:|---|",
    ]
    for row in rows:
        if row.wall is None or row.peak_kib is None:
            out.append(f"| {row.tool} | {row.note} | | n/a |")
            continue
        agree = row.note or agreement(row, reference)
        out.append(f"| {row.tool} | {row.wall:.2f} | {row.peak_kib / 1024:.0f} | {agree} |")
    out.append("")
    timed = {row.tool: row.wall for row in rows if row.wall is not None and not row.note}
    names = list(timed)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            fast, slow = (a, b) if timed[a] <= timed[b] else (b, a)
            out.append(f"- {fast} is {timed[slow] / timed[fast]:.1f}x faster than {slow}")
    out += ["", "| check | " + " | ".join(row.tool for row in rows) + " | jq wall (s) |"]
    out.append("|---|" + "---:|" * (len(rows) + 1))
    for check_id in reference.values:
        cells = [_cell(row.values.get(check_id)) for row in rows]
        jq_wall = f"{jq_walls[check_id]:.2f}" if check_id in jq_walls else ""
        out.append(f"| {check_id} | " + " | ".join(cells) + f" | {jq_wall} |")
    return "\n".join(out)


def _cell(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.10g}"


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(
        description="Time golive check, jq and a plain Python loop on one large router log.",
        epilog="Example: python benchmarks/bench_jsonl.py --lines 100000",
    )
    parser.add_argument(
        "--lines", type=int, default=5_000_000, help="log size in lines (default 5,000,000)"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the generated log in benchmarks/.data/"
    )
    parser.add_argument("--skip-jq", action="store_true", help="leave out the jq pipelines")
    parser.add_argument("--loop", type=Path, help=argparse.SUPPRESS)  # the (c) child process
    args = parser.parse_args()
    if args.loop is not None:
        print(json.dumps(python_loop(args.loop)))
        return
    if args.lines < 1:
        parser.error("--lines must be at least 1")
    if sorted(spec_ids()) != sorted(JQ):
        raise SystemExit(f"{SPEC.name} and the jq pipelines name different checks")

    started = time.perf_counter()
    made = ensure_data(args.lines)
    verb = "generated" if made else "reused"
    print(f"{verb} {DATA} in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    try:
        warm(DATA)
        print("golive check ...", file=sys.stderr)
        rows = [run_golive()]
        jq_walls: dict[str, float] = {}
        if not args.skip_jq:
            print("jq ...", file=sys.stderr)
            jq_row, jq_walls = run_jq(DATA)
            rows.append(jq_row)
        print("python loop ...", file=sys.stderr)
        rows.append(run_python(DATA))
        print(report(args.lines, DATA.stat().st_size, rows, jq_walls))
    finally:
        if not args.keep:
            DATA.unlink(missing_ok=True)
            META.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
