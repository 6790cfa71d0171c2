"""Compile every check on one source into one SQL statement (one scan of the evidence).

The statement has three layers::

    base:    the source's rows, with the JSON values of every field the checks read
    record:  per row: is it a valid record, its time in epoch µs, typed views of fields
    SELECT:  per check, FILTER aggregates (count, sum, quantile_cont, ...) over its
             window and ``where``; GROUPING SETS add one row per bucket of each
             distinct (window, every) and, for several files, one row per file.

Literals and JSON paths are bound parameters, never text pasted into SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from golive.engine.fields import JsonAccess, json_field_columns, json_path, json_time_us
from golive.engine.measures import AGGREGATES, NUMERIC, PERCENTILES
from golive.engine.predicates import compile_predicate
from golive.engine.windows import Window
from golive.spec.expr import fields_of
from golive.spec.models import Check

SOURCE_COLUMNS = ("rows", "malformed", "badtime")


@dataclass(frozen=True)
class PlannedCheck:
    """A check with its window resolved at the evaluation instant."""

    index: int
    check: Check
    window: Window
    every_seconds: int | None = None
    uses_time: bool = False

    @property
    def buckets(self) -> list[Window] | None:
        return None if self.every_seconds is None else self.window.buckets(self.every_seconds)


@dataclass
class SourceScan:
    """What one scan answered: whole-window aggregates, per bucket, per file."""

    total: dict[str, Any]
    # check index -> bucket number -> aggregates of that bucket
    buckets: dict[int, dict[int, dict[str, Any]]] = field(default_factory=dict)
    files: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class CompiledSource:
    """The statement for one source and how to read its result rows."""

    statement: sa.Select[Any]
    # grouping-set number -> indexes of the checks bucketed by it
    bucket_groups: dict[int, list[int]]
    per_file: bool

    def read(self, rows: list[sa.Row[Any]]) -> SourceScan:
        """Sort the grouping-set rows into total, bucket and file answers."""
        scan = SourceScan(total={})
        for row in rows:
            values = dict(row._mapping)
            if self.per_file and values["g_file"] == 0:
                scan.files[values["k_file"]] = values
                continue
            for group, indexes in self.bucket_groups.items():
                if values[f"g_b{group}"] == 0:
                    key = values[f"k_b{group}"]
                    if key is not None:
                        for index in indexes:
                            scan.buckets.setdefault(index, {})[int(key)] = values
                    break
            else:
                scan.total = values
        return scan


def needed_fields(checks: list[PlannedCheck]) -> list[str]:
    """Every field name the checks read, in a stable order."""
    names: dict[str, None] = {}
    for planned in checks:
        check = planned.check
        for expression in (check.where, check.of):
            if expression is not None:
                for f in fields_of(expression.tree):
                    names.setdefault(f.name, None)
        if check.field is not None:
            names.setdefault(check.field, None)
    return list(names)


def compile_json_source(
    view: str,
    checks: list[PlannedCheck],
    time_field: str | None,
    *,
    per_file: bool,
    at_us: int,
) -> CompiledSource:
    """The one statement answering every check in ``checks`` over a DuckDB JSON view."""
    names = needed_fields(checks)
    paths = ([json_path(time_field)] if time_field else []) + [json_path(n) for n in names]
    source = sa.table(view, sa.column("j"), sa.column("filename"))
    extracted = sa.func.json_extract(source.c.j, sa.literal(paths, sa.ARRAY(sa.String)))
    base = sa.select(source.c.j, source.c.filename, extracted.label("v")).subquery("base")
    values = sa.type_coerce(base.c.v, sa.ARRAY(sa.String))
    offset = 1 if time_field else 0

    projections: list[Any] = [
        base.c.filename.label("filename"),
        # The reader already parsed j (NULL when malformed); an object is text starting
        # with "{", which is far cheaper than asking json_type to parse the line again.
        sa.func.coalesce(sa.func.starts_with(sa.func.ltrim(base.c.j), "{"), False).label("ok"),
        (json_time_us(values[1]) if time_field else sa.null()).label("ts"),
    ]
    columns = {}
    for i, name in enumerate(names):
        column_names, typed = json_field_columns(values[i + 1 + offset], i)
        columns[name] = column_names
        projections.extend(typed)
    record = sa.select(*projections).select_from(base).subquery("record")
    access = JsonAccess(record, columns)
    ok, ts = record.c.ok, record.c.ts

    selected: list[Any] = [
        sa.func.count().label("rows"),
        sa.func.count().filter(sa.not_(ok)).label("malformed"),
        sa.func.count().filter(sa.and_(ok, ts.is_(None))).label("badtime"),
    ]
    groups: dict[tuple[int, int, int], int] = {}
    bucket_groups: dict[int, list[int]] = {}
    group_keys: list[ColumnElement[Any]] = []
    for planned in checks:
        selected.extend(_aggregates(planned, access, ok, ts, at_us))
        if planned.every_seconds is not None:
            window = planned.window
            assert window.start_us is not None
            assert window.end_us is not None
            key = (window.start_us, window.end_us, planned.every_seconds)
            if key not in groups:
                group = groups[key] = len(groups)
                step = planned.every_seconds * 1_000_000
                in_window = sa.and_(ok, ts > window.start_us, ts <= window.end_us)
                since_start = (ts - window.start_us - 1).self_group()
                bucket = sa.case((in_window, since_start.op("//")(step)))
                group_keys.append(bucket.label(f"k_b{group}"))
            bucket_groups.setdefault(groups[key], []).append(planned.index)

    sets: list[Any] = [sa.tuple_()]
    for key_column in group_keys:
        selected.extend(
            [key_column, sa.func.grouping(key_column).label(f"g_{key_column.name[2:]}")]
        )
        sets.append(sa.tuple_(key_column))
    if per_file:
        file_key = record.c.filename.label("k_file")
        selected.extend([file_key, sa.func.grouping(file_key).label("g_file")])
        sets.append(sa.tuple_(file_key))
    statement = sa.select(*selected).select_from(record)
    if len(sets) > 1:
        statement = statement.group_by(sa.func.grouping_sets(*sets))
    return CompiledSource(statement, bucket_groups, per_file)


def _aggregates(
    planned: PlannedCheck, access: JsonAccess, ok: Any, ts: Any, at_us: int
) -> list[ColumnElement[Any]]:
    check, prefix = planned.check, f"c{planned.index}_"
    window = planned.window
    selection: list[ColumnElement[bool]] = [ok]
    if window.start_us is not None and window.end_us is not None:
        selection += [ts > window.start_us, ts <= window.end_us]
    elif planned.uses_time:
        selection.append(ts.is_not(None))
    if check.measure == "age":
        # How long ago, seen from the evaluation instant: later records do not exist yet.
        selection.append(ts <= at_us)
    if check.where is not None:
        selection.append(compile_predicate(check.where.tree, access))
    chosen = sa.and_(*selection)

    wanted = AGGREGATES[check.measure]
    out: list[ColumnElement[Any]] = []
    if "n" in wanted:
        out.append(sa.func.count().filter(chosen).label(prefix + "n"))
    if "of" in wanted and check.of is not None:
        of = compile_predicate(check.of.tree, access)
        out.append(sa.func.count().filter(sa.and_(chosen, of)).label(prefix + "of"))
    if check.measure in NUMERIC and check.field is not None:
        number = access.number(check.field)
        present = sa.not_(access.is_null(check.field))
        if "sum" in wanted:
            out.append(sa.func.fsum(number).filter(chosen).label(prefix + "sum"))
            out.append(sa.func.count(number).filter(chosen).label(prefix + "values"))
        if "min" in wanted:
            out.append(sa.func.min(number).filter(chosen).label(prefix + "min"))
        if "max" in wanted:
            out.append(sa.func.max(number).filter(chosen).label(prefix + "max"))
        if "quantile" in wanted:
            fraction = sa.literal(PERCENTILES[check.measure], sa.Double)
            out.append(
                sa.func.quantile_cont(number, fraction).filter(chosen).label(prefix + "quantile")
            )
        bad = sa.and_(chosen, present, number.is_(None))
        out.append(sa.func.count().filter(bad).label(prefix + "bad"))
    if "distinct" in wanted and check.field is not None:
        identity = access.identity(check.field)
        present = sa.not_(access.is_null(check.field))
        out.append(
            sa.func.count(sa.distinct(identity))
            .filter(sa.and_(chosen, present))
            .label(prefix + "distinct")
        )
    if "tmax" in wanted:
        out.append(sa.func.max(ts).filter(chosen).label(prefix + "tmax"))
    if "tmin" in wanted:
        out.append(sa.func.min(ts).filter(chosen).label(prefix + "tmin"))
    return out
