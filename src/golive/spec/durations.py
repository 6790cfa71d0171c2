"""Durations as the spec writes them: ``30s``, ``15m``, ``24h``, ``7d``, ``1w``, or ``1h30m``."""

from __future__ import annotations

import re

UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_PART = re.compile(r"(\d+)([smhdw])")
_WHOLE = re.compile(r"(?:\d+[smhdw])+")


def parse_duration(text: str) -> int:
    """Return the number of seconds in ``text``; raise ``ValueError`` saying what is accepted.

    >>> parse_duration("1h30m")
    5400
    """
    cleaned = text.strip()
    if not _WHOLE.fullmatch(cleaned):
        raise ValueError(
            f"invalid duration {text!r}; expected a number and a unit s, m, h, d or w, "
            "such as 30s, 15m, 24h, 7d or 1h30m"
        )
    seconds = sum(int(n) * UNIT_SECONDS[u] for n, u in _PART.findall(cleaned))
    if seconds <= 0:
        raise ValueError(f"invalid duration {text!r}; a duration must be longer than 0s")
    return seconds


def format_duration(seconds: int) -> str:
    """Render seconds in the largest units that divide them exactly (``90000`` -> ``1d1h``)."""
    if seconds == 0:
        return "0s"
    parts = []
    rest = seconds
    for unit in ("w", "d", "h", "m", "s"):
        size = UNIT_SECONDS[unit]
        if rest >= size:
            count, rest = divmod(rest, size)
            parts.append(f"{count}{unit}")
    return "".join(parts)
