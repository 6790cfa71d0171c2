"""Measures: which aggregates each one needs, and how they become an observed value.

Edge cases (DESIGN.md): ``count``, ``sum`` and ``distinct`` of nothing are 0;
``ratio`` over zero records and ``avg min max pXX span age`` over nothing have no
value (``no_data``); ``span`` of one record is 0. Percentiles interpolate linearly
between closest ranks (numpy's default, DuckDB's ``quantile_cont``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

PERCENTILES = {"p50": 0.50, "p90": 0.90, "p95": 0.95, "p99": 0.99}

# The aggregates each measure reads from the scan, by short name.
AGGREGATES: dict[str, tuple[str, ...]] = {
    "count": ("n",),
    "ratio": ("n", "of"),
    "sum": ("sum", "values"),
    "avg": ("sum", "values"),
    "min": ("min",),
    "max": ("max",),
    "distinct": ("distinct",),
    "span": ("tmin", "tmax"),
    "age": ("tmax",),
    **{name: ("quantile",) for name in PERCENTILES},
}
NUMERIC = ("sum", "avg", "min", "max", *PERCENTILES)
SIGNIFICANT_DIGITS = 12


def tidy(value: float | int, *, summed: bool = False) -> float | int:
    """A stable JSON number: integral values as int; sums to 12 significant digits.

    Parallel floating-point sums may differ in the last bits between runs; rounding
    them keeps a scorecard byte-identical across runs over the same evidence.
    """
    if isinstance(value, int):
        return value
    if summed:
        value = float(f"{value:.{SIGNIFICANT_DIGITS}g}")
    if value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def observe(measure: str, raw: Mapping[str, Any], at_us: int) -> float | int | None:
    """The observed value of ``measure`` from its aggregates; None means no data."""
    value: float | int | None
    if measure == "count":
        value = int(raw["n"] or 0)
    elif measure == "ratio":
        n = int(raw["n"] or 0)
        value = None if n == 0 else int(raw["of"] or 0) / n
    elif measure == "sum":
        value = raw["sum"] if raw["values"] else 0
    elif measure == "avg":
        value = raw["sum"] / raw["values"] if raw["values"] else None
    elif measure in ("min", "max"):
        value = raw[measure]
    elif measure in PERCENTILES:
        value = raw["quantile"]
    elif measure == "distinct":
        value = int(raw["distinct"] or 0)
    elif measure == "span":
        value = None if raw["tmax"] is None else (raw["tmax"] - raw["tmin"]) / 1_000_000
    elif measure == "age":
        value = None if raw["tmax"] is None else (at_us - raw["tmax"]) / 1_000_000
    else:  # pragma: no cover - the spec model admits only the measures above
        raise ValueError(f"unknown measure {measure!r}")
    return None if value is None else tidy(value, summed=measure in ("sum", "avg"))
