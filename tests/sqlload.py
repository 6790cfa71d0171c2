"""Helpers for tests that need PostgreSQL or typed copies of JSONL evidence."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest
import sqlalchemy as sa

PG_ENV = "GOLIVE_TEST_POSTGRES_URL"
PG_TYPES = {
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "TIMESTAMP": "timestamp",
    "VARCHAR": "text",
    "BIGINT": "bigint",
    "INTEGER": "integer",
    "DOUBLE": "double precision",
    "BOOLEAN": "boolean",
}


def postgres_url() -> str:
    """The test server's URL, or skip the test saying how to run it."""
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"set {PG_ENV} to a PostgreSQL URL to run the PostgreSQL tests")
    return url


@contextmanager
def fresh_schema(url: str) -> Iterator[tuple[sa.Engine, str]]:
    """A new schema on the test server, dropped afterwards."""
    engine = sa.create_engine(url)
    schema = f"golive_{uuid.uuid4().hex[:12]}"
    with engine.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        yield engine, schema
    finally:
        with engine.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        engine.dispose()


def jsonl_to_postgres(path: Path, engine: sa.Engine, table: str) -> None:
    """Load a JSON Lines file into a new PostgreSQL table, with the types DuckDB infers."""
    relation = duckdb.connect().read_json(str(path), format="newline_delimited")
    names = relation.columns
    types = [PG_TYPES[str(t)] for t in relation.types]
    columns = ", ".join(f'"{n}" {t}' for n, t in zip(names, types, strict=True))
    rows = relation.fetchall()
    marks = ", ".join(f":{i}" for i in range(len(names)))
    with engine.begin() as connection:
        connection.exec_driver_sql(f"CREATE TABLE {table} ({columns})")
        connection.execute(
            sa.text(f"INSERT INTO {table} VALUES ({marks})"),
            [{str(i): v for i, v in enumerate(row)} for row in rows],
        )


def jsonl_to_parquet(path: Path, target: Path) -> None:
    """Write a JSON Lines file as Parquet, with the types DuckDB infers."""
    connection = duckdb.connect()
    connection.read_json(str(path), format="newline_delimited").write_parquet(str(target))
