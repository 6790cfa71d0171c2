"""Dialects: each engine's spelling gives the same answers, FILTER or CASE."""

from __future__ import annotations

import fnmatch
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import sqlalchemy as sa

from golive.engine.compiler import CompiledSource, PlannedCheck, compile_source
from golive.engine.dialects import (
    DUCKDB,
    GROUPED_MAX_VALUES,
    HISTOGRAM_MAX_VALUES,
    POSTGRESQL,
    Dialect,
    dialect_for,
    glob_to_regex,
)
from golive.engine.evaluate import plan_check
from golive.engine.typed_fields import Columns, typed_relation
from golive.spec.models import Spec
from golive.times import epoch_us
from tests.sqlload import fresh_schema, jsonl_to_postgres, postgres_url

ROUTER = Path(__file__).parents[2] / "examples" / "battle-tested" / "telemetry"
AT_US = epoch_us(datetime(2025, 12, 18, tzinfo=UTC))
CHECKS: list[dict[str, Any]] = [
    {"measure": "count", "where": 'action == "process_v5"'},
    {"measure": "ratio", "where": 'action == "process_v5"', "of": 'status == "error"'},
    {"measure": "p95", "field": "duration_ms", "where": 'glob(path, "core/*")'},
    {"measure": "sum", "field": "duration_ms", "where": 'matches(lane, "^str")'},
    {"measure": "avg", "field": "duration_ms", "where": 'endswith(path, ".py")'},
    {"measure": "distinct", "field": "wo_id", "where": 'contains(path, "core")'},
    {"measure": "span", "where": 'startswith(path, "bridge/")', "window": "30d"},
    {"measure": "count", "window": "7d", "every": "24h"},
    {"measure": "max", "field": "duration_ms", "window": "all"},
]


def _planned(checks: list[dict[str, Any]] = CHECKS) -> list[PlannedCheck]:
    spec = Spec.model_validate(
        {
            "version": 1,
            "name": "d",
            "sources": {"r": {"type": "jsonl", "path": "x", "time": "ts"}},
            "defaults": {"window": "7d"},
            "checks": [
                {"id": f"c{i}", "source": "r", "expect": ">= 0", **c} for i, c in enumerate(checks)
            ],
        }
    )
    return [plan_check(spec, i, c, AT_US) for i, c in enumerate(spec.checks)]


def _compiled(
    connection: sa.Connection,
    table: Any,
    dialect: Dialect,
    checks: list[dict[str, Any]] = CHECKS,
    distinct: dict[str, float | None] | None = None,
) -> CompiledSource:
    """The statement of ``checks`` over ``table``, its columns typed as the engine says."""
    types = {
        str(row[0]): str(row[1])
        for row in connection.execute(
            sa.text(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = :s AND table_name = :t"
            ),
            {"s": table.schema or "main", "t": table.name},
        )
    }
    names = sorted({"action", "status", "duration_ms", "path", "lane", "wo_id"})
    relation = typed_relation(table, Columns(types, dialect), names, "ts")
    return compile_source(relation, _planned(checks), dialect, per_file=False, distinct=distinct)


def _scan(connection: sa.Connection, table: Any, dialect: Dialect) -> dict[str, Any]:
    compiled = _compiled(connection, table, dialect)
    scan = compiled.read(list(connection.execute(compiled.statement).all()))
    return {"total": scan.total, "buckets": scan.buckets}


def _duckdb_scans() -> tuple[dict[str, Any], dict[str, Any]]:
    engine = sa.create_engine("duckdb:///:memory:")
    with engine.connect() as connection:
        path = ROUTER / "gateway_v3_router.log"
        connection.exec_driver_sql(f"CREATE TABLE router AS SELECT * FROM read_json('{path}')")
        table = sa.table("router")
        return (
            _scan(connection, table, DUCKDB),
            _scan(connection, table, DUCKDB.with_conditional("case")),
        )


def test_case_mode_answers_like_filter_mode_on_duckdb() -> None:
    filtered, cased = _duckdb_scans()
    assert filtered == cased
    assert filtered["total"]["c0_n"] == 93
    assert len(filtered["buckets"][7]) == 7


@pytest.mark.postgres
def test_postgres_answers_like_duckdb_in_both_modes() -> None:
    url = postgres_url()
    expected, _ = _duckdb_scans()
    with fresh_schema(url) as (engine, schema):
        jsonl_to_postgres(ROUTER / "gateway_v3_router.log", engine, f"{schema}.router")
        with engine.connect() as connection:
            table = sa.table("router", schema=schema)
            filtered = _scan(connection, table, POSTGRESQL)
            cased = _scan(connection, table, POSTGRESQL.with_conditional("case"))
    for answer in (filtered, cased):
        assert answer["total"] == pytest.approx(expected["total"])
        # a bucket row answers for the bucketed check (#7); PostgreSQL computes an
        # unbucketed check's percentile once, in a subquery, so only #7 is compared there
        for k, row in expected["buckets"][7].items():
            got = answer["buckets"][7][k]
            assert {c: v for c, v in got.items() if c.startswith("c7_")} == pytest.approx(
                {c: v for c, v in row.items() if c.startswith("c7_")}
            )


def test_postgres_spelling() -> None:
    dialect = sa.dialects.postgresql.dialect()  # type: ignore[attr-defined]
    x = sa.column("x")
    condition = sa.column("ok", sa.Boolean)
    rendered = {
        "percentile": POSTGRESQL.percentile(x, 0.95, condition),
        "percentile_case": POSTGRESQL.with_conditional("case").percentile(x, 0.95, condition),
        "sum": POSTGRESQL.float_sum(x, condition),
        "epoch": POSTGRESQL.epoch_us(x),
    }
    text = {k: str(v.compile(dialect=dialect)) for k, v in rendered.items()}
    assert text["percentile"] == (
        "percentile_cont(%(param_1)s) WITHIN GROUP (ORDER BY x) FILTER (WHERE ok)"
    )
    assert text["percentile_case"] == (
        "percentile_cont(%(param_1)s) WITHIN GROUP (ORDER BY CASE WHEN ok THEN x END)"
    )
    assert text["sum"] == "CAST(sum(CAST(x AS NUMERIC)) FILTER (WHERE ok) AS DOUBLE PRECISION)"
    assert text["epoch"] == "CAST(EXTRACT(epoch FROM x) * %(param_1)s::INTEGER AS BIGINT)"


@pytest.mark.parametrize(
    "pattern", ["x*", "*y", "x?y", "[xy]*", "[!x]*", "a.b", "x*y", "*", "", "(a|b)+", "x\\y"]
)
def test_glob_translation_agrees_with_fnmatch(pattern: str) -> None:
    regex = re.compile(glob_to_regex(pattern), re.DOTALL)
    for text in ["x", "xy", "y", "x*y", "a.b", "axb", "", "(a|b)+", "x\\y", "x\ny", "ab"]:
        assert bool(regex.search(text)) == fnmatch.fnmatchcase(text, pattern), (pattern, text)


def test_an_engine_without_a_dialect_is_named() -> None:
    with pytest.raises(ValueError, match="SQL engine 'trino' has no golive dialect yet"):
        dialect_for("trino")
    assert dialect_for("postgresql") is POSTGRESQL


@pytest.mark.parametrize(
    ("type_name", "kind"),
    [
        ("VARCHAR", "text"),
        ("character varying(20)", "text"),
        ("BIGINT", "number"),
        ("DECIMAL(5,2)", "number"),
        ("double precision", "number"),
        ("BOOLEAN", "boolean"),
        ("timestamp with time zone", "time"),
        ("TIMESTAMP", "time"),
        ("jsonb", "json"),
        ("bytea", "other"),
    ],
)
def test_column_kinds(type_name: str, kind: str) -> None:
    assert DUCKDB.kind(type_name) == kind


@pytest.mark.postgres
def test_the_scanning_percentile_is_percentile_cont_and_numpy_exactly() -> None:
    """The histogram quantile equals PostgreSQL's own and numpy's linear one, bit for bit."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    url = postgres_url()
    with fresh_schema(url) as (engine, schema):
        with engine.begin() as connection:
            connection.exec_driver_sql(f"CREATE TABLE {schema}.v (x double precision, k int)")
        table = sa.table("v", sa.column("x"), sa.column("k"), schema=schema)

        @settings(max_examples=80, deadline=None)
        @given(
            values=st.lists(
                st.one_of(
                    st.sampled_from([0.0, -0.0, 1.0, 2.5, -3.0, 1e300, -1e-300]),
                    st.floats(-1e6, 1e6, allow_nan=False),
                    st.none(),
                ),
                max_size=40,
            ),
            fraction=st.sampled_from([0.0, 0.5, 0.9, 0.95, 0.99, 1.0, 1 / 3]),
        )
        def compare(values: list[float | None], fraction: float) -> None:
            with engine.begin() as connection:
                connection.exec_driver_sql(f"TRUNCATE {schema}.v")
                if values:
                    connection.execute(
                        sa.insert(table), [{"x": v, "k": i % 3} for i, v in enumerate(values)]
                    )
                condition = table.c.k != 1
                ours = POSTGRESQL.scanning_percentile(table.c.x, fraction, table, condition)
                ordered = POSTGRESQL.scanning_percentile(
                    table.c.x, fraction, table, condition, ordered=True
                )
                theirs = (
                    sa.select(sa.func.percentile_cont(fraction).within_group(table.c.x))
                    .where(condition)
                    .scalar_subquery()
                )
                got, by_sorting, want = connection.execute(sa.select(ours, ordered, theirs)).one()
                assert by_sorting == want
            kept = [v for i, v in enumerate(values) if v is not None and i % 3 != 1]
            if not kept:
                assert got is None
                assert want is None
                return
            assert got == want
            # numpy interpolates with another, equally valid rounding: equal to the data's scale
            scale = max(abs(v) for v in kept)
            reference = float(np.percentile(kept, fraction * 100))
            assert got == pytest.approx(reference, rel=1e-12, abs=1e-12 * scale)

        compare()


@pytest.mark.parametrize(
    ("distinct", "way"),
    [
        (None, "histogram"),
        (1, "grouped"),
        (GROUPED_MAX_VALUES, "grouped"),
        (GROUPED_MAX_VALUES + 1, "histogram"),
        (HISTOGRAM_MAX_VALUES, "histogram"),
        (HISTOGRAM_MAX_VALUES + 1, "ordered"),
    ],
)
def test_postgres_percentile_way_follows_the_estimate(distinct: float | None, way: str) -> None:
    assert POSTGRESQL.percentile_way(distinct) == way
    assert DUCKDB.percentile_way(distinct) == "inline"  # quantile_cont runs in parallel


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("distinct", "gathers"),
    [(None, 2), (HISTOGRAM_MAX_VALUES + 1, 2), (3, 1)],
    ids=["histogram", "ordered", "grouped"],
)
def test_a_statement_with_a_percentile_can_scan_in_parallel(
    distinct: float | None, gathers: int
) -> None:
    """No ordered-set aggregate is left in the checks' scan, so PostgreSQL may use its workers.

    The histogram and ``percentile_cont`` scan in a subquery of their own (a second
    Gather); a percentile of few values is read off the one grouped scan.
    """
    url = postgres_url()
    with fresh_schema(url) as (engine, schema):
        jsonl_to_postgres(ROUTER / "gateway_v3_router.log", engine, f"{schema}.router")
        with engine.connect() as connection:
            for setting in ("parallel_setup_cost", "parallel_tuple_cost"):
                connection.exec_driver_sql(f"SET {setting} = 0")
            connection.exec_driver_sql("SET min_parallel_table_scan_size = 0")
            checks = [
                {"measure": "count", "where": 'action == "process_v5"'},
                {"measure": "p95", "field": "duration_ms", "where": 'startswith(path, "core/")'},
            ]
            table = sa.table("router", schema=schema)
            estimates = {"duration_ms": distinct}
            statement = _compiled(connection, table, POSTGRESQL, checks, estimates).statement
            compiled = statement.compile(dialect=connection.dialect)
            plan = "\n".join(
                row[0] for row in connection.exec_driver_sql(f"EXPLAIN {compiled}", compiled.params)
            )
    assert plan.count("Gather") == gathers, plan
    assert "Parallel Seq Scan" in plan, plan
