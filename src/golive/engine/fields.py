"""How the compiler reads a source's rows and fields, per storage: here, JSON scanned by DuckDB.

The compiler asks for typed views of a field (its text if it is a string, its
number if it is a number, ...) and never for raw SQL text, so the expression
language means the same thing on every engine. Every view is NULL when the value
is missing or of another JSON type; predicates built on them are wrapped in
``coalesce(..., false)`` by the compiler.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from golive.times import EPOCH_MS_THRESHOLD, RFC3339_PATTERN


class FieldAccess(Protocol):
    """Typed views of the fields of one source's records."""

    def is_null(self, name: str) -> ColumnElement[bool]: ...
    def text(self, name: str) -> ColumnElement[Any]: ...
    def number(self, name: str) -> ColumnElement[Any]: ...
    def boolean(self, name: str) -> ColumnElement[Any]: ...
    def identity(self, name: str) -> ColumnElement[Any]: ...
    def numbers_only(self, name: str) -> bool:
        """Whether every present value of ``name`` reads as a number (none can be invalid)."""

    def text_equals(self, name: str, value: str) -> ColumnElement[bool] | None:
        """``text(name) == value`` in a cheaper form, or None where there is none."""

    def text_startswith(self, name: str, prefix: str) -> ColumnElement[bool] | None:
        """``startswith(name, prefix)`` in a cheaper form, or None where there is none."""


def json_path(name: str) -> str:
    """``ctx.lane`` -> ``$."ctx"."lane"`` (names are identifiers, checked by the spec)."""
    return "$" + "".join(f'."{part}"' for part in name.split("."))


@dataclass(frozen=True)
class JsonColumns:
    """Column names in the per-record subquery for one JSON field (``type``: is it null)."""

    type: str
    raw: str
    text: str
    number: str
    boolean: str


def _json_kind_checks(raw: ColumnElement[Any]) -> tuple[Any, Any, Any]:
    """(is string, is number, is boolean) from the first character of minified JSON text.

    ``raw`` is JSON text the reader produced, so its first character decides its type;
    this avoids parsing every value again with ``json_type``.
    """
    first = sa.func.left(raw, 1)
    is_text = first == '"'
    is_number = sa.or_(first == "-", sa.and_(first >= "0", first <= "9"))
    is_bool = raw.in_(("true", "false"))
    return is_text, is_number, is_bool


def json_field_columns(raw: ColumnElement[Any], index: int) -> tuple[JsonColumns, list[Any]]:
    """The typed projections of one extracted JSON value, labelled for the record subquery."""
    names = JsonColumns(f"t{index}", f"r{index}", f"s{index}", f"n{index}", f"b{index}")
    is_text, is_number, is_bool = _json_kind_checks(raw)
    columns = [
        sa.or_(raw.is_(None), raw == "null").label(names.type),
        raw.label(names.raw),
        sa.case((is_text, sa.func.json_extract_string(raw, "$"))).label(names.text),
        sa.case((is_number, sa.try_cast(raw, sa.Double))).label(names.number),
        sa.case((is_bool, raw == "true")).label(names.boolean),
    ]
    return names, columns


def json_time_us(raw: ColumnElement[Any]) -> ColumnElement[Any]:
    """Epoch microseconds of a JSON time value, or NULL (see :mod:`golive.times`)."""
    is_text, is_number, _ = _json_kind_checks(raw)
    text = sa.func.json_extract_string(raw, "$")
    number = sa.try_cast(raw, sa.Double)
    return sa.case(
        (
            sa.and_(is_text, sa.func.regexp_full_match(text, RFC3339_PATTERN)),
            sa.func.epoch_us(sa.try_cast(text, sa.TIMESTAMP(timezone=True))),
        ),
        (
            sa.and_(is_number, sa.func.abs(number) >= EPOCH_MS_THRESHOLD),
            sa.cast(sa.func.round(number * 1_000), sa.BigInteger),
        ),
        (is_number, sa.cast(sa.func.round(number * 1_000_000), sa.BigInteger)),
    )


def _plain_json_string(value: str) -> str | None:
    """The JSON text of ``value`` when every serialiser writes it the same, else None.

    DuckDB re-serialises extracted strings minimally (no ``\\u`` escapes for printable
    characters, no escaped slash), so a string without quotes, backslashes or control
    characters has exactly one text: ``"value"``.
    """
    if any(c in value for c in '"\\') or any(ord(c) < 0x20 for c in value):
        return None
    return f'"{value}"'


@dataclass(frozen=True)
class JsonAccess:
    """:class:`FieldAccess` over the typed columns of the per-record subquery."""

    record: Any
    columns: dict[str, JsonColumns]
    raw_is_minified_text: bool = False
    """The raw column holds DuckDB's minified JSON text, so strings compare as text."""

    def _col(self, name: str, attr: str) -> ColumnElement[Any]:
        return self.record.c[getattr(self.columns[name], attr)]  # type: ignore[no-any-return]

    def is_null(self, name: str) -> ColumnElement[bool]:
        return self._col(name, "type")

    def text(self, name: str) -> ColumnElement[Any]:
        return self._col(name, "text")

    def number(self, name: str) -> ColumnElement[Any]:
        return self._col(name, "number")

    def boolean(self, name: str) -> ColumnElement[Any]:
        return self._col(name, "boolean")

    def text_equals(self, name: str, value: str) -> ColumnElement[bool] | None:
        # Comparing the JSON text skips unescaping every value (about 20% of a scan).
        text = _plain_json_string(value) if self.raw_is_minified_text else None
        if text is None:
            return None
        return self._col(name, "raw") == sa.literal(text, sa.String)

    def text_startswith(self, name: str, prefix: str) -> ColumnElement[bool] | None:
        # A plain prefix has one JSON text, and an escape in the value's first characters
        # starts with a backslash, which a plain prefix never holds: exact, no unescaping.
        text = _plain_json_string(prefix) if self.raw_is_minified_text else None
        if text is None:
            return None
        return sa.func.starts_with(self._col(name, "raw"), sa.literal(text[:-1], sa.String))

    def numbers_only(self, name: str) -> bool:
        return False  # a JSON value may be a string, a boolean, an object...

    def identity(self, name: str) -> ColumnElement[Any]:
        # Numbers by value (0, 0.0, -0.0 are one number), everything else by its JSON text
        # (a string's text starts with a quote, so it never collides with a number's).
        number, raw = self._col(name, "number"), self._col(name, "raw")
        # (+ 0.0 folds -0.0 into 0.0: IEEE says -0.0 + 0.0 == +0.0.)
        return sa.func.coalesce(sa.cast(number + 0.0, sa.String), sa.cast(raw, sa.String))


@dataclass(frozen=True)
class Relation:
    """A source's rows as the compiler reads them: one record subquery and its views."""

    record: Any
    access: FieldAccess
    ts: ColumnElement[Any]
    """Epoch microseconds of the record's time, NULL when missing or unparseable."""
    in_window: Callable[[int, int], ColumnElement[bool]]
    """``start < time <= end`` (epoch µs), on the raw time column where the storage can."""
    ok: ColumnElement[bool] | None = None
    """Whether the row is a record at all (JSON lines can be malformed); None = always."""
    file: ColumnElement[Any] | None = None
    """The file a row came from, for per-file evidence."""
    scan_filter: Callable[[int, int], ColumnElement[bool]] | None = None
    """A WHERE for the whole scan given the union of the windows (so indexes and
    partitions prune); rows without a time must still pass it, to be counted invalid."""
    raw_time: ColumnElement[Any] | None = None
    """A time column that orders like ``ts``: min/max read it, and convert once."""
    to_us: Callable[[ColumnElement[Any]], ColumnElement[Any]] | None = None
    """Epoch microseconds of a ``raw_time`` value."""
    suspect: ColumnElement[bool] | None = None
    """Rows this reader cannot tell from malformed lines; the scan counts them."""

    def time_missing(self) -> ColumnElement[bool]:
        """The row has no usable time."""
        return (self.ts if self.raw_time is None else self.raw_time).is_(None)

    def time_extreme(
        self, aggregate: Callable[[ColumnElement[Any]], ColumnElement[Any]]
    ) -> ColumnElement[Any]:
        """``aggregate`` (min or max) of the time, as epoch µs."""
        if self.raw_time is None or self.to_us is None:
            return aggregate(self.ts)
        return self.to_us(aggregate(self.raw_time))


def json_relation(view: str, names: list[str], time_field: str | None) -> Relation:
    """The rows of a DuckDB view of JSON values ``(j JSON, filename)``: exact for any line."""
    fields = ([time_field] if time_field else []) + names
    source = sa.table(view, sa.column("j"), sa.column("filename"))
    paths = sa.literal([json_path(f) for f in fields], sa.ARRAY(sa.String))
    extracted = sa.func.json_extract(source.c.j, paths)
    base = sa.select(source.c.j, source.c.filename, extracted.label("v")).subquery("base")
    values = sa.type_coerce(base.c.v, sa.ARRAY(sa.String))
    # The reader already parsed j (NULL when malformed) and wrote it back minified, so
    # an object is text starting with "{": far cheaper than json_type parsing it again.
    ok = sa.func.coalesce(sa.func.starts_with(base.c.j, "{"), False).label("ok")
    raw = {f: values[i + 1] for i, f in enumerate(fields)}
    return _typed_relation(base, raw, names, time_field, ok=ok)


def object_keys(names: list[str], time_field: str | None) -> list[str] | None:
    """The top-level keys an object reader reads for these fields, or None if it cannot.

    DuckDB's column names are case-insensitive and its reader adds ``filename``, so
    keys equal to it or to each other but for case leave the exact reader to do the work.
    """
    fields = ([time_field] if time_field else []) + names
    keys = list(dict.fromkeys(f.split(".")[0] for f in fields))
    folded = {k.lower() for k in keys} | {"filename"}
    return keys if keys and len(folded) == len(keys) + 1 else None


def json_object_relation(
    view: str, keys: list[str], names: list[str], time_field: str | None
) -> Relation:
    """The rows of a DuckDB view that read ``keys`` of each line's object as JSON columns.

    One parse per line instead of two, but a malformed or non-object line reads as a
    row with every key NULL, like an object holding none of them. Such rows are
    ``suspect``: a scan with any of them is redone by :func:`json_relation`, so this
    reader is only trusted where every row is provably an object.
    """
    source = sa.table(view, *(sa.column(k) for k in keys), sa.column("filename"))

    def raw(field: str) -> ColumnElement[Any]:
        top, _, rest = field.partition(".")
        column = source.c[top]
        return sa.func.json_extract(column, json_path(rest)) if rest else column

    fields = ([time_field] if time_field else []) + names
    suspect = sa.and_(*(source.c[k].is_(None) for k in keys)).label("suspect")
    return _typed_relation(source, {f: raw(f) for f in fields}, names, time_field, suspect=suspect)


def _typed_relation(
    base: Any,
    raw: dict[str, ColumnElement[Any]],
    names: list[str],
    time_field: str | None,
    *,
    ok: ColumnElement[bool] | None = None,
    suspect: ColumnElement[bool] | None = None,
) -> Relation:
    """The record subquery over ``base``: each field's JSON text in ``raw``, typed."""
    projections: list[Any] = [
        base.c.filename.label("filename"),
        (json_time_us(raw[time_field]) if time_field else sa.null()).label("ts"),
    ]
    projections += [c for c in (ok, suspect) if c is not None]
    columns = {}
    for i, name in enumerate(names):
        column_names, typed = json_field_columns(raw[name], i)
        columns[name] = column_names
        projections.extend(typed)
    record = sa.select(*projections).select_from(base).subquery("record")
    ts = record.c.ts
    return Relation(
        record=record,
        access=JsonAccess(record, columns, raw_is_minified_text=True),
        ts=ts,
        in_window=lambda start, end: sa.and_(ts > start, ts <= end),
        ok=None if ok is None else record.c.ok,
        file=record.c.filename,
        suspect=None if suspect is None else record.c.suspect,
    )
