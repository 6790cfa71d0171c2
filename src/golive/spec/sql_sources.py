"""Spec models of the typed sources: ``sql`` (any SQLAlchemy engine), ``parquet`` and ``csv``.

Checks on these sources run inside the engine that holds the rows; see
docs/sql-sources.md. A password never lives in a spec: ``url_env`` names the
environment variable that holds the URL, and a ``url`` written in the spec is
refused when it carries a password.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from golive.spec.durations import parse_duration

TABLE_NAME = r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$"
COLUMN_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"
PartitionPart = Literal["year", "month", "day", "hour", "date"]
PARTITION_LAYOUTS = (
    ("year",),
    ("year", "month"),
    ("year", "month", "day"),
    ("year", "month", "day", "hour"),
    ("date",),
    ("date", "hour"),
)


def check_select(query: str) -> None:
    """Raise ``ValueError`` unless ``query`` is exactly one read-only SELECT."""
    import sqlglot  # only specs with a query pay for the SQL parser
    from sqlglot import exp

    writes = (
        exp.Insert,
        exp.Update,
        exp.Delete,
        exp.Merge,
        exp.Create,
        exp.Drop,
        exp.Alter,
        exp.Command,
        exp.Into,
        exp.TruncateTable,
    )
    try:
        statements = [s for s in sqlglot.parse(query) if s is not None]
    except sqlglot.errors.ParseError as exc:
        first = str(exc).splitlines()[0]
        raise ValueError(f"query is not valid SQL: {first}") from None
    if len(statements) != 1:
        raise ValueError(f"query must be one SELECT statement, found {len(statements)} statements")
    statement = statements[0]
    if not isinstance(statement, exp.Query):
        raise ValueError(f"query must be a SELECT, found {statement.key.upper()}")
    for node in statement.walk():
        if isinstance(node, writes):
            raise ValueError(
                f"query must only read, but it contains {node.key.upper()}; "
                "write a plain SELECT (WITH ... SELECT and UNION are fine)"
            )


class _Model(BaseModel):
    # the same settings as golive.spec.models (which imports this module)
    model_config = ConfigDict(extra="forbid", frozen=True)


class SqlSource(_Model):
    """Rows of a table or a SELECT on a SQL engine reached through SQLAlchemy."""

    type: Literal["sql"]
    url_env: str | None = Field(
        None,
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
        description="Name of the environment variable holding the SQLAlchemy URL.",
    )
    url: str | None = Field(
        None,
        description="A SQLAlchemy URL without a password (a DuckDB file, or PostgreSQL "
        "authenticated by peer, .pgpass or PGPASSWORD). Use url_env for anything secret.",
    )
    table: str | None = Field(None, pattern=TABLE_NAME, description="[schema.]table to read.")
    query: str | None = Field(None, description="One SELECT, used as a subquery.")
    time: str | None = Field(
        None,
        pattern=COLUMN_NAME,
        description="Time column: timestamp, timestamptz (naive = UTC) or epoch s/ms number.",
    )
    timeout: str | None = Field(
        None,
        description="Longest the statement may run (30s, 5m), enforced by the server (PostgreSQL).",
    )
    max_invalid: int = Field(0, ge=0, description="Rows without a time tolerated.")

    @field_validator("url")
    @classmethod
    def _no_password(cls, url: str | None) -> str | None:
        if url is None:
            return url
        try:
            parsed = make_url(url)
        except ArgumentError:
            raise PydanticCustomError(
                "sql_url", "not a SQLAlchemy URL such as postgresql+psycopg://user@host/db"
            ) from None
        if parsed.password is not None or "password" in {k.lower() for k in parsed.query}:
            raise PydanticCustomError(
                "sql_url",
                "url carries a password, and a spec is not the place for secrets; put the URL "
                "in an environment variable and name it with url_env instead",
            )
        return url

    @field_validator("timeout")
    @classmethod
    def _duration(cls, timeout: str | None) -> str | None:
        if timeout is not None:
            try:
                parse_duration(timeout)
            except ValueError as exc:
                raise PydanticCustomError("duration", "{message}", {"message": str(exc)}) from None
        return timeout

    @property
    def timeout_seconds(self) -> int | None:
        return None if self.timeout is None else parse_duration(self.timeout)

    @field_validator("query")
    @classmethod
    def _one_select(cls, query: str | None) -> str | None:
        if query is not None:
            try:
                check_select(query)
            except ValueError as exc:
                raise PydanticCustomError("sql_query", "{message}", {"message": str(exc)}) from None
        return query

    @model_validator(mode="after")
    def _exactly_one(self) -> SqlSource:
        if (self.url_env is None) == (self.url is None):
            raise PydanticCustomError(
                "sql_source", "give exactly one of url_env (recommended) or url"
            )
        if (self.table is None) == (self.query is None):
            raise PydanticCustomError("sql_source", "give exactly one of table or query")
        return self


class _FileTable(_Model):
    path: str | list[str] = Field(
        description="File path or glob, relative to the spec; or a list of them."
    )
    time: str | None = Field(
        None, pattern=COLUMN_NAME, description="Time column: timestamp or epoch s/ms number."
    )
    hive_partitioning: bool = Field(
        False, description="Read key=value folders (year=2026/month=03/) as columns."
    )
    partition_time: dict[str, PartitionPart] | None = Field(
        None,
        description="Partition keys and the part of the time each holds, e.g. "
        "{year: year, month: month, day: day}; files outside every window are not read.",
    )
    max_invalid: int = Field(0, ge=0, description="Rows without a time tolerated.")

    @property
    def paths(self) -> list[str]:
        return [self.path] if isinstance(self.path, str) else list(self.path)

    @model_validator(mode="after")
    def _partition_needs_hive(self) -> _FileTable:
        if self.partition_time and not self.hive_partitioning:
            raise PydanticCustomError(
                "partition_time", "partition_time needs hive_partitioning: true"
            )
        parts = set((self.partition_time or {}).values())
        if parts and not any(parts == set(layout) for layout in PARTITION_LAYOUTS):
            raise PydanticCustomError(
                "partition_time",
                "partition_time must map keys to year, year+month, year+month+day, "
                "year+month+day+hour, date or date+hour, each part once",
            )
        return self


class ParquetSource(_FileTable):
    """Parquet files read by DuckDB (globs, hive partitions)."""

    type: Literal["parquet"]


class CsvSource(_FileTable):
    """CSV files (plain, .gz or .zst) read by DuckDB, with a header row."""

    type: Literal["csv"]
    delimiter: str = Field(",", min_length=1, max_length=1)


__all__ = ["CsvSource", "ParquetSource", "SqlSource", "check_select"]
