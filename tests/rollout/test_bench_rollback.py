"""benchmarks/bench_rollback.py runs: one in-process run rolls back and the client sees it."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).parent.parent.parent / "benchmarks" / "bench_rollback.py"


def load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_rollback", BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_one_in_process_run() -> None:
    bench = load_bench()
    # The step starts half-way through the client's poll cycle, against golive serve.
    run = bench.one_run(in_process=True, phase_s=0.5)
    # The client polls every second, so it sees the flag off at most one poll after the
    # step wrote it (with room for a loaded machine).
    assert run["step_s"] > 0
    assert 0 < run["off_s"] < run["step_s"] + bench.POLL_S + 2
