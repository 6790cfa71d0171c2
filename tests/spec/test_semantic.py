"""Cross-key rules, as (location, message) pairs on a validated Spec."""

from __future__ import annotations

from typing import Any

import pytest

from golive.spec.models import Spec
from golive.spec.semantic import problems


def spec(*checks: dict[str, Any], window: str = "7d", time: str | None = "ts") -> Spec:
    source: dict[str, Any] = {"type": "jsonl", "path": "r.log"}
    if time is not None:
        source["time"] = time
    return Spec.model_validate(
        {
            "version": 1,
            "name": "t",
            "sources": {
                "router": source,
                "monitor": {"type": "jsonl", "path": "m.log", "time": "at"},
            },
            "defaults": {"window": window},
            "checks": [{"source": "router", "expect": ">= 1", **c} for c in checks],
        }
    )


def test_valid_spec_has_no_problems() -> None:
    assert (
        problems(
            spec(
                {"id": "a", "measure": "count"},
                {"id": "b", "measure": "ratio", "of": "status == 'error'"},
                {"id": "c", "measure": "p95", "field": "ms", "every": "24h"},
                {
                    "id": "d",
                    "measure": "distinct",
                    "field": "user",
                    "window": "30d",
                    "every": "10d",
                },
                {"id": "e", "measure": "span", "weight": 0, "required": True},
                {"id": "f", "measure": "count", "every": "7d"},
            )
        )
        == []
    )


def test_duplicate_id_points_at_the_second() -> None:
    found = problems(spec({"id": "a", "measure": "count"}, {"id": "a", "measure": "count"}))
    assert found == [(("checks", 1, "id"), "duplicate check id 'a'; ids must be unique")]


def test_unknown_source_lists_the_defined_ones() -> None:
    found = problems(spec({"id": "a", "measure": "count", "source": "nope"}))
    assert found == [
        (("checks", 0, "source"), "unknown source 'nope'; defined sources: router, monitor")
    ]


def test_unknown_source_suggests_a_close_name() -> None:
    found = problems(spec({"id": "a", "measure": "count", "source": "moniter"}))
    assert found == [
        (
            ("checks", 0, "source"),
            "unknown source 'moniter'; defined sources: router, monitor; did you mean 'monitor'?",
        )
    ]


def test_unknown_source_when_none_is_defined() -> None:
    empty = Spec.model_validate(
        {
            "version": 1,
            "name": "t",
            "checks": [{"id": "a", "source": "x", "measure": "count", "expect": "> 0"}],
        }
    )
    assert problems(empty) == [
        (
            ("checks", 0, "source"),
            "unknown source 'x'; no sources are defined; add one under sources:",
        )
    ]


def test_ratio_needs_of_and_of_needs_ratio() -> None:
    found = problems(
        spec({"id": "a", "measure": "ratio"}, {"id": "b", "measure": "count", "of": "x == 1"})
    )
    assert found == [
        (
            ("checks", 0, "measure"),
            "check 'a' measures ratio but has no 'of'; add of: <condition>, "
            "the records counted over those matching where",
        ),
        (("checks", 1, "of"), "'of' goes only with measure: ratio; check 'b' measures count"),
    ]


@pytest.mark.parametrize(
    "measure", ["sum", "avg", "min", "max", "p50", "p90", "p95", "p99", "distinct"]
)
def test_field_measures_need_field(measure: str) -> None:
    assert problems(spec({"id": "a", "measure": measure})) == [
        (
            ("checks", 0, "measure"),
            f"check 'a' measures {measure} but has no 'field'; "
            "add field: <the record field to measure>",
        )
    ]


@pytest.mark.parametrize("measure", ["count", "span", "age"])
def test_field_is_refused_where_it_means_nothing(measure: str) -> None:
    assert problems(spec({"id": "a", "measure": measure, "field": "ms"})) == [
        (("checks", 0, "field"), f"'field' does not go with measure: {measure}; remove it")
    ]


def test_every_must_divide_the_window() -> None:
    found = problems(
        spec(
            {"id": "a", "measure": "count", "every": "5h"},
            {"id": "b", "measure": "count", "every": "8d"},
            {"id": "c", "measure": "count", "every": "1h", "window": "90m"},
        )
    )
    assert found == [
        (("checks", 0, "every"), "every 5h does not divide the window 7d"),
        (("checks", 1, "every"), "every 8d does not divide the window 7d"),
        (("checks", 2, "every"), "every 1h does not divide the window 90m"),
    ]


def test_every_needs_a_duration_window() -> None:
    found = problems(
        spec(
            {"id": "a", "measure": "count", "every": "1h", "window": "all"},
            {"id": "b", "measure": "count", "every": "1h"},
            window="all",
        )
    )
    assert found == [
        (
            ("checks", 0, "every"),
            "every needs a duration window, but its window is all; "
            "set window: to a duration such as 7d",
        ),
        (
            ("checks", 1, "every"),
            "every needs a duration window, but the default window is all; "
            "set window: to a duration such as 7d",
        ),
    ]


def test_duration_window_needs_a_time_field() -> None:
    found = problems(
        spec(
            {"id": "default", "measure": "count"},
            {"id": "own", "measure": "count", "window": "30d"},
            {"id": "other-source", "measure": "count", "source": "monitor"},
            time=None,
        )
    )
    assert found == [
        (
            ("checks", 0, "source"),
            "check 'default' uses a 7d window but source 'router' has no 'time' field; "
            "set sources.router.time or use window: all",
        ),
        (
            ("checks", 1, "window"),
            "check 'own' uses a 30d window but source 'router' has no 'time' field; "
            "set sources.router.time or use window: all",
        ),
    ]


@pytest.mark.parametrize("measure", ["span", "age"])
def test_span_and_age_need_a_time_field_even_over_all(measure: str) -> None:
    assert problems(spec({"id": "a", "measure": measure}, window="all", time=None)) == [
        (
            ("checks", 0, "measure"),
            f"check 'a' measures {measure}, which reads record times, but source 'router' "
            "has no 'time' field; set sources.router.time",
        )
    ]


def test_every_needs_a_time_field() -> None:
    found = problems(spec({"id": "a", "measure": "count", "every": "1h"}, window="all", time=None))
    assert found == [
        (
            ("checks", 0, "every"),
            "every needs a duration window, but the default window is all; "
            "set window: to a duration such as 7d",
        ),
        (
            ("checks", 0, "every"),
            "check 'a' uses every but source 'router' has no 'time' field; set sources.router.time",
        ),
    ]


def test_window_all_without_time_is_fine() -> None:
    assert problems(spec({"id": "a", "measure": "count"}, window="all", time=None)) == []
