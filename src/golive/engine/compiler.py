"""Compile every check on one source into one SQL statement (one scan of the evidence).

The statement has three layers::

    base:    the source's rows (a DuckDB JSON view, a SQL table or query, Parquet, CSV)
    record:  per row: is it a valid record, its time in epoch µs, typed views of fields
             (built by a :class:`~golive.engine.fields.Relation` for that storage)
    SELECT:  per check, FILTER aggregates (count, sum, quantile_cont, ...) over its
             window and ``where``; GROUPING SETS add one row per bucket of each
             distinct (window, every) and, for several files, one row per file.

Literals and JSON paths are bound parameters, never text pasted into SQL. What
differs between engines (percentiles, FILTER or CASE, time functions) is asked of
a :class:`~golive.engine.dialects.Dialect`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from golive.engine.dialects import DUCKDB, Dialect, quantile_of_ranks, running_counts
from golive.engine.fields import Relation, json_object_relation, json_relation
from golive.engine.measures import AGGREGATES, NUMERIC, PERCENTILES
from golive.engine.predicates import compile_predicate
from golive.engine.windows import Window
from golive.spec.expr import And, Const, Expr, fields_of
from golive.spec.models import Check

EARLIEST_US = -2_208_988_800_000_000  # 1900-01-01T00:00:00Z: before any record time
SOURCE_COLUMNS = ("rows", "malformed", "badtime")


@dataclass(frozen=True)
class PlannedCheck:
    """A check with its window resolved at the evaluation instant."""

    index: int
    check: Check
    window: Window
    every_seconds: int | None = None
    uses_time: bool = False
    at_us: int | None = None
    """The evaluation instant; ``age`` looks only at records at or before it."""

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
    dialect: Dialect = DUCKDB,
) -> CompiledSource:
    """The one statement answering every check in ``checks`` over a DuckDB JSON view."""
    relation = json_relation(view, needed_fields(checks), time_field)
    return compile_source(relation, checks, dialect, per_file=per_file)


def compile_json_objects(
    view: str,
    keys: list[str],
    checks: list[PlannedCheck],
    time_field: str | None,
    *,
    per_file: bool,
) -> CompiledSource:
    """The same statement over a DuckDB view reading ``keys`` of each line's object.

    Its answers hold only when its ``suspects`` count is 0 (see
    :func:`~golive.engine.fields.json_object_relation`).
    """
    relation = json_object_relation(view, keys, needed_fields(checks), time_field)
    return compile_source(relation, checks, DUCKDB, per_file=per_file)


def scan_range(checks: list[PlannedCheck]) -> tuple[int, int] | None:
    """The smallest time range holding every check's window; None if one is unbounded."""
    starts, ends = [], []
    for planned in checks:
        if planned.window.start_us is None or planned.window.end_us is None:
            return None
        starts.append(planned.window.start_us)
        ends.append(planned.window.end_us)
    return (min(starts), max(ends)) if checks else None


def compile_source(
    relation: Relation,
    checks: list[PlannedCheck],
    dialect: Dialect,
    *,
    per_file: bool,
    distinct: Mapping[str, float | None] | None = None,
) -> CompiledSource:
    """The one statement answering every check in ``checks`` over ``relation``.

    ``distinct`` holds the engine's estimate of how many distinct values each
    percentile's field has (PostgreSQL's statistics); it decides how percentiles are
    computed (:meth:`~golive.engine.dialects.Dialect.percentile_way`).
    """
    estimates = distinct or {}
    several_files = per_file and relation.file is not None
    grouping = _grouping(checks, dialect, estimates, per_file=several_files)
    if grouping is not None:
        return _compile_grouped(relation, checks, dialect, grouping, estimates)
    record, ok, ts = relation.record, relation.ok, relation.ts
    valid: ColumnElement[bool] = sa.true() if ok is None else ok
    selected = _source_counts(relation, dialect)
    groups: dict[tuple[int, int, int], int] = {}
    bucket_groups: dict[int, list[int]] = {}
    group_keys: list[ColumnElement[Any]] = []
    bounds = scan_range(checks) if relation.scan_filter is not None else None
    for planned in checks:
        selected.extend(_aggregates(planned, relation, dialect, bounds, estimates))
        if planned.every_seconds is not None:
            window = planned.window
            assert window.start_us is not None
            assert window.end_us is not None
            key = (window.start_us, window.end_us, planned.every_seconds)
            if key not in groups:
                group = groups[key] = len(groups)
                step = planned.every_seconds * 1_000_000
                in_window = sa.and_(valid, relation.in_window(window.start_us, window.end_us))
                since_start = (ts - window.start_us - 1).self_group()
                bucket = sa.case((in_window, _floor_div(since_start, step, dialect)))
                group_keys.append(bucket.label(f"k_b{group}"))
            bucket_groups.setdefault(groups[key], []).append(planned.index)

    sets: list[Any] = [sa.tuple_()]
    for key_column in group_keys:
        selected.extend(
            [key_column, sa.func.grouping(key_column).label(f"g_{key_column.name[2:]}")]
        )
        sets.append(sa.tuple_(key_column))
    if per_file and relation.file is not None:
        file_key = relation.file.label("k_file")
        selected.extend([file_key, sa.func.grouping(file_key).label("g_file")])
        sets.append(sa.tuple_(file_key))
    statement = sa.select(*selected).select_from(record)
    if relation.scan_filter is not None and bounds is not None:
        statement = statement.where(relation.scan_filter(*bounds))
    if len(sets) > 1:
        statement = statement.group_by(sa.func.grouping_sets(*sets))
    return CompiledSource(statement, bucket_groups, per_file and relation.file is not None)


def _source_counts(relation: Relation, dialect: Dialect) -> list[Any]:
    """The source's own counts: rows scanned, malformed rows, rows without a time."""
    ok = relation.ok
    valid: ColumnElement[bool] = sa.true() if ok is None else ok
    selected: list[Any] = [
        sa.func.count().label("rows"),
        (sa.literal(0) if ok is None else dialect.count_if(sa.not_(ok))).label("malformed"),
        dialect.count_if(sa.and_(valid, relation.time_missing())).label("badtime"),
    ]
    if relation.suspect is not None:
        selected.append(dialect.count_if(relation.suspect).label("suspects"))
    return selected


@dataclass(frozen=True)
class Grouping:
    """What a grouped statement groups the rows by before the checks' sums (PostgreSQL).

    ``field``: a percentile's field with few distinct values; its quantiles are read
    off the groups, so the percentile needs no scan of its own. ``shared``: a
    condition of several checks' ``where``; PostgreSQL computes a grouping key once
    per row and every aggregate's FILTER reads it, instead of testing it again in
    each (PostgreSQL shares no other subexpression between aggregates).
    """

    field: str | None
    shared: Expr | None


SHARED_BY = 3
"""Checks that must share a condition before grouping by it alone pays for the hashing."""


def _grouping(
    checks: list[PlannedCheck],
    dialect: Dialect,
    estimates: Mapping[str, float | None],
    *,
    per_file: bool,
) -> Grouping | None:
    """How to group this statement's rows, or None for one aggregate row straight away."""
    if dialect.name != "postgresql" or per_file:
        return None
    for planned in checks:  # buckets are grouping sets, a distinct count does not add up
        if planned.every_seconds is not None or "distinct" in AGGREGATES[planned.check.measure]:
            return None
    fields = Counter(
        p.check.field
        for p in checks
        if p.check.field is not None
        and p.check.measure in PERCENTILES
        and dialect.percentile_way(estimates.get(p.check.field)) == "grouped"
    )
    chosen = fields.most_common(1)[0][0] if fields else None
    shared, sharing = _shared_condition(checks)
    if sharing < (2 if chosen is not None else SHARED_BY):
        shared = None
    return None if chosen is None and shared is None else Grouping(chosen, shared)


def _shared_condition(checks: list[PlannedCheck]) -> tuple[Expr | None, int]:
    """The ``where`` conjunct most checks have, and how many have it (first seen on ties)."""
    counts: Counter[Expr] = Counter()
    for planned in checks:
        if planned.check.where is not None:
            counts.update(list(dict.fromkeys(_conjuncts(planned.check.where.tree))))
    best = counts.most_common(1)
    return best[0] if best else (None, 0)


def _conjuncts(expr: Expr) -> list[Expr]:
    if isinstance(expr, And):
        return [c for operand in expr.operands for c in _conjuncts(operand)]
    return [] if isinstance(expr, Const) else [expr]


def _compile_grouped(
    relation: Relation,
    checks: list[PlannedCheck],
    dialect: Dialect,
    grouping: Grouping,
    estimates: Mapping[str, float | None],
) -> CompiledSource:
    """One scan grouped by ``grouping``'s keys; the checks' answers are summed over the groups."""
    bounds = scan_range(checks) if relation.scan_filter is not None else None
    keys: list[ColumnElement[Any]] = []
    if grouping.field is not None:
        keys.append(relation.access.number(grouping.field).label("k_value"))
    if grouping.shared is not None:
        keys.append(compile_predicate(grouping.shared, relation.access, dialect).label("k_shared"))
    columns = _source_counts(relation, dialect)
    for planned in checks:
        columns.extend(_aggregates(planned, relation, dialect, bounds, estimates, grouping))
    inner = sa.select(*keys, *columns).select_from(relation.record)
    if relation.scan_filter is not None and bounds is not None:
        inner = inner.where(relation.scan_filter(*bounds))
    groups = inner.group_by(*keys).subquery("grouped")
    read_off = [p for p in checks if f"c{p.index}_h" in groups.c]
    rows: Any = groups
    if read_off:
        windows = [
            column
            for p in read_off
            for column in running_counts(groups.c[f"c{p.index}_h"], groups.c.k_value, f"_{p.index}")
        ]
        rows = sa.select(groups, *windows).subquery("running")
    out = [_summed(rows.c[c.name]).label(c.name) for c in columns if not c.name.endswith("_h")]
    for planned in read_off:
        fraction = PERCENTILES[planned.check.measure]
        upto, n = rows.c[f"upto_{planned.index}"], rows.c[f"n_{planned.index}"]
        quantile = quantile_of_ranks(rows.c.k_value, upto, n, fraction)
        out.append(quantile.label(f"c{planned.index}_quantile"))
    return CompiledSource(sa.select(*out), {}, per_file=False)


_AGGREGATE_NAME = re.compile(r"c\d+_(\w+)$")
_SUMMED_BY: dict[str, str] = {
    **dict.fromkeys((*SOURCE_COLUMNS, "suspects"), "count"),
    **dict.fromkeys(("n", "of", "values", "bad"), "count"),
    "sum": "sum",  # exact (numeric) per group, a double once summed
    **dict.fromkeys(("min", "tmin"), "min"),
    **dict.fromkeys(("max", "tmax", "quantile"), "max"),  # a quantile here: a subquery's value
}


def _summed(column: ColumnElement[Any]) -> ColumnElement[Any]:
    """The whole statement's value of one aggregate column, from its value per group.

    An aggregate without an entry in ``_SUMMED_BY`` is a KeyError, never a guess.
    """
    match = _AGGREGATE_NAME.match(column.name)
    how = _SUMMED_BY[match.group(1) if match else column.name]
    if how == "count":
        return sa.func.coalesce(sa.cast(sa.func.sum(column), sa.BigInteger), 0)
    if how == "sum":
        return sa.cast(sa.func.sum(column), sa.Double)
    return getattr(sa.func, how)(column)  # type: ignore[no-any-return]


def compile_file_counts(
    relation: Relation, checks: list[PlannedCheck], dialect: Dialect
) -> sa.Select[Any]:
    """Per file: rows scanned and rows without a time (the per-file evidence of typed files).

    A typed column never holds a value of the wrong type, so these two counts are
    all a file's evidence needs; this narrow scan is cheaper than a grouping set
    that would compute every check's aggregates once more per file.
    """
    assert relation.file is not None
    statement = (
        sa.select(
            relation.file.label("k_file"),
            sa.func.count().label("rows"),
            dialect.count_if(relation.time_missing()).label("badtime"),
        )
        .select_from(relation.record)
        .group_by(relation.file)
    )
    bounds = scan_range(checks)
    if relation.scan_filter is not None and bounds is not None:
        statement = statement.where(relation.scan_filter(*bounds))
    return statement


def _floor_div(value: ColumnElement[Any], step: int, dialect: Dialect) -> ColumnElement[Any]:
    """Integer division rounding down (bucket numbers; negatives never reach a bucket)."""
    if dialect.name == "duckdb":
        return value.op("//")(step)
    return sa.func.div(value, step)


def _aggregates(
    planned: PlannedCheck,
    relation: Relation,
    dialect: Dialect,
    scanned: tuple[int, int] | None,
    estimates: Mapping[str, float | None],
    grouping: Grouping | None = None,
) -> list[ColumnElement[Any]]:
    """The aggregates of one check; ``scanned`` is the range the statement's WHERE keeps.

    In a grouped statement a sum stays exact (numeric) until the groups are summed,
    and a percentile of the field grouped by is a count per group (``_h``), read off
    the groups by :func:`_compile_grouped`.
    """
    grouped_field = None if grouping is None else grouping.field
    check, prefix = planned.check, f"c{planned.index}_"
    access, window = relation.access, planned.window
    selection: list[ColumnElement[bool]] = [] if relation.ok is None else [relation.ok]
    if window.start_us is not None and window.end_us is not None:
        if (window.start_us, window.end_us) == scanned:
            # the WHERE already keeps exactly this window (and rows without a time)
            selection.append(sa.not_(relation.time_missing()))
        else:
            selection.append(relation.in_window(window.start_us, window.end_us))
    elif planned.uses_time:
        selection.append(sa.not_(relation.time_missing()))
    if check.measure == "age" and planned.at_us is not None:
        # How long ago, seen from the evaluation instant: later records do not exist yet.
        selection.append(relation.in_window(EARLIEST_US, planned.at_us))
    if check.where is not None:
        selection.append(compile_predicate(check.where.tree, access, dialect))
    chosen = sa.and_(sa.true(), *selection)  # true() vanishes unless alone

    wanted = AGGREGATES[check.measure]
    out: list[ColumnElement[Any]] = []
    if "n" in wanted:
        out.append(dialect.count_if(chosen).label(prefix + "n"))
    if "of" in wanted and check.of is not None:
        of = compile_predicate(check.of.tree, access, dialect)
        out.append(dialect.count_if(sa.and_(chosen, of)).label(prefix + "of"))
    if check.measure in NUMERIC and check.field is not None:
        number = access.number(check.field)
        if "sum" in wanted:
            exact = dialect.float_sum(number, chosen, partial=grouping is not None)
            out.append(exact.label(prefix + "sum"))
            out.append(dialect.aggregate("count", number, chosen).label(prefix + "values"))
        if "min" in wanted:
            out.append(dialect.aggregate("min", number, chosen).label(prefix + "min"))
        if "max" in wanted:
            out.append(dialect.aggregate("max", number, chosen).label(prefix + "max"))
        if "quantile" in wanted:
            fraction = PERCENTILES[check.measure]
            way = dialect.percentile_way(estimates.get(check.field))
            if planned.every_seconds is not None or way == "inline":  # one value per bucket
                out.append(dialect.percentile(number, fraction, chosen).label(prefix + "quantile"))
            elif way == "grouped" and check.field == grouped_field:
                counted = sa.and_(chosen, number.is_not(None))
                out.append(dialect.count_if(counted).label(prefix + "h"))
            else:
                scope = [chosen]
                if scanned is not None and relation.scan_filter is not None:
                    scope.append(relation.scan_filter(*scanned))
                quantile = dialect.scanning_percentile(
                    number,
                    fraction,
                    relation.record,
                    sa.and_(*scope),
                    ordered=way == "ordered",
                )
                out.append(quantile.label(prefix + "quantile"))
        if not access.numbers_only(check.field):  # a present value that is not a number
            present = sa.not_(access.is_null(check.field))
            bad = sa.and_(chosen, present, number.is_(None))
            out.append(dialect.count_if(bad).label(prefix + "bad"))
    if "distinct" in wanted and check.field is not None:
        identity = access.identity(check.field)
        present = sa.not_(access.is_null(check.field))
        out.append(
            dialect.count_distinct(identity, sa.and_(chosen, present)).label(prefix + "distinct")
        )
    for name in ("max", "min"):
        if f"t{name}" in wanted:
            extreme = relation.time_extreme(partial(dialect.aggregate, name, condition=chosen))
            out.append(extreme.label(f"{prefix}t{name}"))
    return out
