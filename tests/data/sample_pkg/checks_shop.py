"""Tests of shop.py: one passes, one fails on purpose, one is skipped, one is a benchmark."""

from __future__ import annotations

from typing import Any

import pytest
from shop import total


def test_total() -> None:
    assert total([1.0, 2.0]) == 3.0


def test_total_of_nothing_is_one() -> None:
    assert total([]) == 1.0  # fails on purpose


@pytest.mark.skip(reason="not written yet")
def test_discounts() -> None:
    assert total([]) == 0.0


def test_bench_total(benchmark: Any) -> None:
    assert benchmark(total, [1.0] * 100) == 100.0
