"""``parquet`` and ``csv`` sources: compressed files in place, hive partitions, pruning."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from golive.engine.evaluate import evaluate
from golive.engine.scorecard import Scorecard
from golive.sources._files import Match, sha256_file
from golive.sources.tabular import partition_range, prune
from golive.spec.models import Spec
from golive.times import epoch_us

AT = datetime(2025, 12, 18, tzinfo=UTC)
CHECKS = [
    {"id": "v5", "measure": "count", "where": 'action == "process_v5"', "expect": ">= 1"},
    {"id": "p50", "measure": "p50", "field": "duration_ms", "expect": "<= 100"},
    {
        "id": "errors",
        "measure": "ratio",
        "where": 'action == "process_v5"',
        "of": 'status == "error"',
        "expect": "<= 0.5",
    },
]


def _card(base: Path, source: dict[str, Any], checks: list[dict[str, Any]] = CHECKS) -> Scorecard:
    spec = Spec.model_validate(
        {
            "version": 1,
            "name": "tabular",
            "sources": {"r": source},
            "defaults": {"window": "7d"},
            "checks": [{"source": "r", **c} for c in checks],
        }
    )
    return evaluate(spec, base_dir=base, spec_path="s.yaml", spec_sha256="0" * 64, at=AT)


@pytest.mark.parametrize("name", ["router.csv", "router.csv.gz", "router.csv.zst"])
def test_csv_plain_and_compressed_read_in_place(data_dir: Path, name: str) -> None:
    card = _card(data_dir / "tabular", {"type": "csv", "path": name, "time": "ts"})
    # p50 of 5 80 95 120 300 is 95; one v5 operation in four ended in error
    assert [(c.status, c.observed) for c in card.checks] == [
        ("pass", 4),
        ("pass", 95),
        ("pass", 0.25),
    ]
    evidence = card.checks[0].evidence[0]
    assert evidence.path == name
    assert evidence.sha256 == sha256_file(Match(name, data_dir / "tabular" / name))
    assert evidence.records == 5  # the row of 2025-12-01 lies outside every window
    assert evidence.detail == {"bytes": (data_dir / "tabular" / name).stat().st_size}


def test_compressed_jsonl_is_read_in_place(data_dir: Path) -> None:
    source = {"type": "jsonl", "path": "router.jsonl.gz", "time": "ts"}
    card = _card(data_dir / "tabular", source, [{**CHECKS[0], "window": "all"}])
    assert (card.checks[0].status, card.checks[0].observed) == ("pass", 3)


def _partitions(root: Path, days: range) -> list[Path]:
    """One Parquet file per day of December 2025, 24 hourly rows each (partitioned by DuckDB)."""
    connection = duckdb.connect()
    connection.execute(
        f"""
        COPY (
            SELECT ts, 2025 AS year, 12 AS month, day(ts) AS day,
                   CASE WHEN hour(ts) % 4 = 0 THEN 'error' ELSE 'ok' END AS status,
                   'process_v5' AS action, hour(ts) * 10 AS duration_ms
            FROM range(TIMESTAMPTZ '2025-12-{days.start:02d} 00:00:00+00',
                       TIMESTAMPTZ '2025-12-{days.stop:02d} 00:00:00+00',
                       INTERVAL 1 HOUR) AS t(ts)
        ) TO '{root}' (FORMAT parquet, PARTITION_BY (year, month, day))
        """
    )
    return sorted(root.rglob("*.parquet"))


HIVE = {
    "type": "parquet",
    "path": "events/**/*.parquet",
    "time": "ts",
    "hive_partitioning": True,
}
PRUNED = {**HIVE, "partition_time": {"year": "year", "month": "month", "day": "day"}}


def test_partitions_outside_the_window_are_never_opened(tmp_path: Path) -> None:
    files = _partitions(tmp_path / "events", range(1, 18))
    assert len(files) == 17
    checks = [{**c, "window": "2d"} for c in CHECKS]
    before = _card(tmp_path, PRUNED, checks)
    # make every file outside 2025-12-16..17 unreadable garbage: a pruned scan never notices
    for path in files:
        if "day=16" not in str(path) and "day=17" not in str(path):
            path.write_bytes(b"not parquet")
    after = _card(tmp_path, PRUNED, checks)
    assert [(c.status, c.observed) for c in after.checks] == [
        (c.status, c.observed) for c in before.checks
    ]
    assert after.checks[0].observed == 47  # (16 Dec 00:00, 18 Dec 00:00]: 00:00 of the 16th is out
    read = [e.path for e in after.checks[0].evidence]
    assert read == [
        "events/year=2025/month=12/day=16/data_0.parquet",
        "events/year=2025/month=12/day=17/data_0.parquet",
    ]
    assert [e.records for e in after.checks[0].evidence] == [23, 24]
    # without pruning, the same scan reads the garbage and says so: an error, never a pass
    unpruned = _card(tmp_path, HIVE, checks)
    assert {c.status for c in unpruned.checks} == {"error"}
    assert "cannot read source 'r'" in unpruned.checks[0].message


def test_a_window_of_all_reads_every_partition(tmp_path: Path) -> None:
    _partitions(tmp_path / "events", range(1, 4))
    card = _card(tmp_path, PRUNED, [{**CHECKS[0], "window": "all"}])
    assert card.checks[0].observed == 72
    assert len(card.checks[0].evidence) == 3


def test_hive_columns_are_readable(tmp_path: Path) -> None:
    _partitions(tmp_path / "events", range(10, 13))
    checks = [{"id": "d", "measure": "count", "where": "day == 11", "expect": "== 24"}]
    card = _card(tmp_path, {**HIVE, "max_invalid": 0}, [{**checks[0], "window": "all"}])
    assert (card.checks[0].status, card.checks[0].observed) == ("pass", 24)


def test_partition_range_and_prune() -> None:
    day = Path("x/year=2025/month=12/day=17/f.parquet")
    keys = {"year": "year", "month": "month", "day": "day"}
    start = epoch_us(datetime(2025, 12, 17, tzinfo=UTC))
    end = epoch_us(datetime(2025, 12, 18, tzinfo=UTC))
    assert partition_range(day, keys) == (start, end)
    month = Path("x/y=2025/m=12/f.parquet")
    assert partition_range(month, {"y": "year", "m": "month"}) == (
        epoch_us(datetime(2025, 12, 1, tzinfo=UTC)),
        epoch_us(datetime(2026, 1, 1, tzinfo=UTC)),
    )
    dated = Path("x/dt=2025-12-17/hour=05/f.parquet")
    assert partition_range(dated, {"dt": "date", "hour": "hour"}) == (
        start + 5 * 3_600_000_000,
        start + 6 * 3_600_000_000,
    )
    # a window ending exactly where the partition starts cannot hold its rows: (lo, hi]
    assert prune([day], keys, (start - 10, start - 1)) == []
    assert prune([day], keys, (start - 10, start)) == [day]
    assert prune([day], keys, (end - 1, end + 10)) == []
    assert prune([day], keys, (end - 2, end + 10)) == [day]
    # folders that do not say (a missing key, a value that is not a number) are read
    odd = [Path("x/year=2025/f.parquet"), Path("x/year=2025/month=xx/day=1/f.parquet")]
    assert prune(odd, keys, (0, 1)) == odd


def test_missing_files_are_no_data(tmp_path: Path) -> None:
    card = _card(tmp_path, {"type": "parquet", "path": "none/*.parquet", "time": "ts"})
    assert {c.status for c in card.checks} == {"no_data"}
    assert "none/*.parquet matched no file" in card.checks[0].message


def test_missing_column_is_an_error_for_that_check_only(data_dir: Path) -> None:
    checks = [*CHECKS, {"id": "z", "measure": "max", "field": "zone", "expect": ">= 0"}]
    card = _card(data_dir / "tabular", {"type": "csv", "path": "router.csv", "time": "ts"}, checks)
    assert [c.status for c in card.checks][:1] == ["pass"]
    assert card.checks[-1].status == "error"
    assert "no column 'zone'" in card.checks[-1].message
