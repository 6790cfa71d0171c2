"""Times in records: RFC 3339 strings in UTC with a ``Z`` suffix."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from golive.times import rfc3339


def from_epoch(seconds: float) -> str:
    """RFC 3339 UTC text of a Unix time in seconds."""
    return rfc3339(datetime.fromtimestamp(seconds, tz=UTC))


def from_epoch_ns(nanos: int) -> str:
    """RFC 3339 UTC text of a Unix time in nanoseconds (microsecond precision)."""
    seconds, rest = divmod(nanos, 1_000_000_000)
    return rfc3339(datetime.fromtimestamp(seconds, tz=UTC).replace(microsecond=rest // 1000))


def instant(text: str) -> datetime:
    """The moment an RFC 3339 record time names (such strings do not sort as text)."""
    return datetime.fromisoformat(text)


def parse_timestamp(text: str) -> str | None:
    """Normalise an ISO 8601 timestamp to RFC 3339 UTC; one without an offset is taken as UTC.

    Returns None when ``text`` is not a timestamp.
    """
    try:
        return rfc3339(datetime.fromisoformat(text.strip()))
    except ValueError:
        return None


def file_mtime(path: Path) -> str:
    """The modification time of ``path`` as RFC 3339 UTC text."""
    return from_epoch(path.stat().st_mtime)
