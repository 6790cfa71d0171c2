"""Parquet and CSV evidence read by DuckDB, and hive-partition pruning on the time window.

With ``partition_time`` (``{year: year, month: month, day: day}``) each file's
``key=value`` folders say which stretch of time it can hold; a file whose stretch
misses every check's window is neither read nor hashed. A file whose folders do
not say (a key missing, a value that is not a number) is always read: pruning
may only skip what provably cannot matter.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from golive.times import epoch_us

Parts = dict[str, str]


def partition_values(path: Path) -> Parts:
    """The ``key=value`` folder names of a path, e.g. ``{"year": "2026", "month": "03"}``."""
    return dict(part.split("=", 1) for part in path.parent.parts if "=" in part)


def _next_month(moment: datetime) -> datetime:
    return moment.replace(year=moment.year + moment.month // 12, month=moment.month % 12 + 1)


def partition_range(path: Path, keys: Mapping[str, str]) -> tuple[int, int] | None:
    """The ``[start, end)`` epoch µs a file's partition folders cover; None if they do not say."""
    values = partition_values(path)
    parts = {part: values[key] for key, part in keys.items() if key in values}
    if set(parts) != set(keys.values()):
        return None
    try:
        if "date" in parts:
            day = date.fromisoformat(parts["date"])
            year, month, mday = day.year, day.month, day.day
        else:
            year = int(parts["year"])
            month, mday = int(parts.get("month", 1)), int(parts.get("day", 1))
        start = datetime(year, month, mday, int(parts.get("hour", 0)), tzinfo=UTC)
    except ValueError:
        return None
    if "hour" in parts:
        end = start + timedelta(hours=1)
    elif "day" in parts or "date" in parts:
        end = start + timedelta(days=1)
    elif "month" in parts:
        end = _next_month(start)
    else:
        end = start.replace(year=start.year + 1)
    return epoch_us(start), epoch_us(end)


def prune(files: list[Path], keys: Mapping[str, str], window: tuple[int, int]) -> list[Path]:
    """The files whose partition may hold a time in ``(window_start, window_end]``."""
    low, high = window
    kept = []
    for path in files:
        covered = partition_range(path, keys)
        if covered is None:
            kept.append(path)
            continue
        first = max(covered[0], low + 1)  # the earliest instant both may hold
        if first < covered[1] and first <= high:
            kept.append(path)
    return kept
