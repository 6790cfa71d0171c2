"""Constraint operators, decided as Unleash's engine decides them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from golive.flags import Constraint
from golive.flags.constraints import compile_constraint


def check(constraint: Constraint, ctx: dict[str, Any]) -> bool:
    return compile_constraint(constraint)(ctx)


@pytest.mark.parametrize(
    ("operator", "inverted", "ctx", "expected"),
    [
        ("IN", False, {"environment": "prod"}, True),
        ("IN", False, {"environment": "dev"}, False),
        ("IN", False, {}, False),
        ("NOT_IN", False, {}, True),
        ("NOT_IN", False, {"environment": "prod"}, False),
        ("IN", True, {"environment": "prod"}, False),
        ("IN", True, {}, True),
        ("NOT_IN", True, {}, False),
        ("NOT_IN", True, {"environment": "dev"}, False),
    ],
)
def test_membership(operator: str, inverted: bool, ctx: dict[str, Any], expected: bool) -> None:
    c = Constraint("environment", operator, ("prod", "stage"), inverted=inverted)
    assert check(c, ctx) is expected


def test_custom_fields_come_from_properties_or_a_flat_context() -> None:
    c = Constraint("country", "IN", ("NO",))
    assert check(c, {"properties": {"country": "NO"}})
    assert check(c, {"country": "NO"})
    assert not check(c, {"properties": {"country": "SE"}, "country": "NO"})


def test_standard_fields_are_not_read_from_properties() -> None:
    assert not check(Constraint("userId", "IN", ("1",)), {"properties": {"userId": "1"}})


def test_non_string_context_values_are_compared_as_unleash_text() -> None:
    assert check(Constraint("beta", "IN", ("true",)), {"beta": True})
    assert check(Constraint("userId", "IN", ("42",)), {"userId": 42})


@pytest.mark.parametrize(
    ("operator", "values", "fold", "value", "expected"),
    [
        ("STR_CONTAINS", ("mail",), False, "x@email.com", True),
        ("STR_CONTAINS", ("MAIL",), False, "x@email.com", False),
        ("STR_CONTAINS", ("MAIL",), True, "x@email.com", True),
        ("STR_STARTS_WITH", ("a", "b"), False, "bcd", True),
        ("STR_STARTS_WITH", ("A",), True, "abc", True),
        ("STR_ENDS_WITH", (".com",), False, "x.COM", False),
        ("STR_ENDS_WITH", (".com",), True, "x.COM", True),
    ],
)
def test_string_operators(
    operator: str, values: tuple[str, ...], fold: bool, value: str, expected: bool
) -> None:
    c = Constraint("email", operator, values, case_insensitive=fold)
    assert check(c, {"email": value}) is expected
    assert check(c, {}) is False
    inverted = Constraint("email", operator, values, case_insensitive=fold, inverted=True)
    assert check(inverted, {"email": value}) is not expected
    assert check(inverted, {}) is True


@pytest.mark.parametrize(
    ("operator", "value", "expected"),
    [
        ("NUM_EQ", "12", True),
        ("NUM_EQ", "12.0", True),
        ("NUM_GT", "13", True),
        ("NUM_GT", "12", False),
        ("NUM_GTE", "12", True),
        ("NUM_LT", "11.5", True),
        ("NUM_LTE", "12.5", False),
        ("NUM_EQ", "twelve", False),
        ("NUM_EQ", " 12", False),
        ("NUM_EQ", "1_2", False),
    ],
)
def test_numbers(operator: str, value: str, expected: bool) -> None:
    limit = "12.0" if operator == "NUM_EQ" else "12"
    assert check(Constraint("n", operator, value=limit), {"n": value}) is expected


def test_a_constraint_golive_cannot_read_never_matches_even_inverted() -> None:
    for c in (
        Constraint("n", "NUM_GT", value="many", inverted=True),
        Constraint("v", "SEMVER_EQ", value="v1.0.0", inverted=True),
        Constraint("currentTime", "DATE_AFTER", value="tomorrow", inverted=True),
        Constraint("n", "NO_SUCH_OPERATOR", ("1",), inverted=True),
        Constraint("n", "NUM_GT", inverted=True),
    ):
        assert check(c, {"n": "1", "v": "1.0.0"}) is False, c


def test_dates_use_the_context_or_the_clock() -> None:
    after = Constraint("currentTime", "DATE_AFTER", value="2022-01-29T13:00:00.000Z")
    before = Constraint("currentTime", "DATE_BEFORE", value="2022-01-29T13:00:00Z")
    assert check(after, {"currentTime": "2022-01-29T13:00:01Z"})
    assert not check(after, {"currentTime": "2022-01-29T13:00:00Z"})
    assert check(after, {"currentTime": datetime(2023, 1, 1, tzinfo=UTC)})
    assert check(after, {"currentTime": datetime(2023, 1, 1)})  # naive means UTC
    assert check(before, {"currentTime": "2022-01-29T14:00:00+02:00"})
    assert not check(before, {"currentTime": "not a date"})
    assert check(after, {})  # now is after 2022
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    assert check(Constraint("currentTime", "DATE_BEFORE", value=future), {})


def test_dates_on_a_custom_field_need_the_field() -> None:
    c = Constraint("signupAt", "DATE_BEFORE", value="2024-01-01T00:00:00Z")
    assert check(c, {"properties": {"signupAt": "2023-06-01T00:00:00Z"}})
    assert not check(c, {})


@pytest.mark.parametrize(
    ("operator", "value", "expected"),
    [
        ("SEMVER_EQ", "1.2.2+build.7", True),
        ("SEMVER_GT", "1.2.3-rc.1", True),
        ("SEMVER_GTE", "1.2.2", True),
        ("SEMVER_LT", "1.2.2-alpha", True),
        ("SEMVER_LTE", "1.2.3", False),
        ("SEMVER_EQ", "v1.2.2", False),
        ("SEMVER_EQ", "1.2", False),
    ],
)
def test_semver(operator: str, value: str, expected: bool) -> None:
    assert check(Constraint("version", operator, value="1.2.2"), {"version": value}) is expected
