"""The benchmark source on real pytest-benchmark output and committed locust/k6 fixtures."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy
import pytest

from golive.errors import EvidenceError
from golive.sources import benchmark
from golive.spec.sources import BenchmarkSource

DATA = Path(__file__).parent.parent / "data" / "benchmark"
SAMPLE_PKG = Path(__file__).parent.parent / "data" / "sample_pkg"


def _read(path: str, fmt: str = "auto", base: Path = DATA) -> Any:
    config = BenchmarkSource.model_validate({"type": "benchmark", "path": path, "format": fmt})
    return benchmark.read(config, base)


def _by_name(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["name"]: r for r in rows}


@pytest.fixture(scope="module")
def bench_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample package after one real pytest-benchmark run with --benchmark-json."""
    folder = tmp_path_factory.mktemp("bench") / "sample_pkg"
    shutil.copytree(SAMPLE_PKG, folder)
    argv = [sys.executable, "-m", "pytest", "checks_shop.py", "-q", "-p", "no:cacheprovider"]
    argv += ["-k", "bench", "--benchmark-min-rounds=20", "--benchmark-max-time=0.05"]
    result = subprocess.run(
        [*argv, "--benchmark-json=bench.json"], cwd=folder, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return folder


def test_real_pytest_benchmark_json(bench_dir: Path) -> None:
    out = _read("bench.json", base=bench_dir)
    [row] = out.rows
    stats = json.loads((bench_dir / "bench.json").read_text())["benchmarks"][0]["stats"]
    assert row["name"] == "test_bench_total"
    assert row["tool"] == "pytest-benchmark"
    assert row["p50_ms"] == pytest.approx(stats["median"] * 1000)
    assert row["mean_ms"] == pytest.approx(stats["mean"] * 1000)
    assert row["rps"] == pytest.approx(stats["ops"])
    assert row["requests"] == stats["rounds"] >= 20
    # The JSON holds every round's timing: tail percentiles interpolate like numpy's.
    assert row["p95_ms"] == pytest.approx(numpy.percentile(stats["data"], 95) * 1000)
    assert row["p99_ms"] == pytest.approx(numpy.percentile(stats["data"], 99) * 1000)
    assert row["min_ms"] <= row["p50_ms"] <= row["p95_ms"] <= row["p99_ms"] <= row["max_ms"]
    assert row["time"].endswith("Z")
    assert out.evidence[0].detail == {"format": "pytest-benchmark"}


def test_pytest_benchmark_without_raw_timings_has_no_tail(bench_dir: Path, tmp_path: Path) -> None:
    doc = json.loads((bench_dir / "bench.json").read_text())
    del doc["benchmarks"][0]["stats"]["data"]
    (tmp_path / "stats-only.json").write_text(json.dumps(doc))
    [row] = _read("stats-only.json", base=tmp_path).rows
    assert (row["p95_ms"], row["p99_ms"]) == (None, None)
    assert row["p50_ms"] is not None


def test_locust_stats_csv_with_aggregated_row() -> None:
    out = _read("locust_stats.csv")
    rows = _by_name(out.rows)
    assert list(rows) == ["/api/cart", "/api/checkout", "/api/unused", "Aggregated"]
    cart = rows["/api/cart"]
    assert (cart["p50_ms"], cart["p95_ms"], cart["p99_ms"]) == (42, 140, 320)
    assert (cart["requests"], cart["errors"], cart["rps"]) == (1200, 3, 20.0)
    assert cart["mean_ms"] == 51.3
    assert cart["method"] == "GET"
    assert cart["aggregated"] is False
    assert rows["Aggregated"]["aggregated"] is True
    assert rows["Aggregated"]["method"] is None
    assert rows["Aggregated"]["p95_ms"] == 190
    # N/A percentiles (no requests) are null, never 0.
    assert rows["/api/unused"]["p95_ms"] is None
    assert out.evidence[0].detail == {"format": "locust"}
    # "endpoints P95 < 200 ms": the checkout endpoint fails it.
    slow = [r["name"] for r in out.rows if not r["aggregated"] and (r["p95_ms"] or 0) >= 200]
    assert slow == ["/api/checkout"]


def test_k6_summary_export_per_endpoint() -> None:
    rows = _by_name(_read("k6_summary.json").rows)
    assert set(rows) == {"Aggregated", "login", "home"}
    total = rows["Aggregated"]
    assert (total["p50_ms"], total["p95_ms"], total["p99_ms"]) == (61.0, 182.9, 410.0)
    assert (total["requests"], total["rps"], total["errors"]) == (1200, 39.9, 12)
    assert total["aggregated"] is True
    login = rows["login"]
    assert (login["p95_ms"], login["errors"], login["requests"]) == (230.5, 10, 400)
    assert login["tags"] == "name:login"
    # No per-endpoint counters for "home": unknown, not zero.
    assert (rows["home"]["errors"], rows["home"]["requests"]) == (None, None)


def test_k6_handle_summary_json() -> None:
    [row] = _read("k6_handle_summary.json").rows
    assert (row["p50_ms"], row["p95_ms"], row["p99_ms"]) == (18.0, 41.25, None)
    assert (row["requests"], row["errors"]) == (600, 0)


def test_truncated_json_is_an_error() -> None:
    with pytest.raises(EvidenceError, match=r"^truncated.json: invalid JSON .*truncated"):
        _read("truncated.json")


def test_unknown_format_names_the_accepted_ones() -> None:
    with pytest.raises(EvidenceError, match=r"^unknown.json: unrecognised benchmark format.*k6"):
        _read("unknown.json")


def test_wrong_explicit_format_is_an_error() -> None:
    with pytest.raises(EvidenceError, match=r"^locust_stats.csv: not a valid k6 result"):
        _read("locust_stats.csv", fmt="k6")


def test_malformed_locust_csv_is_an_error() -> None:
    with pytest.raises(EvidenceError, match=r"^locust_bad.csv: not a valid locust result: missing"):
        _read("locust_bad.csv")


def test_missing_input_is_no_evidence() -> None:
    out = _read("nothing-*.json")
    assert (out.rows, out.evidence) == ([], [])


def test_deeply_nested_json_is_an_error_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "deep.json").write_text('{"metrics": ' + "[" * 200_000 + "]" * 200_000 + "}")
    with pytest.raises(EvidenceError, match=r"^deep.json: JSON nested too deeply"):
        _read("deep.json", base=tmp_path)
    with pytest.raises(EvidenceError, match=r"^deep.json: not a valid k6 result: nested too deep"):
        _read("deep.json", fmt="k6", base=tmp_path)
