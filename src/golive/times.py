"""The one rule for record times, shared by the SQL compiler and the line scanner.

A record time is an RFC 3339 string with an explicit offset (``2025-12-18T00:00:00Z``,
``2025-12-18T01:00:00+01:00``) or an epoch number: seconds when its magnitude is
below 1e11 (before the year 5138), milliseconds otherwise (after March 1973).
Anything else (a naive timestamp, a date, a boolean) is no time at all, and the
record is invalid wherever a window applies.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime

RFC3339_PATTERN = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}"
    r"(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$"
)
EPOCH_MS_THRESHOLD = 1e11
_RFC3339 = re.compile(RFC3339_PATTERN)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def to_epoch_us(value: object) -> int | None:
    """Microseconds since the epoch for a record time, or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if not math.isfinite(value):
            return None
        scale = 1_000 if abs(value) >= EPOCH_MS_THRESHOLD else 1_000_000
        return round(value * scale)
    if isinstance(value, str) and _RFC3339.match(value):
        text = value.replace("z", "Z").replace("t", "T")
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            return None
        delta = parsed - _EPOCH
        return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    return None


def from_epoch_us(us: int) -> datetime:
    """The UTC datetime for epoch microseconds."""
    return datetime.fromtimestamp(us // 1_000_000, tz=UTC).replace(microsecond=us % 1_000_000)


def epoch_us(instant: datetime) -> int:
    """Epoch microseconds of an aware datetime."""
    delta = instant - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def rfc3339(instant: datetime) -> str:
    """``2025-12-18T00:00:00Z`` (microseconds only when present; naive means UTC)."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    utc = instant.astimezone(UTC)
    text = utc.strftime("%Y-%m-%dT%H:%M:%S")
    if utc.microsecond:
        text += f".{utc.microsecond:06d}".rstrip("0")
    return text + "Z"


def parse_instant(text: str) -> datetime:
    """Parse an evaluation instant (``--at``): RFC 3339 with an offset; raise ValueError."""
    us = to_epoch_us(text.strip())
    if us is None:
        raise ValueError(
            f"invalid instant {text!r}; expected RFC 3339 with a time zone, "
            "such as 2025-12-18T00:00:00Z"
        )
    return from_epoch_us(us)
