from __future__ import annotations

from typing import Any

import pytest

from golive.engine.measures import observe, tidy


def raw(**values: Any) -> dict[str, Any]:
    base = dict.fromkeys(
        ("n", "of", "sum", "values", "min", "max", "quantile", "distinct", "tmin", "tmax")
    )
    return {**base, **values}


def test_count_sum_and_distinct_of_nothing_are_zero() -> None:
    assert observe("count", raw(n=0), 0) == 0
    assert observe("sum", raw(values=0), 0) == 0
    assert observe("distinct", raw(distinct=0), 0) == 0


@pytest.mark.parametrize("measure", ["avg", "min", "max", "p50", "p95", "span", "age"])
def test_measures_over_nothing_have_no_value(measure: str) -> None:
    assert observe(measure, raw(values=0), 0) is None


def test_ratio_over_zero_records_has_no_value() -> None:
    assert observe("ratio", raw(n=0, of=0), 0) is None
    assert observe("ratio", raw(n=4, of=1), 0) == 0.25


def test_span_and_age_in_seconds() -> None:
    assert observe("span", raw(tmin=1_000_000, tmax=61_000_000), 0) == 60
    assert observe("age", raw(tmax=1_000_000), 3_500_000) == 2.5


def test_tidy_makes_integral_values_ints_and_rounds_sums() -> None:
    assert tidy(4.0) == 4
    assert isinstance(tidy(4.0), int)
    assert tidy(0.1 + 0.2, summed=True) == 0.3
    assert tidy(0.1 + 0.2) == 0.30000000000000004
