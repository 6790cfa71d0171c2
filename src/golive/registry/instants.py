"""UTC instants as the registry stores and hashes them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current instant, timezone-aware in UTC (the default clock)."""
    return datetime.now(UTC)


def as_utc(value: datetime, what: str) -> datetime:
    """``value`` converted to UTC; a naive datetime is refused because its zone is a guess."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware, got naive {value.isoformat()}")
    return value.astimezone(UTC)


def rfc3339(value: datetime) -> str:
    """RFC 3339 in UTC with a ``Z``; microseconds only when present (``2025-12-18T00:00:00Z``).

    Audit entries hash this text, so its format is part of the chain: never change it
    (six fraction digits when there are microseconds, none otherwise).
    """
    utc = as_utc(value, "instant")
    if utc.microsecond:
        return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return utc.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_rfc3339(text: str, what: str) -> datetime:
    """Parse an RFC 3339 instant with an explicit offset or ``Z`` into a UTC datetime."""
    try:
        parsed = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        raise ValueError(
            f"{what} {text!r} is not an RFC 3339 instant such as 2025-12-18T00:00:00Z"
        ) from None
    if parsed.tzinfo is None:
        raise ValueError(f"{what} {text!r} has no time zone; add Z or an offset such as +00:00")
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00:00+00:01 is in year 0 in UTC
        raise ValueError(f"{what} {text!r} is out of range in UTC") from None
