"""Benchmark: time to roll back, from a failing ``golive rollout step`` to a polling client
seeing the flag off.

Each run builds a fresh SQLite registry and a copy of ``examples/canary-rollout`` whose
evidence is clean for a day and then 50% canary errors in the last hour. A first
``rollout step`` starts wave 1 (the flag at 10%); ``golive serve`` on loopback serves the
registry's flags (``golive serve``'s ``GET /api/v1/flags``, with an ETag and 304s) and
``FlagClient.from_url(..., token, interval=1.0)`` polls it every second. The clock starts when
the failing ``golive rollout step`` process is launched and stops when the client, asked
every millisecond for a user of the 10% cohort, answers off. The runs start the step at
phases spread evenly over the client's one-second poll cycle.

Usage: python benchmarks/bench_rollback.py [--runs 5] [--in-process] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from golive.flags import FlagClient, normalized_hash
from golive.flags.model import Flag
from golive.registry import create_flag, open_registry
from golive.registry.flag_edits import with_rollout
from golive.registry.tokens import Role, create_token
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


@contextmanager
def golive_serve(registry_url: str, folder: Path) -> Iterator[str]:
    """``golive serve`` on a free loopback port until the block ends; its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    golive = str(Path(sys.executable).parent / "golive")
    argv = [golive, "serve", "--port", str(port), "--registry", registry_url]
    process = subprocess.Popen(
        argv, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"golive serve did not start (exit {process.poll()})")
            time.sleep(0.05)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def cohort_user() -> str:
    """A user id inside the 10% cohort of the flag."""
    return next(str(i) for i in range(10_000) if normalized_hash(str(i), FLAG) <= 10)


def one_run(in_process: bool, phase_s: float) -> dict[str, float]:
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
            token = create_token(registry, "bench-poller", Role.VIEWER, actor="bench").token
            user = {"userId": cohort_user()}
            with (
                golive_serve(url, folder) as base,
                FlagClient.from_url(f"{base}/api/v1/flags", token, interval=POLL_S) as client,
            ):
                assert client.is_enabled(FLAG, user), "the client does not see wave 1"
                # The client's first fetch was just now, so its polls fall on whole seconds
                # from here: start the step at a chosen point of the poll cycle instead, or
                # every run would measure the same phase.
                time.sleep(phase_s)
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
    # Phases spread evenly over the poll interval, so the worst one is measured too.
    phases = [POLL_S * (i + 0.5) / args.runs for i in range(args.runs)]
    runs = [one_run(args.in_process, phase) for phase in phases]
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
