"""The SQL each source's checks compile to, without running it (``golive check --explain``).

SQL sources are connected to (read-only) to learn their column types, and
Parquet/CSV files are opened by DuckDB to read their schema; no check runs.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from golive.engine.compiler import (
    PlannedCheck,
    compile_json_objects,
    compile_json_source,
    needed_fields,
)
from golive.engine.duck import DuckSession, duck_session
from golive.engine.evaluate import plan_check
from golive.engine.fields import object_keys
from golive.engine.typed_scan import files_plan, select_files, sql_plan
from golive.errors import EvidenceError
from golive.sources.sql import read_only, resolve_url, scrub
from golive.spec.models import JsonlSource, Spec
from golive.spec.sql_sources import CsvSource, ParquetSource, SqlSource
from golive.times import epoch_us


def explain(spec: Spec, base_dir: Path, at: datetime) -> list[tuple[str, str, str]]:
    """``(source name, dialect, SQL text)`` for every source that has checks."""
    at_us = epoch_us(at)
    by_source: dict[str, list[PlannedCheck]] = {}
    for index, check in enumerate(spec.checks):
        by_source.setdefault(check.source, []).append(plan_check(spec, index, check, at_us))
    out = []
    with duck_session() as duck:
        for number, (name, checks) in enumerate(by_source.items()):
            config = spec.sources[name]
            out.append((name, *_explain_source(config, checks, base_dir, duck, f"src_{number}")))
    return out


def _explain_source(
    config: Any, checks: list[PlannedCheck], base_dir: Path, duck: DuckSession, view: str
) -> tuple[str, str]:
    if isinstance(config, JsonlSource):
        exact = compile_json_source(view, checks, config.time, per_file=False)
        exact_sql = _render(exact.statement, duck.connection.dialect)
        keys = object_keys(needed_fields(checks), config.time)
        if keys is None:
            return "duckdb", exact_sql
        fast = compile_json_objects(f"{view}_objects", keys, checks, config.time, per_file=False)
        return "duckdb", "\n".join(
            [
                f"-- reading the keys {', '.join(keys)} of each line's object:",
                _render(fast.statement, duck.connection.dialect),
                "-- run instead when suspects > 0 (a line that may not be an object):",
                exact_sql,
            ]
        )
    if isinstance(config, SqlSource):
        url = resolve_url(config)
        try:
            with read_only(url, config.timeout_seconds, base_dir) as connection:
                planned = sql_plan(connection, config, checks)
                dialect = connection.dialect
        except (ValueError, ImportError) as exc:  # no golive dialect, or no driver installed
            raise EvidenceError(str(exc)) from None
        except sa.exc.SQLAlchemyError as exc:
            reason = scrub(str(getattr(exc, "orig", None) or exc).strip().splitlines()[0], url)
            raise EvidenceError(f"cannot explain a sql source: {reason}") from None
        return dialect.name, _statement_or_problems(planned, dialect)
    if isinstance(config, ParquetSource | CsvSource):
        files, missing = select_files(config, checks, base_dir)
        if missing is not None or not files:
            return "duckdb", f"-- {missing or 'no file holds a time in the windows'}"
        planned = files_plan(config, checks, [m.path for m in files], duck, view)
        return "duckdb", _statement_or_problems(planned, duck.connection.dialect)
    return "python", f"-- source type '{config.type}' is read into records, then scanned as JSON"


def _statement_or_problems(planned: Any, dialect: sa.Dialect) -> str:
    problems = [f"-- check #{i}: {p}" for i, p in sorted(planned.problems.items())]
    body = [] if planned.compiled is None else [_render(planned.compiled.statement, dialect)]
    if planned.file_counts is not None:
        body += ["-- per-file evidence counts:", _render(planned.file_counts, dialect)]
    return "\n".join(problems + body)


def _render(statement: sa.Select[Any], dialect: sa.Dialect) -> str:
    """The statement as the engine gets it, with its bound parameters listed after it."""
    compiled = statement.compile(dialect=dialect)
    params = "\n".join(f"--   {k} = {v!r}" for k, v in compiled.params.items())
    return f"{compiled}\n-- parameters:\n{params}" if params else str(compiled)
