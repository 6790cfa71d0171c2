"""Burn-rate math of multi-window, multi-burn-rate SLO alerts.

The Google SRE workbook ("Alerting on SLOs", approach 6) pages when 2% of a 30-day
error budget burns in 1 hour or 5% in 6 hours, and opens a ticket when 10% burns
in 1 day or in 3 days. A burn rate is how many times faster than sustainable the
budget is spent; spending ``fraction`` of a ``period``'s budget within ``window``
takes a burn rate of::

    factor = fraction * period / window          (14.4 = 0.02 * 30d / 1h)

so other periods keep the same fractions and get scaled factors. Each alert also
needs a short window (1/12 of the long one) above the same threshold, so it stops
soon after the burning stops. The error-ratio threshold is ``factor * budget``.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Literal, TypeAlias

from golive.spec.durations import format_duration

Severity: TypeAlias = Literal["critical", "warning"]

MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR


@dataclass(frozen=True)
class BurnWindow:
    """One burn-rate alert: a budget fraction spent within a long window, and its short window."""

    fraction: Fraction
    long: int
    short: int
    severity: Severity

    @property
    def long_text(self) -> str:
        """The long window as Prometheus writes it (``1h``, ``3d``)."""
        return format_duration(self.long)

    @property
    def short_text(self) -> str:
        """The short window as Prometheus writes it (``5m``, ``6h``)."""
        return format_duration(self.short)


# Severity: the workbook's "page" is critical, its "ticket" a warning.
BURN_WINDOWS = (
    BurnWindow(Fraction(2, 100), 1 * HOUR, 5 * MINUTE, "critical"),
    BurnWindow(Fraction(5, 100), 6 * HOUR, 30 * MINUTE, "critical"),
    BurnWindow(Fraction(10, 100), 1 * DAY, 2 * HOUR, "warning"),
    BurnWindow(Fraction(10, 100), 3 * DAY, 6 * HOUR, "warning"),
)
# Every window a recording rule is kept for, shortest first.
RECORDING_WINDOWS = tuple(sorted({w for b in BURN_WINDOWS for w in (b.long, b.short)}))


def burn_factor(window: BurnWindow, period: int) -> Fraction:
    """How many times the sustainable rate spends ``window.fraction`` of the budget in time."""
    return window.fraction * period / window.long


def budget(objective: float) -> Fraction:
    """The error budget of an objective in percent: ``1 - objective/100``, exactly."""
    return (100 - Fraction(str(objective))) / 100


def threshold(window: BurnWindow, period: int, objective: float) -> Fraction:
    """The error ratio above which ``window``'s alert fires: ``factor * budget``."""
    return burn_factor(window, period) * budget(objective)


def number(value: Fraction) -> str:
    """A number as PromQL and YAML write it: exact when short, else 12 significant digits."""
    if value.denominator == 1:
        return str(value.numerator)
    return format(float(value), ".12g")


__all__ = [
    "BURN_WINDOWS",
    "RECORDING_WINDOWS",
    "BurnWindow",
    "budget",
    "burn_factor",
    "number",
    "threshold",
]
