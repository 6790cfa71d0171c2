"""Compile the expression language (``where``/``of``) into SQLAlchemy predicates.

Each atom becomes ``coalesce(<typed comparison>, false)``, so predicates are never
NULL and ``not``, ``and``, ``or`` keep the two-valued meaning of
:mod:`golive.spec.expr`. Literals are bound parameters, never SQL text.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from golive.engine.dialects import DUCKDB, Dialect
from golive.engine.fields import FieldAccess
from golive.spec.expr import And, Call, Compare, Const, Expr, InList, IsTrue, Not, Or, Value


def compile_predicate(
    expr: Expr, fields: FieldAccess, dialect: Dialect = DUCKDB
) -> ColumnElement[bool]:
    """The SQL predicate for ``expr``, reading fields through ``fields``."""
    if isinstance(expr, And):
        return sa.and_(*(compile_predicate(e, fields, dialect) for e in expr.operands))
    if isinstance(expr, Or):
        return sa.or_(*(compile_predicate(e, fields, dialect) for e in expr.operands))
    if isinstance(expr, Not):
        return sa.not_(compile_predicate(expr.operand, fields, dialect))
    if isinstance(expr, Const):
        return sa.true() if expr.value else sa.false()
    if isinstance(expr, IsTrue):
        return _safe(fields.boolean(expr.field.name) == sa.true())
    if isinstance(expr, Compare):
        return _compare(expr, fields)
    if isinstance(expr, InList):
        name = expr.field.name
        anyof = sa.or_(sa.false(), *(_equals(name, v, fields) for v in expr.values))
        if expr.negated:
            return sa.and_(sa.not_(fields.is_null(name)), sa.not_(anyof))
        return anyof
    if isinstance(expr, Call):
        name = expr.field.name
        if expr.function == "startswith":
            cheaper = fields.text_startswith(name, expr.argument)
            if cheaper is not None:
                return _safe(cheaper)
        return _safe(dialect.string_test(expr.function, fields.text(name), expr.argument))
    raise TypeError(f"unknown expression node {expr!r}")  # pragma: no cover - exhaustive


def _safe(condition: ColumnElement[Any]) -> ColumnElement[bool]:
    return sa.func.coalesce(condition, sa.false())


def _typed(value: Value, name: str, fields: FieldAccess) -> ColumnElement[Any]:
    literal = value.value
    if isinstance(literal, bool):
        return fields.boolean(name)
    if isinstance(literal, int | float):
        return fields.number(name)
    return fields.text(name)


def _bind(value: Value) -> Any:
    literal = value.value
    if isinstance(literal, bool):
        return sa.literal(literal, sa.Boolean)
    if isinstance(literal, int | float):
        return sa.literal(float(literal), sa.Double)
    return sa.literal(literal, sa.String)


def _equals(name: str, value: Value, fields: FieldAccess) -> ColumnElement[bool]:
    if value.value is None:
        return fields.is_null(name)
    if isinstance(value.value, str):
        cheaper = fields.text_equals(name, value.value)
        if cheaper is not None:
            return _safe(cheaper)
    return _safe(_typed(value, name, fields) == _bind(value))


def _compare(expr: Compare, fields: FieldAccess) -> ColumnElement[bool]:
    name, value = expr.field.name, expr.value
    if expr.op == "==":
        return _equals(name, value, fields)
    if expr.op == "!=":
        if value.value is None:
            return sa.not_(fields.is_null(name))
        return sa.and_(sa.not_(fields.is_null(name)), sa.not_(_equals(name, value, fields)))
    column, bound = _typed(value, name, fields), _bind(value)
    comparison = {
        "<": column < bound,
        "<=": column <= bound,
        ">": column > bound,
        ">=": column >= bound,
    }[expr.op]
    return _safe(comparison)
