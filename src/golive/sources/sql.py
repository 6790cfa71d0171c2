"""SQL evidence: a read-only connection to the engine that holds the rows.

The checks themselves run inside the engine (one statement, compiled by
:mod:`golive.engine.compiler`); this module resolves the URL without ever
showing its password, opens a read-only transaction with the server-side
timeout, names the rows to read (a table or the spec's SELECT as a subquery),
and reports the column types and the server version.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from golive.errors import EvidenceError
from golive.spec.sql_sources import SqlSource

CONNECT_TIMEOUT_S = 10


def resolve_url(config: SqlSource, environ: Mapping[str, str] | None = None) -> URL:
    """The source's SQLAlchemy URL, from ``url_env`` or ``url``."""
    env = os.environ if environ is None else environ
    if config.url_env is not None:
        text = env.get(config.url_env)
        if not text:
            raise EvidenceError(
                f"environment variable {config.url_env} is not set; "
                "set it to a SQLAlchemy URL such as postgresql+psycopg://user:pass@host/db"
            )
    else:
        assert config.url is not None
        text = config.url
    try:
        return make_url(text)
    except sa.exc.ArgumentError:
        where = config.url_env or "url"
        raise EvidenceError(f"{where} does not hold a SQLAlchemy URL") from None


def display_url(url: URL) -> str:
    """The URL as evidence names it: no password, no query parameters (they may hold secrets)."""
    # URL.set() ignores None, so build a new URL that never had a password
    bare = URL.create(url.drivername, url.username, None, url.host, url.port, url.database)
    return bare.render_as_string(hide_password=False)


def scrub(text: str, url: URL) -> str:
    """``text`` with the URL's password (plain or URL-encoded) replaced by ``***``."""
    secrets = [str(v) for k, v in url.query.items() if "password" in k.lower()]
    if url.password:
        secrets.append(str(url.password))
    for secret in secrets:
        for form in {secret, quote_plus(secret), quote_plus(secret, safe="")}:
            text = text.replace(form, "***")
    return text


@contextmanager
def read_only(url: URL, timeout_s: int | None, base_dir: Path) -> Iterator[sa.Connection]:
    """A connection inside a READ ONLY transaction, with the statement timeout set.

    A relative DuckDB file is relative to the spec's folder, like every path in a spec.
    """
    backend = url.get_backend_name()
    connect_args: dict[str, Any] = {}
    if backend == "duckdb":
        connect_args["read_only"] = True  # DuckDB has no statement timeout
        database = url.database or ""
        if database and database != ":memory:" and not Path(database).is_absolute():
            url = url.set(database=str(base_dir / database))
    elif backend == "postgresql":
        connect_args["connect_timeout"] = CONNECT_TIMEOUT_S
    engine = sa.create_engine(url, connect_args=connect_args, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection, connection.begin():
            if backend == "postgresql":
                connection.exec_driver_sql("SET TRANSACTION READ ONLY")
                if timeout_s is not None:
                    # SET takes no bind parameters; the value is an int computed here
                    connection.exec_driver_sql(
                        f"SET LOCAL statement_timeout = {int(timeout_s) * 1000}"
                    )
            yield connection
    finally:
        engine.dispose()


_TABLE = re.compile(r"^(?:([A-Za-z_]\w*)\.)?([A-Za-z_]\w*)$")


def rows_of(config: SqlSource, columns: list[str]) -> Any:
    """The FROM of the scan: the table, or the spec's SELECT as a subquery."""
    if config.table is not None:
        match = _TABLE.match(config.table)
        assert match is not None  # the spec model checked the name
        schema, name = match.groups()
        return sa.table(name, *(sa.column(c) for c in columns), schema=schema)
    assert config.query is not None
    query = config.query.strip().rstrip(";")
    return sa.text(query).columns(*(sa.column(c) for c in columns)).subquery("q")


def column_types(connection: sa.Connection, config: SqlSource) -> dict[str, str]:
    """Each column's SQL type name, from a statement that reads no row."""
    probe = sa.select(sa.text("*")).select_from(rows_of(config, [])).limit(0)
    description = connection.execute(probe).cursor.description
    codes: dict[str, Any] = {d[0]: d[1] for d in description}
    if connection.dialect.name == "postgresql":
        # psycopg reports type OIDs; the catalog names them
        oids = sorted({int(c) for c in codes.values()})
        names: dict[int, str] = dict(
            connection.execute(
                sa.text("SELECT oid::int, format_type(oid, NULL) FROM pg_type WHERE oid = ANY(:o)"),
                {"o": oids},
            ).all()
        )
        return {column: names.get(int(code), "unknown") for column, code in codes.items()}
    return {column: str(code) for column, code in codes.items()}


_DISTINCT = sa.text(
    """
    SELECT s.attname, max(CASE WHEN s.n_distinct >= 0 THEN s.n_distinct
                               WHEN c.reltuples >= 0 THEN -s.n_distinct * c.reltuples END)
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_stats s ON s.schemaname = n.nspname AND s.tablename = c.relname
    WHERE c.oid = to_regclass(:table) AND s.attname = ANY(:columns)
    GROUP BY s.attname
    """
)


def distinct_estimates(
    connection: sa.Connection, config: SqlSource, columns: list[str]
) -> dict[str, float | None]:
    """PostgreSQL's estimate of each column's number of distinct values (``pg_stats``).

    No estimate (None, or no entry) where the table has no statistics yet (never
    analysed), for a ``query`` source, whose rows have none of their own, on other
    engines, and where the catalog cannot be read: the estimate only chooses how a
    percentile is computed, never whether the source can be evaluated.
    """
    if connection.dialect.name != "postgresql" or config.table is None or not columns:
        return {}
    try:
        with connection.begin_nested():  # a failure here must not abort the transaction
            found = connection.execute(_DISTINCT, {"table": config.table, "columns": columns})
            known = {str(name): None if n is None else float(n) for name, n in found.all()}
    except sa.exc.DBAPIError:
        return {}
    return {column: known.get(column) for column in columns}


def server_version(connection: sa.Connection) -> str:
    """The engine's name and version, e.g. ``postgresql 15.20``."""
    info = connection.dialect.server_version_info or ()
    version = ".".join(str(part) for part in info)
    if connection.dialect.name == "duckdb":
        version = str(connection.exec_driver_sql("SELECT version()").scalar())
    return f"{connection.dialect.name} {version}".strip()
