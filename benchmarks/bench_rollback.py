"""Benchmark: time to roll back, from a failing ``golive rollout step`` to a polling client
seeing the flag off.

Each run builds a fresh SQLite registry and a copy of ``examples/canary-rollout`` whose
evidence is clean for a day and then 50% canary errors in the last hour. A first
``rollout step`` starts wave 1 (the flag at 10%); a loopback HTTP server serves the
registry's flags export (``golive.flags/v1``) with an ETag, and
``FlagClient.from_url(..., interval=1.0)`` polls it every second. The clock starts when
the failing ``golive rollout step`` process is launched and stops when the client, asked
every millisecond for a user of the 10% cohort, answers off.

golive's API (issue 6) is built in parallel; until it serves the export, this script
serves it itself: ``GET /flags`` reads the registry on every request (as the API will)
and answers 304 when ``If-None-Match`` matches.

Usage: python benchmarks/bench_rollback.py [--runs 5] [--in-process] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from golive.canonical import canonical_json, digest
from golive.flags import FlagClient, normalized_hash
from golive.flags.model import Flag
from golive.registry import Registry, create_flag, export_flags, open_registry
from golive.registry.flag_edits import with_rollout
from golive.rollout import controller
from golive.sources.readers import readers
from golive.spec.loader import load_spec

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "canary-rollout" / "golive.yaml"
ROLLOUT = FLAG = "batch-patches-v1"
AT = datetime(2025, 12, 2, tzinfo=UTC)
TARGET_S = 2.0
POLL_S = 1.0


def write_evidence(folder: Path) -> None:
    """Canary and control requests every 30 s: clean for a day, then 50% canary errors."""
    requests = folder / "evidence" / "requests.jsonl"
    requests.parent.mkdir(parents=True)
    (folder / "evidence" / "alerts.jsonl").write_text("")
    lines = []
    t = AT - timedelta(days=1)
    n = 0
    while t < AT:
        t += timedelta(seconds=30)
        n += 1
        failing = t > AT - timedelta(hours=1) and n % 2 == 0
        for cohort in ("canary", "control"):
            status = "error" if failing and cohort == "canary" else "ok"
            record = {"ts": t.isoformat(), "cohort": cohort, "status": status, "latency_ms": 120}
            lines.append(json.dumps(record))
    requests.write_text("\n".join(lines) + "\n")


class ExportServer(ThreadingHTTPServer):
    """Serves ``GET /flags``: the registry's export, with an ETag."""

    daemon_threads = True

    def __init__(self, registry: Registry) -> None:
        super().__init__(("127.0.0.1", 0), ExportHandler)
        self.registry = registry

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/flags"


class ExportHandler(BaseHTTPRequestHandler):
    server: ExportServer

    def do_GET(self) -> None:
        document = export_flags(self.server.registry)
        etag = f'"{digest(document)}"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        body = canonical_json(document)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def cohort_user() -> str:
    """A user id inside the 10% cohort of the flag."""
    return next(str(i) for i in range(10_000) if normalized_hash(str(i), FLAG) <= 10)


def one_run(in_process: bool) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="golive-bench-rollback-") as tmp:
        folder = Path(tmp)
        spec = folder / "golive.yaml"
        shutil.copy(EXAMPLE, spec)
        write_evidence(folder)
        url = f"sqlite:///{folder / 'registry.db'}"
        loaded = load_spec(spec)
        with open_registry(url) as registry:
            create_flag(registry, with_rollout(Flag(FLAG, False), 0), actor="bench")
            start = controller.step(
                registry,
                loaded,
                ROLLOUT,
                at=AT - timedelta(hours=20),
                actor="bench",
                readers=readers(commands=False),
            )
            assert start.decision.decision == "start", start.decision.reason
            server = ExportServer(registry)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            user = {"userId": cohort_user()}
            with FlagClient.from_url(server.url, interval=POLL_S) as client:
                assert client.is_enabled(FLAG, user), "the client does not see wave 1"
                t0 = time.perf_counter()
                exited: list[float] = []
                if in_process:
                    tick = controller.step(
                        registry, loaded, ROLLOUT, at=AT, actor="bench", readers={}
                    )
                    assert tick.decision.decision == "rollback", tick.decision.reason
                    exited.append(time.perf_counter() - t0)
                else:
                    argv = [str(Path(sys.executable).parent / "golive"), "rollout", "step"]
                    argv += [ROLLOUT, str(spec), "--at", AT.isoformat(), "--registry", url]
                    process = subprocess.Popen(
                        argv,
                        stdout=subprocess.DEVNULL,
                        env={**os.environ, "GOLIVE_USER": "bench"},
                    )

                    def wait() -> None:
                        process.wait()
                        exited.append(time.perf_counter() - t0)

                    waiter = threading.Thread(target=wait)
                    waiter.start()
                while client.is_enabled(FLAG, user):
                    time.sleep(0.001)
                off_s = time.perf_counter() - t0
                if not in_process:
                    waiter.join()
                    assert process.returncode == 1, f"the step exited {process.returncode}"
            server.shutdown()
            server.server_close()
    return {"step_s": exited[0], "off_s": off_s}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="call the controller in this process instead of running `golive rollout step`",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    runs = [one_run(args.in_process) for _ in range(args.runs)]
    offs = [r["off_s"] for r in runs]
    result = {
        "mode": "in-process" if args.in_process else "golive rollout step (new process)",
        "poll_interval_s": POLL_S,
        "runs": runs,
        "off_median_s": statistics.median(offs),
        "off_max_s": max(offs),
        "step_median_s": statistics.median(r["step_s"] for r in runs),
        "target_s": TARGET_S,
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"time to roll back, {result['mode']}, client polling every {POLL_S:g} s")
        for i, r in enumerate(runs, 1):
            print(f"  run {i}: step {r['step_s']:.3f} s, client sees off at {r['off_s']:.3f} s")
        print(
            f"  median {result['off_median_s']:.3f} s, max {result['off_max_s']:.3f} s "
            f"(target < {TARGET_S:g} s); the step alone: median {result['step_median_s']:.3f} s"
        )
    return 0 if result["off_max_s"] < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
