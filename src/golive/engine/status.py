"""Statuses, readiness and score (DESIGN.md "Check statuses and readiness")."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, TypeAlias

from golive.spec.models import Expectation

Status: TypeAlias = Literal["pass", "warn", "fail", "no_data", "error", "waived"]
STATUSES: tuple[Status, ...] = ("pass", "warn", "fail", "no_data", "error", "waived")
PASSING: frozenset[str] = frozenset({"pass", "warn", "waived"})
CREDIT = {"pass": 1.0, "warn": 0.5}
# Worst first: which bucket status decides a check's status.
SEVERITY: tuple[Status, ...] = ("error", "fail", "no_data", "warn", "pass")


def judge(observed: float | None, expect: Expectation, warn: Expectation | None) -> Status:
    """pass if ``expect`` holds, else warn if ``warn`` holds, else fail; no value is no_data."""
    if observed is None:
        return "no_data"
    if expect.holds(observed):
        return "pass"
    if warn is not None and warn.holds(observed):
        return "warn"
    return "fail"


def worst(statuses: Iterable[Status]) -> Status:
    """The most severe of several statuses (error > fail > no_data > warn > pass)."""
    present = set(statuses)
    for status in SEVERITY:
        if status in present:
            return status
    return "no_data"


def is_ready(required_statuses: Iterable[str]) -> bool:
    """Ready iff every required check is pass, warn or waived (and there is at least one)."""
    statuses = list(required_statuses)
    return bool(statuses) and all(s in PASSING for s in statuses)


def score(weighted: Iterable[tuple[str, float]]) -> float:
    """Weighted mean of credits: pass 1, warn 0.5, others 0; 0 when there is no weight."""
    pairs = list(weighted)
    total = sum(w for _, w in pairs)
    if total == 0:
        return 0.0
    return round(sum(CREDIT.get(s, 0.0) * w for s, w in pairs) / total, 4)
