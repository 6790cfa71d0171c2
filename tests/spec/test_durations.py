"""Durations: units, compounds, zero and garbage."""

from __future__ import annotations

import pytest

from golive.spec.durations import format_duration, parse_duration

HELP = "expected a number and a unit s, m, h, d or w, such as 30s, 15m, 24h, 7d or 1h30m"


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("30s", 30),
        ("15m", 900),
        ("24h", 86400),
        ("7d", 604800),
        ("2w", 1209600),
        ("1h30m", 5400),
        ("1d12h", 129600),
        ("1w1d1h1m1s", 694861),
        (" 90s ", 90),
        ("0h5m", 300),
    ],
)
def test_units_and_compounds(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["0s", "0d", "0h0m"])
def test_zero_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="invalid duration") as caught:
        parse_duration(text)
    assert str(caught.value) == f"invalid duration {text!r}; a duration must be longer than 0s"


@pytest.mark.parametrize(
    "text", ["", "7", "d", "7days", "1.5h", "-1h", "1h 30m", "7D", "all", "1y"]
)
def test_garbage_is_refused_with_the_accepted_forms(text: str) -> None:
    with pytest.raises(ValueError, match="invalid duration") as caught:
        parse_duration(text)
    assert str(caught.value) == f"invalid duration {text!r}; {HELP}"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0s"),
        (45, "45s"),
        (5400, "1h30m"),
        (90000, "1d1h"),
        (604800, "1w"),
        (694861, "1w1d1h1m1s"),
    ],
)
def test_format_uses_the_largest_exact_units(seconds: int, text: str) -> None:
    assert format_duration(seconds) == text
    if seconds:
        assert parse_duration(text) == seconds
