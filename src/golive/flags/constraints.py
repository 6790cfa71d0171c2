"""Constraints compiled once into small predicates over a context.

Semantics follow Unleash's reference engine (Yggdrasil): a missing context
value fails every operator except ``NOT_IN``; ``inverted`` negates the result;
a constraint golive cannot read (an unknown operator, or a ``value`` that is
not a number, date or semantic version as the operator needs) never matches,
inverted or not, exactly as Unleash treats it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, datetime

from golive.flags.context import Context, as_text, resolver
from golive.flags.model import Constraint
from golive.flags.semver import parse_semver

Predicate = Callable[[Context], bool]

_EPSILON = sys.float_info.epsilon


def never(_ctx: Context) -> bool:
    """A predicate that is always false."""
    return False


def always(_ctx: Context) -> bool:
    """A predicate that is always true."""
    return True


def compile_constraint(c: Constraint) -> Predicate:
    """The predicate for one constraint."""
    op = c.operator
    if op in ("IN", "NOT_IN"):
        return _membership(c)
    if op in ("STR_CONTAINS", "STR_STARTS_WITH", "STR_ENDS_WITH"):
        return _string(c)
    if op.startswith("NUM_"):
        return _ordered(c, _parse_number, _NUM_OPS.get(op[4:]))
    if op in ("DATE_AFTER", "DATE_BEFORE"):
        return _date(c)
    if op.startswith("SEMVER_"):
        return _ordered(c, parse_semver, _SEMVER_OPS.get(op[7:]))
    return never


def _membership(c: Constraint) -> Predicate:
    get = resolver(c.context_name)
    values = frozenset(c.values)
    # result = (value in values) XOR flip; a missing value behaves like "not in".
    flip = (c.operator == "NOT_IN") != c.inverted

    def check(ctx: Context) -> bool:
        value = get(ctx)
        if value is None:
            return flip
        return (value in values) != flip

    return check


def _string(c: Constraint) -> Predicate:
    get = resolver(c.context_name)
    fold = c.case_insensitive
    values = tuple(v.lower() for v in c.values) if fold else c.values
    inverted = c.inverted
    if c.operator == "STR_CONTAINS":

        def test(value: str) -> bool:
            return any(v in value for v in values)

    elif c.operator == "STR_STARTS_WITH":

        def test(value: str) -> bool:
            return value.startswith(values)

    else:

        def test(value: str) -> bool:
            return value.endswith(values)

    def check(ctx: Context) -> bool:
        value = get(ctx)
        if value is None:
            return inverted
        return test(value.lower() if fold else value) != inverted

    return check


def _parse_number(text: str) -> float | None:
    # Rust's f64 parser (which Unleash uses) rejects whitespace and digit separators.
    if "_" in text or text != text.strip():
        return None
    try:
        return float(text)
    except ValueError:
        return None


_Compare = Callable[[object, object], bool]
_ORDER: dict[str, _Compare] = {
    "EQ": lambda a, b: a == b,
    "GT": lambda a, b: a > b,  # type: ignore[operator]
    "GTE": lambda a, b: a >= b,  # type: ignore[operator]
    "LT": lambda a, b: a < b,  # type: ignore[operator]
    "LTE": lambda a, b: a <= b,  # type: ignore[operator]
}
# Unleash compares numbers for equality within f64 epsilon.
_NUM_OPS: dict[str, _Compare] = {
    **_ORDER,
    "EQ": lambda a, b: abs(a - b) < _EPSILON,  # type: ignore[operator]
}
_SEMVER_OPS = _ORDER


def _ordered(
    c: Constraint,
    parse: Callable[[str], object | None],
    compare: _Compare | None,
) -> Predicate:
    target = parse(c.value) if c.value is not None else None
    if compare is None or target is None:
        return never
    get = resolver(c.context_name)
    inverted = c.inverted

    def check(ctx: Context) -> bool:
        raw = get(ctx)
        value = parse(raw) if raw is not None else None
        if value is None:
            return inverted
        return compare(value, target) != inverted

    return check


def parse_date(text: str) -> datetime | None:
    """An RFC 3339 timestamp as an aware datetime (naive means UTC), or None."""
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _date(c: Constraint) -> Predicate:
    target = parse_date(c.value) if c.value is not None else None
    if target is None:
        return never
    after = c.operator == "DATE_AFTER"
    inverted = c.inverted
    field = c.context_name
    get = resolver(field)

    def check(ctx: Context) -> bool:
        raw = ctx.get(field) if field == "currentTime" else get(ctx)
        if raw is None and field == "currentTime":
            # Unleash evaluates against the clock when the context has no currentTime.
            when: datetime | None = datetime.now(UTC)
        elif isinstance(raw, datetime):
            when = raw if raw.tzinfo is not None else raw.replace(tzinfo=UTC)
        else:
            when = parse_date(as_text(raw)) if raw is not None else None
        if when is None:
            return inverted
        return ((when > target) if after else (when < target)) != inverted

    return check
