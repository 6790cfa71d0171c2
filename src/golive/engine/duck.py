"""DuckDB, the engine that scans file evidence: one in-memory database per evaluation."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import Any

import sqlalchemy as sa

MEMORY_LIMIT = "768MB"


class DuckSession:
    """An in-memory DuckDB reached through SQLAlchemy, with JSON Lines views.

    The database opens on first use, so an evaluation whose sources are all SQL
    engines (or commands, or HTTP) never starts DuckDB (about 0.1 s).
    """

    def __init__(self) -> None:
        self._engine: sa.Engine | None = None

    @cached_property
    def connection(self) -> sa.Connection:
        """The session's connection, opened and configured on first use."""
        self._engine = sa.create_engine("duckdb:///:memory:", poolclass=sa.pool.StaticPool)
        connection = self._engine.connect()
        connection.exec_driver_sql(f"SET memory_limit = '{MEMORY_LIMIT}'")
        connection.exec_driver_sql("SET preserve_insertion_order = false")
        connection.exec_driver_sql(
            "SET disabled_optimizers = 'in_clause,distinct_aggregate_rewrite'"
        )
        return connection

    @property
    def _raw(self) -> Any:
        return self.connection.connection.driver_connection

    def close(self) -> None:
        """Close the database if it was opened."""
        if self._engine is not None:
            self.connection.close()
            self._engine.dispose()

    def add_jsonl_view(self, name: str, files: list[Path]) -> None:
        """Register ``name`` as a view with one row per non-blank line: (j JSON, filename).

        ``j`` is NULL for a line that is not valid JSON, so malformed lines are counted,
        never silently dropped.
        """
        relation = self._raw.read_json(
            [str(f) for f in files],
            format="newline_delimited",
            records="false",
            columns={"j": "JSON"},
            ignore_errors=True,
            filename=True,
        )
        self._raw.register(name, relation)

    def add_json_objects_view(self, name: str, files: list[Path], keys: list[str]) -> None:
        """Register ``name`` with one row per non-blank line: ``keys`` as JSON, filename.

        A line that is not a JSON object reads as a row with every key NULL (see
        :func:`golive.engine.fields.json_object_relation` for why that is safe).
        """
        relation = self._raw.read_json(
            [str(f) for f in files],
            format="newline_delimited",
            records="true",
            columns=dict.fromkeys(keys, "JSON"),
            ignore_errors=True,
            filename=True,
        )
        self._raw.register(name, relation)

    def add_file_view(
        self,
        name: str,
        reader: str,
        files: list[Path],
        *,
        hive_partitioning: bool,
        delimiter: str | None = None,
    ) -> dict[str, str]:
        """Register Parquet or CSV ``files`` as view ``name``; return its column types.

        The view has a ``filename`` column (added by DuckDB) for per-file evidence.
        """
        options: dict[str, Any] = {
            "filename": True,
            "hive_partitioning": hive_partitioning,
            "union_by_name": True,
        }
        if reader == "csv":
            options.update(header=True, delimiter=delimiter or ",")
            relation = self._raw.read_csv([str(f) for f in files], **options)
        else:
            relation = self._raw.read_parquet([str(f) for f in files], **options)
        self._raw.register(name, relation)
        return {c: str(t) for c, t in zip(relation.columns, relation.types, strict=True)}

    def run(self, statement: sa.Select[Any]) -> list[sa.Row[Any]]:
        """Execute a compiled statement and return all its rows."""
        return list(self.connection.execute(statement).fetchall())


@contextmanager
def duck_session() -> Iterator[DuckSession]:
    """A fresh in-memory DuckDB (opened when first used), closed afterwards."""
    session = DuckSession()
    try:
        yield session
    finally:
        session.close()
