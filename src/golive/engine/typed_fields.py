"""How the compiler reads typed columns: SQL tables and queries, Parquet, CSV.

A column has one SQL type, so each view of a field is either the column itself
or a typed NULL: ``number`` only from numeric columns, ``text`` only from text
columns, ``boolean`` only from boolean columns. The expression language keeps its
meaning (``lane == 1`` on a text column is false, as it is on a JSON string).

The time column may be a ``timestamp``/``timestamptz`` (a naive timestamp is read
as UTC), an epoch number (seconds, or milliseconds from 1e11 on, as in JSON), or
on DuckDB an RFC 3339 string. For timestamps the window compares the raw column
against bound timestamps, so an index or a partition on the column prunes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from golive.engine.dialects import Dialect, Kind
from golive.engine.fields import JsonAccess, Relation
from golive.engine.measures import NUMERIC
from golive.spec.expr import fields_of
from golive.spec.models import Check
from golive.times import EPOCH_MS_THRESHOLD, RFC3339_PATTERN, from_epoch_us

_NULLS: dict[str, Any] = {"text": sa.String, "number": sa.Double, "boolean": sa.Boolean}


@dataclass(frozen=True)
class Columns:
    """A relation's column names and SQL type names, as the engine reports them."""

    types: dict[str, str]
    dialect: Dialect
    json_paths: bool = True
    """Whether JSON columns can be read (by path); file sources do not (yet)."""

    def kind(self, name: str) -> Kind | None:
        """What a column holds, or None when there is no such column."""
        type_name = self.types.get(name)
        return None if type_name is None else self.dialect.kind(type_name)

    def is_json(self, name: str) -> bool:
        """Whether ``name`` (``doc`` or ``doc.a.b``) reads a value inside a JSON column."""
        return self.json_paths and self.kind(name.split(".")[0]) == "json"

    def field_problem(self, name: str) -> str | None:
        """Why ``name`` cannot be read from this relation, or None."""
        head = name.split(".")[0]
        if "." in name and not self.is_json(name):
            shown = self.kind(head) or "missing"
            return (
                f"field '{name}' is a path into a JSON value, but column '{head}' is {shown}; "
                "paths need a JSON column (json, jsonb) of a sql source"
            )
        kind = self.kind(head)
        if kind is None:
            return f"no column '{name}' (columns: {', '.join(sorted(self.types)) or 'none'})"
        if kind == "other" or (kind == "json" and not self.is_json(name)):
            return f"column '{name}' has type {self.types[name]}, which checks cannot read"
        return None

    def check_problem(self, check: Check) -> str | None:
        """Why ``check`` cannot run on these columns (missing column, unusable type), or None."""
        names = [
            f.name for e in (check.where, check.of) if e is not None for f in fields_of(e.tree)
        ]
        if check.field is not None:
            names.append(check.field)
        for name in names:
            problem = self.field_problem(name)
            if problem is not None:
                return problem
        if check.measure in NUMERIC and check.field is not None and not self.is_json(check.field):
            kind = self.kind(check.field)
            if kind != "number":
                return (
                    f"column '{check.field}' is {kind} ({self.types[check.field]}); "
                    f"{check.measure} needs a numeric column"
                )
        return None

    def time_problem(self, name: str) -> str | None:
        """Why ``name`` cannot be the time column, or None."""
        kind = self.kind(name)
        if kind is None:
            return f"no time column '{name}' (columns: {', '.join(sorted(self.types))})"
        if kind in ("time", "number") or (kind == "text" and self.dialect.name == "duckdb"):
            return None
        return (
            f"time column '{name}' has type {self.types[name]}; "
            "use a timestamp, timestamptz or epoch-number column"
        )


@dataclass(frozen=True)
class TypedAccess:
    """:class:`~golive.engine.fields.FieldAccess` over typed columns of the record subquery."""

    record: Any
    columns: Columns
    labels: dict[str, str]
    json: JsonAccess
    """Fields inside JSON columns: typed views as for JSON Lines (non-numbers are invalid)."""

    def _view(self, name: str, kind: str) -> ColumnElement[Any]:
        if name in self.json.columns:
            return getattr(self.json, kind)(name)  # type: ignore[no-any-return]
        if self.columns.kind(name) != kind:
            return sa.cast(sa.null(), _NULLS[kind])
        column = self.record.c[self.labels[name]]
        if kind == "number":
            return sa.cast(column, sa.Double)
        return self.columns.dialect.exact_text(column) if kind == "text" else column

    def is_null(self, name: str) -> ColumnElement[bool]:
        if name in self.json.columns:
            return self.json.is_null(name)
        return self.record.c[self.labels[name]].is_(None)  # type: ignore[no-any-return]

    def text(self, name: str) -> ColumnElement[Any]:
        return self._view(name, "text")

    def number(self, name: str) -> ColumnElement[Any]:
        return self._view(name, "number")

    def boolean(self, name: str) -> ColumnElement[Any]:
        return self._view(name, "boolean")

    def text_equals(self, name: str, value: str) -> ColumnElement[bool] | None:
        return self.json.text_equals(name, value) if name in self.json.columns else None

    def text_startswith(self, name: str, prefix: str) -> ColumnElement[bool] | None:
        return self.json.text_startswith(name, prefix) if name in self.json.columns else None

    def numbers_only(self, name: str) -> bool:
        # a numeric column's value, cast to a double, is never NULL (NaN stays NaN)
        return name not in self.json.columns and self.columns.kind(name) == "number"

    def identity(self, name: str) -> ColumnElement[Any]:
        if name in self.json.columns:
            return self.json.identity(name)
        if self.columns.kind(name) == "text":
            return self.text(name)  # distinct text values are distinct code points
        return self.record.c[self.labels[name]]  # type: ignore[no-any-return]


def typed_relation(
    source: Any,
    columns: Columns,
    names: list[str],
    time: str | None,
    *,
    file_column: str | None = None,
) -> Relation:
    """The rows of a typed table, query or file relation, with the time as epoch µs."""
    labels = {name: f"f{i}" for i, name in enumerate(names) if not columns.is_json(name)}
    projections: list[Any] = [sa.column(name).label(label) for name, label in labels.items()]
    json_columns = {}
    for i, name in enumerate(names):
        if columns.is_json(name):
            head, *path = name.split(".")
            json_columns[name], typed = columns.dialect.json_field(sa.column(head), path, i)
            projections.extend(typed)
    if time is not None:
        projections.append(sa.column(time).label("traw"))
    if file_column is not None:
        projections.append(sa.column(file_column).label("filename"))
    if not projections:  # a count with no time and no field: DuckDB needs some column
        projections.append(sa.literal_column("1").label("one"))
    record = sa.select(*projections).select_from(source).subquery("record")
    access = TypedAccess(record, columns, labels, JsonAccess(record, json_columns))
    if time is None:
        ts: ColumnElement[Any] = sa.null()
        return Relation(
            record, access, ts, lambda s, e: sa.false(), file=_file(record, file_column)
        )
    raw = record.c.traw
    ts = _epoch_us(raw, columns, time)
    in_window = _window(raw, ts, columns, time)
    ordered = columns.kind(time) == "time"  # min/max of a timestamp, then one conversion
    return Relation(
        record,
        access,
        ts,
        in_window,
        file=_file(record, file_column),
        scan_filter=lambda start, end: sa.or_(in_window(start, end), raw.is_(None)),
        raw_time=raw if ordered else None,
        to_us=columns.dialect.epoch_us if ordered else None,
    )


def _file(record: Any, file_column: str | None) -> ColumnElement[Any] | None:
    return None if file_column is None else record.c.filename


def _epoch_us(raw: ColumnElement[Any], columns: Columns, time: str) -> ColumnElement[Any]:
    kind, dialect = columns.kind(time), columns.dialect
    if kind == "time":
        return dialect.epoch_us(raw)
    if kind == "number":
        number = sa.cast(raw, sa.Double)
        scale = sa.case((sa.func.abs(number) >= EPOCH_MS_THRESHOLD, 1_000), else_=1_000_000)
        return sa.cast(sa.func.round(number * scale), sa.BigInteger)
    # an RFC 3339 string (DuckDB only, checked by Columns.time_problem)
    return sa.case(
        (
            sa.func.regexp_full_match(raw, RFC3339_PATTERN),
            sa.func.epoch_us(sa.try_cast(raw, sa.TIMESTAMP(timezone=True))),
        )
    )


def _window(raw: ColumnElement[Any], ts: ColumnElement[Any], columns: Columns, time: str) -> Any:
    if columns.kind(time) != "time":
        return lambda start, end: sa.and_(ts > start, ts <= end)
    aware = _is_aware(columns.types[time])
    kind = sa.DateTime(timezone=aware)

    def bound(us: int) -> ColumnElement[Any]:
        moment = from_epoch_us(us)
        return sa.literal(moment if aware else moment.replace(tzinfo=None), kind)

    return lambda start, end: sa.and_(raw > bound(start), raw <= bound(end))


def _is_aware(type_name: str) -> bool:
    name = type_name.lower()
    return "with time zone" in name or name.startswith("timestamptz")
