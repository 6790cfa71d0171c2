"""The ``sql`` source: PostgreSQL and DuckDB, read-only, and every way it can go wrong."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from pydantic import ValidationError

from golive.engine.evaluate import evaluate
from golive.engine.scorecard import Scorecard
from golive.sources.sql import display_url, scrub
from golive.spec.models import Spec
from tests.sqlload import fresh_schema, postgres_url

AT = datetime(2025, 12, 18, tzinfo=UTC)
SECRET = "S3cret-pw_42"
ROWS = [
    # ts (timestamptz), lane, ms, ok
    ("2025-12-17T10:00:00+00:00", "strict", 120.0, True),
    ("2025-12-17T11:00:00+00:00", "local", 80.0, True),
    ("2025-12-16T09:00:00+00:00", "local", 300.0, False),
    ("2025-12-01T00:00:00+00:00", "local", 999.0, True),  # outside 7d
    (None, "strict", 50.0, True),  # no time: invalid where a window applies
]


def _card(base: Path, source: dict[str, Any], checks: list[dict[str, Any]]) -> Scorecard:
    spec = Spec.model_validate(
        {
            "version": 1,
            "name": "sql",
            "sources": {"db": source},
            "defaults": {"window": "7d"},
            "checks": [{"source": "db", "expect": ">= 0", **c} for c in checks],
        }
    )
    return evaluate(spec, base_dir=base, spec_path="s.yaml", spec_sha256="0" * 64, at=AT)


@pytest.fixture
def pg(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str]]:
    """(schema, env var name): a fresh schema with table ``events``; the URL carries a password."""
    url = postgres_url()
    with fresh_schema(url) as (engine, schema):
        with engine.begin() as connection:
            connection.exec_driver_sql(
                f"CREATE TABLE {schema}.events (ts timestamptz, lane text, ms double precision,"
                " ok boolean, info jsonb, blob bytea)"
            )
            connection.execute(
                sa.text(f"INSERT INTO {schema}.events VALUES (:t, :l, :m, :o, NULL, NULL)"),
                [dict(zip("tlmo", row, strict=True)) for row in ROWS],
            )
        # the test server trusts local connections, so a password in the URL is accepted
        # and ignored: it lets us look for it in every output
        with_password = sa.make_url(url).set(password=SECRET)
        monkeypatch.setenv("GOLIVE_SQL_URL", with_password.render_as_string(hide_password=False))
        yield schema, "GOLIVE_SQL_URL"


def _text(card: Scorecard) -> str:
    return json.dumps(card.to_document())


@pytest.mark.postgres
def test_checks_run_inside_postgres(pg: tuple[str, str], tmp_path: Path) -> None:
    schema, env = pg
    source = {"type": "sql", "url_env": env, "table": f"{schema}.events", "time": "ts"}
    card = _card(
        tmp_path,
        {**source, "max_invalid": 5},
        [
            {"id": "n", "measure": "count", "where": 'lane == "local"'},
            {"id": "p50", "measure": "p50", "field": "ms"},
            {"id": "ok", "measure": "ratio", "where": "true", "of": "ok"},
            {"id": "span", "measure": "span", "window": "all"},
            {"id": "daily", "measure": "count", "window": "2d", "every": "24h"},
            {"id": "lanes", "measure": "distinct", "field": "lane", "window": "all"},
        ],
    )
    observed = {c.id: c.observed for c in card.checks}
    assert observed == {
        "n": 2,
        "p50": 120,
        "ok": 2 / 3,
        "span": 16 * 86400 + 11 * 3600,
        "daily": 1,
        "lanes": 2,
    }
    assert [b.observed for b in card.checks[4].buckets or ()] == [1, 2]
    evidence = card.checks[0].evidence[0]
    assert evidence.invalid == 1  # the row without a time
    assert evidence.records == 5  # some checks read all rows
    assert SECRET not in _text(card)
    assert evidence.path == display_url(sa.make_url(postgres_url()))
    with sa.create_engine(postgres_url()).connect() as connection:
        version = connection.exec_driver_sql("SHOW server_version").scalar_one()
    detail = card.to_document()["checks"][0]["evidence"][0]["detail"]
    assert detail == {"server": f"postgresql {version.split()[0]}", "rows_scanned": 5}


@pytest.mark.postgres
def test_query_source_is_a_subquery(pg: tuple[str, str], tmp_path: Path) -> None:
    schema, env = pg
    query = f"SELECT ts, lane, ms * 2 AS double_ms FROM {schema}.events WHERE ok"
    card = _card(
        tmp_path,
        {"type": "sql", "url_env": env, "query": query, "time": "ts", "max_invalid": 1},
        [{"id": "max", "measure": "max", "field": "double_ms"}],
    )
    assert card.checks[0].status == "pass"
    assert card.checks[0].observed == 240


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("check", "reason"),
    [
        ({"measure": "sum", "field": "lane"}, "column 'lane' is text (text); sum needs a numeric"),
        ({"measure": "count", "where": 'zone == "eu"'}, "no column 'zone' (columns: blob, info"),
        ({"measure": "count", "where": 'lane.x == "a"'}, "field 'lane.x' is a path into a JSON"),
        ({"measure": "max", "field": "blob"}, "column 'blob' has type bytea, which checks cannot"),
    ],
)
def test_a_check_the_columns_cannot_answer_is_an_error_alone(
    pg: tuple[str, str], tmp_path: Path, check: dict[str, Any], reason: str
) -> None:
    schema, env = pg
    source = {"type": "sql", "url_env": env, "table": f"{schema}.events", "time": "ts"}
    card = _card(
        tmp_path,
        {**source, "max_invalid": 5},
        [{"id": "bad", **check}, {"id": "good", "measure": "count"}],
    )
    bad, good = card.checks
    assert bad.status == "error"
    assert reason in bad.message
    assert (good.status, good.observed) == ("pass", 3)


def _error_of(card: Scorecard) -> str:
    assert {c.status for c in card.checks} == {"error"}, card.checks
    assert SECRET not in _text(card)
    return card.checks[0].message


@pytest.mark.postgres
def test_missing_table_is_an_error(pg: tuple[str, str], tmp_path: Path) -> None:
    schema, env = pg
    source = {"type": "sql", "url_env": env, "table": f"{schema}.nope"}
    message = _error_of(_card(tmp_path, source, [{"id": "n", "measure": "count", "window": "all"}]))
    assert message.startswith("cannot read source 'db': ")
    assert f'relation "{schema}.nope" does not exist' in message


@pytest.mark.postgres
def test_timeout_is_enforced_by_the_server(pg: tuple[str, str], tmp_path: Path) -> None:
    schema, env = pg
    source = {
        "type": "sql",
        "url_env": env,
        "query": f"SELECT ts, pg_sleep(1) AS slept FROM {schema}.events",
        "timeout": "1s",
    }
    message = _error_of(_card(tmp_path, source, [{"id": "n", "measure": "count", "window": "all"}]))
    assert "canceling statement due to statement timeout" in message


@pytest.mark.postgres
def test_the_transaction_is_read_only(pg: tuple[str, str], tmp_path: Path) -> None:
    schema, env = pg
    with sa.create_engine(postgres_url()).begin() as connection:
        connection.exec_driver_sql(f"CREATE SEQUENCE {schema}.s")
    source = {"type": "sql", "url_env": env, "query": f"SELECT nextval('{schema}.s') AS v"}
    message = _error_of(_card(tmp_path, source, [{"id": "n", "measure": "count", "window": "all"}]))
    assert "read-only transaction" in message


@pytest.mark.postgres
def test_permission_denied_is_an_error(pg: tuple[str, str], tmp_path: Path) -> None:
    schema, _ = pg
    role = f"golive_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(postgres_url())
    with admin.begin() as connection:
        connection.exec_driver_sql(f"CREATE ROLE {role} LOGIN PASSWORD '{SECRET}'")
    try:
        url = sa.make_url(postgres_url()).set(username=role, password=SECRET)
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("ROLE_URL", url.render_as_string(hide_password=False))
            source = {"type": "sql", "url_env": "ROLE_URL", "table": f"{schema}.events"}
            card = _card(tmp_path, source, [{"id": "n", "measure": "count", "window": "all"}])
        assert "permission denied for schema" in _error_of(card)
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f"DROP ROLE {role}")
        admin.dispose()


def test_unreachable_server_is_an_error_without_the_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEAD_URL", f"postgresql+psycopg://golive:{SECRET}@127.0.0.1:9/nothing")
    source = {"type": "sql", "url_env": "DEAD_URL", "table": "events"}
    card = _card(tmp_path, source, [{"id": "n", "measure": "count", "window": "all"}])
    message = _error_of(card)
    assert "127.0.0.1" in message
    assert "port 9 failed" in message


def test_unset_environment_variable_is_an_error(tmp_path: Path) -> None:
    source = {"type": "sql", "url_env": "GOLIVE_NO_SUCH_VARIABLE", "table": "events"}
    card = _card(tmp_path, source, [{"id": "n", "measure": "count", "window": "all"}])
    assert "environment variable GOLIVE_NO_SUCH_VARIABLE is not set" in _error_of(card)


def test_missing_driver_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PG8000", f"postgresql+pg8000://me:{SECRET}@127.0.0.1/db")
    source = {"type": "sql", "url_env": "PG8000", "table": "events"}
    card = _card(tmp_path, source, [{"id": "n", "measure": "count", "window": "all"}])
    assert "the driver of postgresql+pg8000 is not installed" in _error_of(card)


def test_unsupported_engine_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LITE", f"sqlite:///{tmp_path}/x.db")
    source = {"type": "sql", "url_env": "LITE", "table": "events"}
    card = _card(tmp_path, source, [{"id": "n", "measure": "count", "window": "all"}])
    assert "SQL engine 'sqlite' has no golive dialect yet" in _error_of(card)


def test_duckdb_file_is_opened_read_only(tmp_path: Path) -> None:
    database = tmp_path / "evidence.duckdb"
    engine = sa.create_engine(f"duckdb:///{database}")
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "CREATE TABLE events AS SELECT TIMESTAMPTZ '2025-12-17 10:00:00+00' AS ts, "
            "'strict' AS lane, 12.5 AS ms UNION ALL "
            "SELECT TIMESTAMPTZ '2025-12-17 11:00:00+00', 'local', 7.5"
        )
    engine.dispose()
    source = {"type": "sql", "url": f"duckdb:///{database}", "table": "events", "time": "ts"}
    card = _card(
        tmp_path,
        source,
        [
            {"id": "sum", "measure": "sum", "field": "ms"},
            {"id": "strict", "measure": "count", "where": 'startswith(lane, "str")'},
        ],
    )
    assert [(c.status, c.observed) for c in card.checks] == [("pass", 20), ("pass", 1)]
    assert card.checks[0].evidence[0].path == f"duckdb:///{database}"
    # a relative file is relative to the spec's folder, and named as the spec wrote it
    relative = _card(
        tmp_path, {**source, "url": "duckdb:///evidence.duckdb"}, [{"id": "n", "measure": "count"}]
    )
    assert (relative.checks[0].observed, relative.checks[0].evidence[0].path) == (
        2,
        "duckdb:///evidence.duckdb",
    )
    before = database.read_bytes()
    _card(tmp_path, source, [{"id": "n", "measure": "count"}])
    assert database.read_bytes() == before


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            {"url": f"postgresql://u:{SECRET}@h/db", "table": "t"},
            "url carries a password",
        ),
        ({"url_env": "X", "query": "SELECT 1; DROP TABLE t"}, "found 2 statements"),
        ({"url_env": "X", "query": "DELETE FROM t"}, "query must be a SELECT, found DELETE"),
        (
            {"url_env": "X", "query": "WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d"},
            "query must only read, but it contains DELETE",
        ),
        ({"url_env": "X", "query": "SELECT * INTO t2 FROM t"}, "contains INTO"),
        ({"url_env": "X", "table": "t; drop"}, "String should match pattern"),
        ({"url_env": "X", "url": "duckdb:///x.db", "table": "t"}, "exactly one of url_env"),
        ({"url_env": "X"}, "exactly one of table or query"),
    ],
)
def test_spec_errors(source: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Spec.model_validate(
            {"version": 1, "name": "x", "sources": {"db": {"type": "sql", **source}}}
        )
    assert message in str(caught.value)


def test_scrub_and_display_hide_every_form_of_the_password() -> None:
    url = sa.make_url(f"postgresql+psycopg://me:{SECRET}%2F@db.example:5432/prod?sslmode=require")
    assert display_url(url) == "postgresql+psycopg://me@db.example:5432/prod"
    assert scrub(f"failed for me:{SECRET}/ and {SECRET}%2F", url) == "failed for me:*** and ***"


JSON_DOCS: list[Any] = [
    {"zone": "eu", "ms": 5, "flags": {"beta": True}},
    {"zone": "us", "ms": "slow"},
    {"zone": 1, "ms": 7.5},
    {"zone": None},
    None,
    {"flags": {"beta": "yes"}},
]
JSON_CHECKS: list[dict[str, Any]] = [
    {"id": "eu", "measure": "count", "where": 'info.zone == "eu"'},
    {"id": "zone-set", "measure": "count", "where": "info.zone != null"},
    {"id": "numeric-zone", "measure": "count", "where": "info.zone == 1"},
    {"id": "beta", "measure": "count", "where": "info.flags.beta"},
    {"id": "max-ms", "measure": "max", "field": "info.ms"},
    {"id": "zones", "measure": "distinct", "field": "info.zone"},
    {"id": "docs", "measure": "count", "where": "info != null"},
]


def _json_card(base: Path, source: dict[str, Any]) -> list[tuple[Any, ...]]:
    card = _card(base, {**source, "time": "ts", "max_invalid": 10}, JSON_CHECKS)
    return [(c.id, c.status, c.observed, c.evidence[0].invalid) for c in card.checks]


@pytest.mark.postgres
def test_json_columns_read_like_json_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = postgres_url()
    monkeypatch.setenv("GOLIVE_PG", url)
    lines = []
    with fresh_schema(url) as (engine, schema):
        with engine.begin() as connection:
            connection.exec_driver_sql(f"CREATE TABLE {schema}.docs (ts timestamptz, info jsonb)")
            for doc in JSON_DOCS:
                connection.execute(
                    sa.text(f"INSERT INTO {schema}.docs VALUES (:t, CAST(:d AS jsonb))"),
                    {
                        "t": "2025-12-17T10:00:00+00:00",
                        "d": None if doc is None else json.dumps(doc),
                    },
                )
                record = {"ts": "2025-12-17T10:00:00Z"} | ({} if doc is None else {"info": doc})
                lines.append(json.dumps(record))
        postgres = _json_card(
            tmp_path, {"type": "sql", "url_env": "GOLIVE_PG", "table": f"{schema}.docs"}
        )
    (tmp_path / "docs.jsonl").write_text("\n".join(lines) + "\n")
    jsonl = _json_card(tmp_path, {"type": "jsonl", "path": "docs.jsonl"})
    assert postgres == jsonl
    assert [row[2] for row in postgres] == [1, 3, 1, 1, 7.5, 3, 5]
    assert postgres[4][3] == 1  # "slow" is not a number: counted invalid, as in JSON Lines


def test_json_columns_on_duckdb(tmp_path: Path) -> None:
    database = tmp_path / "docs.duckdb"
    engine = sa.create_engine(f"duckdb:///{database}")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE docs (ts TIMESTAMPTZ, info JSON)")
        for doc in JSON_DOCS:
            connection.execute(
                sa.text("INSERT INTO docs VALUES (TIMESTAMPTZ '2025-12-17 10:00:00+00', :d)"),
                {"d": None if doc is None else json.dumps(doc)},
            )
    engine.dispose()
    rows = _json_card(tmp_path, {"type": "sql", "url": f"duckdb:///{database}", "table": "docs"})
    assert [row[2] for row in rows] == [1, 3, 1, 1, 7.5, 3, 5]


@pytest.mark.postgres
def test_naive_timestamps_are_utc_and_text_times_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = postgres_url()
    monkeypatch.setenv("GOLIVE_PG", url)
    with fresh_schema(url) as (engine, schema):
        with engine.begin() as connection:
            connection.exec_driver_sql(
                f"CREATE TABLE {schema}.t AS SELECT TIMESTAMP '2025-12-17 23:30:00' AS ts, "
                "'2025-12-17T23:30:00Z'::text AS stamp UNION ALL "
                "SELECT TIMESTAMP '2025-12-17 22:00:00', '2025-12-17T22:00:00Z'"
            )
        source = {"type": "sql", "url_env": "GOLIVE_PG", "table": f"{schema}.t"}
        checks = [
            {"id": "last-hour", "measure": "count", "window": "1h"},
            {"id": "age", "measure": "age", "window": "all"},
        ]
        naive = _card(tmp_path, {**source, "time": "ts"}, checks)
        text = _card(tmp_path, {**source, "time": "stamp"}, checks)
    assert [(c.status, c.observed) for c in naive.checks] == [("pass", 1), ("pass", 1800)]
    assert {c.status for c in text.checks} == {"error"}
    assert "time column 'stamp' has type text" in text.checks[0].message


@pytest.mark.postgres
def test_the_statement_digest_is_reproducible(pg: tuple[str, str], tmp_path: Path) -> None:
    schema, env = pg
    source = {"type": "sql", "url_env": env, "table": f"{schema}.events", "time": "ts"}
    check = {"id": "n", "measure": "count", "where": 'lane == "local"'}
    first, again = (_card(tmp_path, {**source, "max_invalid": 5}, [check]) for _ in range(2))
    other = _card(tmp_path, {**source, "max_invalid": 5}, [{**check, "where": 'lane == "x"'}])
    digest = first.checks[0].evidence[0].sha256
    assert digest == again.checks[0].evidence[0].sha256
    assert digest != other.checks[0].evidence[0].sha256
    assert first.sha256 == again.sha256  # the whole scorecard is reproducible
