"""The same checks over JSONL, Parquet and PostgreSQL copies of the same evidence agree."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import golive.sources.sql
from golive.engine import typed_scan
from golive.engine.evaluate import evaluate, plan_check
from golive.engine.explain import explain
from golive.engine.scorecard import Scorecard
from golive.engine.typed_scan import sql_plan
from golive.errors import EvidenceError
from golive.sources.sql import distinct_estimates, read_only
from golive.spec.models import Check, Spec
from golive.spec.sql_sources import SqlSource
from golive.times import epoch_us
from tests.engine.test_differential import MEASURES, _close
from tests.sqlload import fresh_schema, jsonl_to_parquet, jsonl_to_postgres, postgres_url

EXAMPLE = Path(__file__).parents[2] / "examples" / "battle-tested"
AT = datetime(2025, 12, 18, tzinfo=UTC)


def _evaluate(document: dict[str, Any], base_dir: Path) -> Scorecard:
    spec = Spec.model_validate(document)
    return evaluate(spec, base_dir=base_dir, spec_path="golive.yaml", spec_sha256="0" * 64, at=AT)


def _verdicts(card: Scorecard) -> list[dict[str, Any]]:
    """Everything about each check except the evidence (which names other inputs)."""
    out = []
    for check in card.to_document()["checks"]:
        out.append({k: v for k, v in check.items() if k != "evidence"})
    return out


@pytest.fixture
def example() -> dict[str, Any]:
    return yaml.safe_load((EXAMPLE / "golive.yaml").read_text())  # type: ignore[no-any-return]


def _as_parquet(document: dict[str, Any], folder: Path) -> dict[str, Any]:
    typed = copy.deepcopy(document)
    for name, source in typed["sources"].items():
        jsonl_to_parquet(EXAMPLE / source["path"], folder / f"{name}.parquet")
        typed["sources"][name] = {
            "type": "parquet",
            "path": f"{name}.parquet",
            "time": source["time"],
        }
    return typed


def test_parquet_scorecard_matches_jsonl(example: dict[str, Any], tmp_path: Path) -> None:
    jsonl = _evaluate(example, EXAMPLE)
    parquet = _evaluate(_as_parquet(example, tmp_path), tmp_path)
    assert _verdicts(parquet) == _verdicts(jsonl)
    assert any(c.buckets for c in jsonl.checks)  # buckets were compared too
    router = parquet.checks[0].evidence[0]
    assert (router.path, router.records) == ("router.parquet", 253)


@pytest.mark.postgres
def test_postgres_and_parquet_scorecards_match_jsonl(
    example: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = postgres_url()
    monkeypatch.setenv("GOLIVE_PG", url)
    jsonl = _evaluate(example, EXAMPLE)
    parquet = _evaluate(_as_parquet(example, tmp_path), tmp_path)
    with fresh_schema(url) as (engine, schema):
        typed = copy.deepcopy(example)
        for name, source in typed["sources"].items():
            jsonl_to_postgres(EXAMPLE / source["path"], engine, f"{schema}.{name}")
            typed["sources"][name] = {
                "type": "sql",
                "url_env": "GOLIVE_PG",
                "table": f"{schema}.{name}",
                "time": source["time"],
            }
        postgres = _evaluate(typed, tmp_path)
    for j, p, s in zip(_verdicts(jsonl), _verdicts(parquet), _verdicts(postgres), strict=True):
        assert j == p == s, (j["id"], j, p, s)
    evidence = postgres.checks[0].evidence[0]
    assert evidence.path.startswith("postgresql")
    assert evidence.records == 253
    assert len(evidence.sha256 or "") == 64


# -- the differential idea, on typed columns -------------------------------------------

WORDS = ["x", "xy", "y", "m", "strict", "", "X", "x*y", "a.b", "x%", "x_y", "%x", "\\x"]
TYPED_ATOMS = [
    'a == "x"',
    'a != "y"',
    "a == 1",
    "a == null",
    "a != null",
    "n > 2.5",
    "n <= 3",
    "-1 < n",
    'n == "x"',
    'a < "m"',
    'a in ["x", 1, null]',
    'a not in ["x", true]',
    'startswith(a, "x")',
    'startswith(a, "x%")',
    'startswith(a, "x_")',
    'startswith(a, "\\\\")',
    'endswith(a, "y")',
    'contains(a, ".")',
    'glob(a, "x*")',
    'matches(a, "^[xy]")',
    "flag",
    "flag == false",
    "true",
]


@st.composite
def typed_rows(draw: st.DrawFn) -> dict[str, Any]:
    seconds = draw(st.one_of(st.none(), st.integers(0, 3 * 86400)))
    return {
        "ts": None if seconds is None else AT - timedelta(seconds=seconds),
        "a": draw(st.one_of(st.none(), st.sampled_from(WORDS))),
        "n": draw(st.one_of(st.none(), st.floats(-1e4, 1e4).map(lambda f: round(f, 3)))),
        "flag": draw(st.one_of(st.none(), st.booleans())),
    }


@st.composite
def typed_expressions(draw: st.DrawFn, depth: int = 2) -> str:
    if depth == 0 or draw(st.booleans()):
        return draw(st.sampled_from(TYPED_ATOMS))
    kind = draw(st.sampled_from(["and", "or", "not"]))
    if kind == "not":
        return f"not ({draw(typed_expressions(depth - 1))})"
    left, right = draw(typed_expressions(depth - 1)), draw(typed_expressions(depth - 1))
    return f"({left}) {kind} ({right})"


@st.composite
def typed_checks(draw: st.DrawFn, index: int) -> dict[str, Any]:
    measure = draw(st.sampled_from(MEASURES))
    check: dict[str, Any] = {"id": f"c{index}", "source": "r", "measure": measure}
    check["expect"] = ">= 0"
    if draw(st.booleans()):
        check["where"] = draw(typed_expressions())
    if measure == "ratio":
        check["of"] = draw(typed_expressions())
    if measure in ("sum", "avg", "min", "max", "p50", "p90", "p95", "p99"):
        check["field"] = "n"
    if measure == "distinct":
        check["field"] = draw(st.sampled_from(["a", "n", "flag"]))
    check["window"] = draw(st.sampled_from(["all", "1d", "2d", "36h"]))
    if check["window"] != "all" and draw(st.booleans()):
        check["every"] = draw(st.sampled_from(["6h", "12h"]))
    return check


def _json_line(row: dict[str, Any]) -> str:
    record = {k: v for k, v in row.items() if v is not None}
    if row["ts"] is not None:
        record["ts"] = row["ts"].strftime("%Y-%m-%dT%H:%M:%SZ")
    return json.dumps(record)


# How PostgreSQL's statistics could rate the percentile field ``n``: few values (the
# statement is grouped by it), none known (a histogram), many (percentile_cont).
ESTIMATES: dict[str, float | None] = {"grouped": 3.0, "histogram": None, "ordered": 1e9}


@pytest.mark.postgres
@pytest.mark.parametrize("way", list(ESTIMATES))
def test_postgres_matches_jsonl_on_generated_rows(
    way: str, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    def estimates(connection: Any, config: Any, columns: list[str]) -> dict[str, float | None]:
        return {column: ESTIMATES[way] for column in columns}

    monkeypatch.setattr(typed_scan, "distinct_estimates", estimates)
    url = postgres_url()
    monkeypatch.setenv("GOLIVE_PG", url)
    folder = tmp_path_factory.mktemp("typed")
    with fresh_schema(url) as (engine, schema):
        with engine.begin() as connection:
            connection.exec_driver_sql(
                f"CREATE TABLE {schema}.r"
                " (ts timestamptz, a text, n double precision, flag boolean)"
            )

        @settings(max_examples=60, deadline=None)
        @given(
            rows=st.lists(typed_rows(), max_size=30),
            check_list=st.integers(1, 4).flatmap(
                lambda n: st.tuples(*(typed_checks(i) for i in range(n)))
            ),
        )
        def compare(rows: list[dict[str, Any]], check_list: tuple[dict[str, Any], ...]) -> None:
            with engine.begin() as connection:
                connection.exec_driver_sql(f"TRUNCATE {schema}.r")
                if rows:
                    connection.execute(
                        sa.text(f"INSERT INTO {schema}.r VALUES (:ts, :a, :n, :flag)"), rows
                    )
            (folder / "r.jsonl").write_text("".join(_json_line(r) + "\n" for r in rows))
            document: dict[str, Any] = {"version": 1, "name": "typed", "checks": list(check_list)}
            jsonl_source = {"type": "jsonl", "path": "r.jsonl", "time": "ts"}
            sql_source = {"type": "sql", "url_env": "GOLIVE_PG", "table": f"{schema}.r"}
            cards = [
                _evaluate({**document, "sources": {"r": {**s, "max_invalid": 10**6}}}, folder)
                for s in (jsonl_source, {**sql_source, "time": "ts"})
            ]
            for jsonl, sql in zip(*(c.checks for c in cards), strict=True):
                assert _close(sql.observed, jsonl.observed), (jsonl, sql)
                assert [b.observed for b in sql.buckets or ()] == pytest.approx(
                    [b.observed for b in jsonl.buckets or ()]
                ), (jsonl, sql)
                assert sql.evidence[0].invalid == jsonl.evidence[0].invalid, (jsonl, sql)

        compare()


@pytest.mark.postgres
def test_the_window_reaches_the_time_index(tmp_path: Path) -> None:
    """The scan's WHERE compares the raw timestamptz column with bound instants."""
    url = postgres_url()
    with fresh_schema(url) as (engine, schema):
        with engine.begin() as connection:
            connection.exec_driver_sql(
                f"CREATE TABLE {schema}.r AS SELECT TIMESTAMPTZ '2025-12-18 00:00+00' - "
                "g * INTERVAL '1 minute' AS ts, 'x' AS a FROM generate_series(1, 50000) g"
            )
            connection.exec_driver_sql(f"CREATE INDEX ON {schema}.r (ts)")
            connection.exec_driver_sql(f"ANALYZE {schema}.r")
        config = SqlSource(type="sql", url=url, table=f"{schema}.r", time="ts")
        checks = [
            plan_check(Spec(version=1, name="x", checks=[check]), 0, check, epoch_us(AT))
            for check in [
                Check(id="n", source="r", measure="count", expect=">= 0", window="1h")  # type: ignore[arg-type]
            ]
        ]
        with read_only(sa.make_url(url), None, tmp_path) as connection:
            compiled = sql_plan(connection, config, checks).compiled
            assert compiled is not None
            sql = compiled.statement.compile(dialect=connection.dialect)
            plan = "\n".join(
                row[0] for row in connection.exec_driver_sql(f"EXPLAIN {sql}", sql.params).all()
            )
            answer = connection.execute(compiled.statement).one()
    assert "Index" in plan, plan
    assert "Seq Scan" not in plan, plan
    assert answer.c0_n == 59  # (23:00, 00:00]: the row at 23:00 is out


def test_explain_names_each_source_and_runs_nothing(tmp_path: Path) -> None:
    spec = Spec.model_validate(
        {
            "version": 1,
            "name": "explain",
            "sources": {
                "router": {"type": "jsonl", "path": "nothing-here.jsonl", "time": "ts"},
                "csv": {"type": "csv", "path": "router.csv", "time": "ts"},
            },
            "checks": [
                {"id": "a", "source": "router", "measure": "count", "expect": ">= 1"},
                {
                    "id": "b",
                    "source": "csv",
                    "measure": "p95",
                    "field": "duration_ms",
                    "where": 'lane == "strict"',
                    "expect": "<= 1",
                    "window": "7d",
                },
            ],
        }
    )
    data = Path(__file__).parents[1] / "data" / "tabular"
    explained = explain(spec, data, AT)
    assert [(name, dialect) for name, dialect, _ in explained] == [
        ("router", "duckdb"),
        ("csv", "duckdb"),
    ]
    csv_sql = explained[1][2]
    assert "quantile_cont" in csv_sql
    assert "'strict'" in csv_sql  # a bound parameter, listed after the statement
    assert "strict" not in csv_sql.split("-- parameters:")[0]


def test_explain_refuses_an_engine_without_a_dialect(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LITE", f"sqlite:///{tmp_path}/x.db")
    spec = Spec.model_validate(
        {
            "version": 1,
            "name": "explain",
            "sources": {"db": {"type": "sql", "url_env": "LITE", "table": "t"}},
            "checks": [{"id": "a", "source": "db", "measure": "count", "expect": ">= 1"}],
        }
    )
    with pytest.raises(EvidenceError, match="SQL engine 'sqlite' has no golive dialect yet"):
        explain(spec, tmp_path, AT)


# -- how a percentile is computed, from PostgreSQL's statistics --------------------------

ROUTER_CHECKS: list[dict[str, Any]] = [
    {"id": "volume", "where": 'action == "process_v5"', "measure": "count"},
    {"id": "strict", "where": 'action == "process_v5" and lane == "strict"', "measure": "count"},
    {"id": "errors", "where": 'action == "process_v5"', "measure": "ratio", "of": 'status == "ok"'},
    {"id": "p95", "where": 'action == "process_v5"', "measure": "p95", "field": "duration_ms"},
    {"id": "avg", "where": 'lane == "local"', "measure": "avg", "field": "duration_ms"},
    {"id": "span", "where": 'action == "process_v5"', "measure": "span"},
]

ROUTER_LOG = "telemetry/gateway_v3_router.log"


def _router(source: dict[str, Any]) -> dict[str, Any]:
    """A spec of ROUTER_CHECKS over ``source``, with a 30-day window."""
    return {
        "version": 1,
        "name": "router",
        "defaults": {"window": "30d"},
        "sources": {"r": source},
        "checks": [{"source": "r", "expect": ">= 0", **c} for c in ROUTER_CHECKS],
    }


def _plan_text(connection: sa.Connection, statement: Any) -> str:
    sql = statement.compile(dialect=connection.dialect)
    rows = connection.exec_driver_sql(f"EXPLAIN (VERBOSE) {sql}", sql.params).all()
    return "\n".join(row[0] for row in rows)


@pytest.mark.postgres
def test_statistics_choose_one_grouped_scan_and_the_answers_stay_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once ANALYZE has counted duration_ms's few values, the p95 is read off a statement
    grouped by the value and by the condition most checks share: no subquery of its own.
    """
    url = postgres_url()
    monkeypatch.setenv("GOLIVE_PG", url)
    jsonl = _evaluate(_router({"type": "jsonl", "path": ROUTER_LOG, "time": "ts"}), EXAMPLE)
    with fresh_schema(url) as (engine, schema):
        jsonl_to_postgres(EXAMPLE / ROUTER_LOG, engine, f"{schema}.r")
        source = {"type": "sql", "url_env": "GOLIVE_PG", "table": f"{schema}.r", "time": "ts"}
        spec = Spec.model_validate(_router(source))
        checks = [plan_check(spec, i, c, epoch_us(AT)) for i, c in enumerate(spec.checks)]
        config = spec.sources["r"]
        assert isinstance(config, SqlSource)
        plans, cards = [], []
        for analysed in (False, True):
            if analysed:
                with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                    c.exec_driver_sql(f"ANALYZE {schema}.r")
            with read_only(sa.make_url(url), None, tmp_path) as connection:
                estimate = distinct_estimates(connection, config, ["duration_ms", "lane"])
                assert (estimate["duration_ms"] is None) is not analysed, estimate
                compiled = sql_plan(connection, config, checks).compiled
                assert compiled is not None
                plans.append(_plan_text(connection, compiled.statement))
                # a numeric column holds no value that is not a number: nothing to count
                names = [c.name for c in compiled.statement.selected_columns]
                assert "c3_quantile" in names
                assert not [n for n in names if n.endswith("_bad")], names
            cards.append(_evaluate(_router(source), tmp_path))
        query = SqlSource(type="sql", url=url, query=f"SELECT * FROM {schema}.r", time="ts")
        with read_only(sa.make_url(url), None, tmp_path) as connection:
            assert distinct_estimates(connection, query, ["duration_ms"]) == {}
    before, after = plans
    assert "InitPlan" in before, before  # the histogram subquery
    assert "InitPlan" not in after, after
    assert "SubPlan" not in after, after
    keys = " ".join(line for line in after.splitlines() if "Group Key:" in line)
    assert "duration_ms" in keys, after
    assert "'process_v5'" in keys, after
    for card in cards:
        assert _verdicts(card) == _verdicts(jsonl)
    assert {c.id: c.observed for c in cards[1].checks}["p95"] is not None


@pytest.mark.postgres
def test_a_catalog_that_cannot_be_read_only_costs_the_estimate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The estimate chooses how a percentile runs; failing to read it fails no check."""
    url = postgres_url()
    monkeypatch.setenv("GOLIVE_PG", url)
    monkeypatch.setattr(
        golive.sources.sql, "_DISTINCT", sa.text("SELECT * FROM no_such_catalog(:table, :columns)")
    )
    jsonl = _evaluate(_router({"type": "jsonl", "path": ROUTER_LOG, "time": "ts"}), EXAMPLE)
    with fresh_schema(url) as (engine, schema):
        jsonl_to_postgres(EXAMPLE / ROUTER_LOG, engine, f"{schema}.r")
        config = SqlSource(type="sql", url=url, table=f"{schema}.r", time="ts")
        with read_only(sa.make_url(url), None, tmp_path) as connection:
            assert distinct_estimates(connection, config, ["duration_ms"]) == {}
            assert connection.exec_driver_sql("SELECT 1").scalar() == 1  # still usable
        source = {"type": "sql", "url_env": "GOLIVE_PG", "table": f"{schema}.r", "time": "ts"}
        card = _evaluate(_router(source), tmp_path)
    assert _verdicts(card) == _verdicts(jsonl)
