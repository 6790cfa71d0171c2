"""The battle-tested example, checked without the engine.

``observed()`` and ``daily_buckets()`` compute every check's value by hand, in
plain Python over the committed files: the oracle that ``golive check
examples/battle-tested/golive.yaml --at 2025-12-18T00:00:00Z`` must agree with.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from golive.spec.models import Spec

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "battle-tested"
TELEMETRY = EXAMPLE / "telemetry"
AT = datetime(2025, 12, 18, tzinfo=UTC)
DAY = timedelta(days=1)
WEEK = 7 * DAY
GUARDED = ("core/", "bridge/core/", "launchd/")


def load_spec() -> Spec:
    return Spec.model_validate(yaml.safe_load((EXAMPLE / "golive.yaml").read_text()))


def when(value: str | int) -> datetime:
    """A record time: an RFC 3339 string, or epoch milliseconds (the monitor)."""
    if isinstance(value, int):
        return datetime.fromtimestamp(value / 1000, UTC)
    return datetime.fromisoformat(value)


def records(source: str, window: timedelta | None = WEEK) -> list[dict[str, Any]]:
    """The source's records with ``AT - window < time <= AT`` (all of them if window is None)."""
    spec_source = load_spec().sources[source]
    assert isinstance(spec_source.path, str)
    assert spec_source.time is not None
    lines = (EXAMPLE / spec_source.path).read_text().splitlines()
    rows = [json.loads(line) for line in lines]
    if window is None:
        return rows
    return [r for r in rows if AT - window < when(r[spec_source.time]) <= AT]


def observed(window: timedelta | None = WEEK) -> dict[str, float]:
    """Each check's observed value (PR-7.span always over 30 days, as the spec says)."""
    v5 = [r for r in records("router", window) if r["action"] == "process_v5"]
    v5_month = [r for r in records("router", 30 * DAY) if r["action"] == "process_v5"]
    v5_times = [when(r["ts"]) for r in v5_month]
    caught = [r for r in records("errors", window) if r["event"] == "error_caught"]
    auto = [r for r in records("approvals", window) if r["decision"] == "auto_approved"]
    runs = records("monitor", window)
    return {
        "PR-7.volume": len(v5),
        "PR-7.span": (max(v5_times) - min(v5_times)).total_seconds(),
        "PR-7.strict": sum(r["lane"] == "strict" for r in v5),
        "PR-7.local": sum(r["lane"] == "local" for r in v5),
        "PR-7.rejected": sum(r["status"] == "rejected" for r in v5),
        "PR-8.distinct-errors": len(
            {
                r["error_id"]
                for r in caught
                if r.get("cause") is not None and r.get("moved_to") is not None
            }
        ),
        "PR-8.complete": sum(r.get("cause") is None or r.get("moved_to") is None for r in caught),
        "PR-10.guarded-zones": sum(r["path"].startswith(GUARDED) for r in auto),
        "PR-10.auto-approvals": len(auto),
        "PR-11.healthy": sum(r["state"] in ("down", "degraded") for r in runs),
        "PR-11.error-rate": sum(r["status"] == "error" for r in v5) / len(v5),
        "PR-11.backlog": max(r["backlog"] for r in runs),
        "PR-11.monitor-fresh": (AT - max(when(r["timestamp"]) for r in runs)).total_seconds(),
    }


def daily_buckets() -> list[int]:
    """Monitor runs per day k of the window: ``AT - 7d + k*1d < t <= AT - 7d + (k+1)*1d``."""
    times = [when(r["timestamp"]) for r in records("monitor", None)]
    start = AT - WEEK
    return [sum(start + k * DAY < t <= start + (k + 1) * DAY for t in times) for k in range(7)]


def test_spec_loads_with_a_title_on_every_check() -> None:
    spec = load_spec()
    assert spec.version == 1
    assert len(spec.sources) >= 3
    assert all(check.title for check in spec.checks)
    prefixes = {check.id.split(".")[0] for check in spec.checks}
    assert prefixes == {"PR-7", "PR-8", "PR-10", "PR-11"}


def test_the_oracle_covers_every_check() -> None:
    ids = {check.id for check in load_spec().checks}
    assert ids == {*observed(), "PR-11.daily-monitor"}


def test_generator_rewrites_the_committed_files_byte_for_byte(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(EXAMPLE / "generate.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    committed = sorted(p.name for p in TELEMETRY.iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == committed
    for name in committed:
        assert (tmp_path / name).read_bytes() == (TELEMETRY / name).read_bytes(), name


def test_files_are_small_and_reach_outside_the_window() -> None:
    spec = load_spec()
    for name, source in spec.sources.items():
        rows = records(name, None)
        assert 10 <= len(rows) <= 400, name
        assert any(when(r[str(source.time)]) <= AT - WEEK for r in rows), name


@pytest.mark.parametrize("check_id", sorted(observed()))
def test_every_check_passes_by_hand(check_id: str) -> None:
    check = next(c for c in load_spec().checks if c.id == check_id)
    value = observed()[check_id]
    assert check.expect.holds(value), f"{check_id}: {value} {check.expect.text}"


def test_every_day_of_the_window_has_a_monitor_run() -> None:
    check = next(c for c in load_spec().checks if c.id == "PR-11.daily-monitor")
    buckets = daily_buckets()
    assert all(check.expect.holds(n) for n in buckets), buckets


def test_without_the_window_the_incident_would_fail_the_release() -> None:
    everything = observed(window=None)
    assert everything["PR-8.complete"] == 3
    assert everything["PR-10.guarded-zones"] == 1
    assert everything["PR-11.healthy"] == 2
    assert everything["PR-11.backlog"] == 7


def test_records_on_the_window_edges() -> None:
    # Exactly at AT counts; 1 ms after does not; exactly at AT - 7d does not.
    stamps = [r["ts"] for r in records("router", None)]
    assert "2025-12-18T00:00:00.000Z" in stamps
    assert "2025-12-18T00:00:00.001Z" in stamps
    week = records("router")
    assert "2025-12-18T00:00:00.000Z" in [r["ts"] for r in week]
    assert "2025-12-18T00:00:00.001Z" not in [r["ts"] for r in week]
    edge = int((AT - WEEK).timestamp() * 1000)
    assert edge in [r["timestamp"] for r in records("monitor", None)]
    assert edge not in [r["timestamp"] for r in records("monitor")]
