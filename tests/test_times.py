from __future__ import annotations

from datetime import UTC, datetime

import pytest

from golive.times import epoch_us, from_epoch_us, parse_instant, rfc3339, to_epoch_us

BASE = epoch_us(datetime(2025, 12, 17, tzinfo=UTC))


@pytest.mark.parametrize(
    "value",
    [
        "2025-12-17T00:00:00Z",
        "2025-12-17t00:00:00z",
        "2025-12-17 00:00:00Z",
        "2025-12-17T01:00:00+01:00",
        "2025-12-16T19:00:00-05:00",
        "2025-12-17T00:00:00.000000Z",
        1765929600,
        1765929600.0,
        1765929600000,
    ],
)
def test_every_form_of_the_same_instant(value: object) -> None:
    assert to_epoch_us(value) == BASE


@pytest.mark.parametrize(
    "value",
    ["2025-12-17", "2025-12-17T00:00:00", "yesterday", "", True, None, [], {}, float("nan")],
)
def test_what_is_not_a_time(value: object) -> None:
    assert to_epoch_us(value) is None


def test_seconds_and_milliseconds_split_at_1e11() -> None:
    assert to_epoch_us(99_999_999_999) == 99_999_999_999 * 1_000_000
    assert to_epoch_us(100_000_000_000) == 100_000_000_000 * 1_000


def test_fractions_are_kept_to_the_microsecond() -> None:
    assert to_epoch_us("2025-12-17T00:00:00.123456Z") == BASE + 123456
    assert to_epoch_us(1765929600.5) == BASE + 500_000


def test_rfc3339_round_trip() -> None:
    instant = from_epoch_us(BASE + 1500)
    assert rfc3339(instant) == "2025-12-17T00:00:00.0015Z"
    assert rfc3339(from_epoch_us(BASE)) == "2025-12-17T00:00:00Z"
    assert parse_instant("2025-12-17T01:00:00+01:00") == datetime(2025, 12, 17, tzinfo=UTC)


def test_parse_instant_demands_a_time_zone() -> None:
    with pytest.raises(ValueError, match="expected RFC 3339 with a time zone"):
        parse_instant("2025-12-17T00:00:00")
