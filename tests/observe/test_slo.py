"""Burn-rate math: the workbook's factors for 30d, the same budget fractions for other periods."""

from __future__ import annotations

from fractions import Fraction

import pytest

from golive.observe.slo import (
    BURN_WINDOWS,
    DAY,
    RECORDING_WINDOWS,
    budget,
    burn_factor,
    number,
    threshold,
)


def factors(days: int) -> list[Fraction]:
    return [burn_factor(w, days * DAY) for w in BURN_WINDOWS]


def test_thirty_days_gives_the_workbook_factors() -> None:
    assert factors(30) == [Fraction("14.4"), 6, 3, 1]


def test_twenty_eight_days_spends_the_same_budget_fractions() -> None:
    # 0.02 * 28d / 1h = 13.44; 0.05 * 28d / 6h = 5.6; 0.1 * 28d / 1d = 2.8; 0.1 * 28d / 3d
    assert factors(28) == [Fraction("13.44"), Fraction("5.6"), Fraction("2.8"), Fraction(14, 15)]


def test_seven_days() -> None:
    assert factors(7) == [Fraction("3.36"), Fraction("1.4"), Fraction("0.7"), Fraction(7, 30)]


def test_windows_pair_long_and_short_with_the_workbook_severities() -> None:
    pairs = [(w.long_text, w.short_text, w.severity) for w in BURN_WINDOWS]
    assert pairs == [
        ("1h", "5m", "critical"),
        ("6h", "30m", "critical"),
        ("1d", "2h", "warning"),
        ("3d", "6h", "warning"),
    ]


def test_recording_windows_cover_every_long_and_short_window() -> None:
    assert RECORDING_WINDOWS == (300, 1800, 3600, 7200, 21600, 86400, 259200)


@pytest.mark.parametrize(
    ("objective", "expected"),
    [(99.0, Fraction(1, 100)), (99.9, Fraction(1, 1000)), (99.95, Fraction(5, 10000))],
)
def test_budget_is_exact(objective: float, expected: Fraction) -> None:
    assert budget(objective) == expected


def test_threshold_is_factor_times_budget() -> None:
    page = BURN_WINDOWS[0]
    assert threshold(page, 30 * DAY, 99.9) == Fraction("0.0144")
    assert threshold(page, 28 * DAY, 99.5) == Fraction("0.0672")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Fraction(3), "3"),
        (Fraction("14.4"), "14.4"),
        (Fraction("0.0144"), "0.0144"),
        (Fraction(14, 15), "0.933333333333"),
    ],
)
def test_number_is_short_and_stable(value: Fraction, text: str) -> None:
    assert number(value) == text
