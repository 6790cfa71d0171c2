from __future__ import annotations

import itertools

import pytest

from golive.engine.windows import Window

DAY = 86_400_000_000


def test_window_ending_at_and_all() -> None:
    assert Window.ending_at(10 * DAY, 86_400 * 7) == Window(3 * DAY, 10 * DAY)
    assert Window.ending_at(10 * DAY, None) == Window(None, None)
    assert Window(None, None).as_json() is None


def test_buckets_tile_the_window() -> None:
    buckets = Window(0, 7 * DAY).buckets(86_400)
    assert len(buckets) == 7
    assert buckets[0] == Window(0, DAY)
    assert buckets[-1] == Window(6 * DAY, 7 * DAY)
    assert all(a.end_us == b.start_us for a, b in itertools.pairwise(buckets))


def test_an_unbounded_window_has_no_buckets() -> None:
    with pytest.raises(ValueError, match="bounded"):
        Window(None, None).buckets(60)
