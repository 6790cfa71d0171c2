"""RFC 3339 instants: parsed to UTC, or refused with a message naming the field."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from golive.registry.instants import parse_rfc3339


def test_an_instant_outside_the_utc_range_is_a_value_error_naming_the_field() -> None:
    for text in ("0001-01-01T00:00:00+00:01", "9999-12-31T23:59:59-00:01"):
        message = f"evaluated_at '{text}' is out of range in UTC"
        with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
            parse_rfc3339(text, "evaluated_at")


def test_an_instant_with_an_offset_is_parsed_to_utc() -> None:
    parsed = parse_rfc3339("0001-01-01T00:01:00+00:01", "evaluated_at")
    assert parsed == datetime(1, 1, 1, tzinfo=UTC)
