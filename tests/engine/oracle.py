"""A plain-Python reading of the spec language: the reference the SQL engine is tested against.

Deliberately naive (one record at a time, numpy for percentiles) so that it is
obviously right; it is used only in tests.
"""

from __future__ import annotations

import fnmatch
import math
import re
from typing import Any

import numpy as np

from golive.spec.expr import And, Call, Compare, Const, Expr, InList, IsTrue, Not, Or, Value
from golive.times import to_epoch_us

PERCENTILE = {"p50": 50, "p90": 90, "p95": 95, "p99": 99}


def lookup(record: dict[str, Any], name: str) -> Any:
    current: Any = record
    for part in name.split("."):
        if not isinstance(current, dict):
            return None
        current = current.get(part)
    return current


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "other"


def _equals(value: Any, literal: Value) -> bool:
    if literal.value is None:
        return value is None
    return _kind(value) == _kind(literal.value) and value == literal.value


def holds(expr: Expr, record: dict[str, Any]) -> bool:
    if isinstance(expr, And):
        return all(holds(e, record) for e in expr.operands)
    if isinstance(expr, Or):
        return any(holds(e, record) for e in expr.operands)
    if isinstance(expr, Not):
        return not holds(expr.operand, record)
    if isinstance(expr, Const):
        return expr.value
    value = lookup(record, expr.field.name)
    if isinstance(expr, IsTrue):
        return value is True
    if isinstance(expr, InList):
        hit = any(_equals(value, v) for v in expr.values)
        return (value is not None and not hit) if expr.negated else hit
    if isinstance(expr, Call):
        if not isinstance(value, str):
            return False
        arg = expr.argument
        return {
            "startswith": lambda: value.startswith(arg),
            "endswith": lambda: value.endswith(arg),
            "contains": lambda: arg in value,
            "glob": lambda: fnmatch.fnmatchcase(value, arg),
            "matches": lambda: re.search(arg, value) is not None,
        }[expr.function]()
    assert isinstance(expr, Compare)
    if expr.op == "==":
        return _equals(value, expr.value)
    if expr.op == "!=":
        return value is not None and not _equals(value, expr.value)
    if _kind(value) != _kind(expr.value.value):
        return False
    left, right = value, expr.value.value
    return {
        "<": left < right,
        "<=": left <= right,
        ">": left > right,
        ">=": left >= right,
    }[expr.op]


def measure(
    records: list[dict[str, Any]],
    *,
    measure: str,
    where: Expr | None = None,
    of: Expr | None = None,
    field: str | None = None,
    time_field: str | None = None,
    start_us: int | None = None,
    end_us: int | None = None,
    at_us: int = 0,
) -> tuple[float | int | None, int]:
    """(observed, invalid-by-value) for one check over already-parsed records."""
    chosen = []
    for record in records:
        t = to_epoch_us(lookup(record, time_field)) if time_field else None
        if start_us is not None and (t is None or not (start_us < t <= end_us)):  # type: ignore[operator]
            continue
        if measure in ("span", "age") and t is None:
            continue
        if measure == "age" and t is not None and t > at_us:
            continue
        if where is not None and not holds(where, record):
            continue
        chosen.append((record, t))
    invalid = 0
    if measure == "count":
        return len(chosen), 0
    if measure == "ratio":
        if not chosen:
            return None, 0
        assert of is not None
        return sum(1 for r, _ in chosen if holds(of, r)) / len(chosen), 0
    if measure in ("span", "age"):
        times = [t for _, t in chosen if t is not None]
        if not times:
            return None, 0
        if measure == "span":
            return (max(times) - min(times)) / 1e6, 0
        return (at_us - max(times)) / 1e6, 0
    assert field is not None
    values = []
    distinct = set()
    for record, _ in chosen:
        value = lookup(record, field)
        if value is None:
            continue
        if measure == "distinct":
            distinct.add((_kind(value), value if not isinstance(value, float) else float(value)))
            continue
        if _kind(value) != "number":
            invalid += 1
            continue
        values.append(float(value))
    if measure == "distinct":
        return len(distinct), 0
    if measure == "sum":
        return math.fsum(values), invalid
    if not values:
        return None, invalid
    if measure == "avg":
        return math.fsum(values) / len(values), invalid
    if measure == "min":
        return min(values), invalid
    if measure == "max":
        return max(values), invalid
    return float(np.percentile(values, PERCENTILE[measure])), invalid
