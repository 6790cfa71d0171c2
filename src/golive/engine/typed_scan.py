"""Scan a typed source (``sql``, ``parquet``, ``csv``) with one compiled statement.

The result says, per check, either the aggregates the statement answered or why
the check cannot run (a missing column, a type the measure cannot use); a source
that cannot be reached at all fails every check, with the engine's reason and
never a credential.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from golive.canonical import digest
from golive.engine.compiler import (
    CompiledSource,
    PlannedCheck,
    SourceScan,
    compile_file_counts,
    compile_source,
    needed_fields,
    scan_range,
)
from golive.engine.dialects import DUCKDB, dialect_for
from golive.engine.duck import DuckSession
from golive.engine.measures import PERCENTILES
from golive.engine.typed_fields import Columns, typed_relation
from golive.errors import EvidenceError
from golive.sources._files import Match, sha256_file
from golive.sources.base import EvidenceItem
from golive.sources.jsonl import expand_each
from golive.sources.sql import (
    column_types,
    display_url,
    distinct_estimates,
    read_only,
    resolve_url,
    rows_of,
    scrub,
    server_version,
)
from golive.sources.tabular import prune
from golive.spec.sql_sources import CsvSource, ParquetSource, SqlSource


@dataclass
class TypedScan:
    """What scanning a typed source gave: aggregates, evidence, and what went wrong."""

    scan: SourceScan | None = None
    evidence: list[EvidenceItem] = field(default_factory=list)
    problems: dict[int, str] = field(default_factory=dict)
    failure: str | None = None
    missing: str | None = None

    def inputs_for(self, planned: PlannedCheck) -> list[EvidenceItem]:
        """The evidence items with this check's record and invalid counts."""
        assert self.scan is not None
        single = len(self.evidence) == 1
        out = []
        for item in self.evidence:
            row = self.scan.total if single else self.scan.files.get(item.detail["file"], {})
            invalid = int(row.get("badtime") or 0) if planned.uses_time else 0
            invalid += int(row.get(f"c{planned.index}_bad") or 0)
            records = int(row.get("rows") or 0)
            detail = {k: v for k, v in item.detail.items() if k != "file"}
            out.append(EvidenceItem(item.path, item.sha256, records, invalid, (), detail))
        return out


@dataclass(frozen=True)
class Plan:
    """The statement for the checks that can run, and why the others cannot."""

    compiled: CompiledSource | None
    problems: dict[int, str]
    file_counts: sa.Select[Any] | None = None


def plan(
    rows: Any,
    columns: Columns,
    checks: list[PlannedCheck],
    time: str | None,
    *,
    file_column: str | None = None,
    per_file: bool = False,
    distinct: dict[str, float | None] | None = None,
) -> Plan:
    """Compile the checks whose fields and measures the columns allow."""
    if time is not None and (problem := columns.time_problem(time)) is not None:
        return Plan(None, {p.index: problem for p in checks})
    problems = {}
    for planned in checks:
        problem = columns.check_problem(planned.check)
        if problem is None and planned.uses_time and time is None:
            problem = "this check needs a time column; set the source's time"
        if problem is not None:
            problems[planned.index] = problem
    runnable = [p for p in checks if p.index not in problems]
    if not runnable:
        return Plan(None, problems)
    relation = typed_relation(rows, columns, needed_fields(runnable), time, file_column=file_column)
    compiled = compile_source(
        relation, runnable, columns.dialect, per_file=False, distinct=distinct
    )
    counts = compile_file_counts(relation, runnable, columns.dialect) if per_file else None
    return Plan(compiled, problems, counts)


def statement_digest(statement: sa.Select[Any], dialect: sa.Dialect) -> str:
    """sha256 of the statement's SQL text and its bound parameters, as the engine gets them."""
    compiled = statement.compile(dialect=dialect)
    params = {k: repr(v) for k, v in compiled.params.items()}
    return digest({"sql": str(compiled), "params": params})


def _reason(exc: sa.exc.SQLAlchemyError) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def sql_plan(connection: sa.Connection, config: SqlSource, checks: list[PlannedCheck]) -> Plan:
    """The statement for the checks on a SQL source, from the columns the engine reports."""
    dialect = dialect_for(connection.dialect.name)  # before asking an unknown engine anything
    columns = Columns(column_types(connection, config), dialect)
    percentiles = {
        p.check.field
        for p in checks
        if p.check.field is not None and p.check.measure in PERCENTILES and p.every_seconds is None
    }
    fields = [f for f in sorted(percentiles) if columns.kind(f) == "number"]
    distinct = distinct_estimates(connection, config, fields)
    return plan(
        rows_of(config, list(columns.types)), columns, checks, config.time, distinct=distinct
    )


def files_plan(
    config: ParquetSource | CsvSource,
    checks: list[PlannedCheck],
    files: list[Path],
    duck: DuckSession,
    view: str,
) -> Plan:
    """The statement for the checks on Parquet or CSV files, registered as DuckDB ``view``."""
    delimiter = config.delimiter if isinstance(config, CsvSource) else None
    types = duck.add_file_view(
        view, config.type, files, hive_partitioning=config.hive_partitioning, delimiter=delimiter
    )
    types.pop("filename", None)
    columns = Columns(types, DUCKDB, json_paths=False)
    return plan(
        sa.table(view),
        columns,
        checks,
        config.time,
        file_column="filename",
        per_file=len(files) > 1,
    )


def scan_sql(config: SqlSource, checks: list[PlannedCheck], base_dir: Path) -> TypedScan:
    """Run the checks inside the SQL engine the source names."""
    try:
        url = resolve_url(config)
        dialect_for(url.get_backend_name())
    except (EvidenceError, ValueError) as exc:
        return TypedScan(failure=str(exc))
    try:
        with read_only(url, config.timeout_seconds, base_dir) as connection:
            planned = sql_plan(connection, config, checks)
            if planned.compiled is None:
                return TypedScan(problems=planned.problems)
            version = server_version(connection)
            rows = list(connection.execute(planned.compiled.statement).all())
            sha = statement_digest(planned.compiled.statement, connection.dialect)
    except sa.exc.SQLAlchemyError as exc:
        return TypedScan(failure=scrub(_reason(exc), url))
    except ImportError as exc:  # the URL names a driver that is not installed
        return TypedScan(
            failure=f"the driver of {url.drivername} is not installed ({exc}); "
            "install it, or use postgresql+psycopg:// which golive ships with"
        )
    scan = planned.compiled.read(rows)
    scanned = int(scan.total.get("rows") or 0)
    detail = {"server": version, "rows_scanned": scanned}
    evidence = [EvidenceItem(display_url(url), sha, scanned, detail=detail)]
    return TypedScan(scan, evidence, planned.problems)


def select_files(
    config: ParquetSource | CsvSource, checks: list[PlannedCheck], base_dir: Path
) -> tuple[list[Match], str | None]:
    """The files to read after partition pruning, or why there are none."""
    found = expand_each(config.paths, base_dir)
    if found.unmatched or not found.files:
        missing = ", ".join(found.unmatched) or ", ".join(config.paths)
        return [], f"no evidence: {missing} matched no file"
    window = scan_range(checks)
    if not (config.partition_time and window is not None):
        return found.files, None
    kept = set(prune([m.path for m in found.files], config.partition_time, window))
    return [m for m in found.files if m.path in kept], None


def scan_files(
    config: ParquetSource | CsvSource,
    checks: list[PlannedCheck],
    base_dir: Path,
    duck: DuckSession,
    view: str,
) -> TypedScan:
    """Run the checks over Parquet or CSV files in DuckDB, reading only the files needed."""
    import duckdb  # here, not at the top: an evaluation of SQL sources only never loads it

    matches, missing = select_files(config, checks, base_dir)
    files = [m.path for m in matches]
    if missing is not None:
        return TypedScan(missing=missing)
    if not files:  # every file lies outside every window: nothing to measure, and said so
        evidence: list[EvidenceItem] = []
        return TypedScan(SourceScan(total={}), evidence, {})
    try:
        planned = files_plan(config, checks, files, duck, view)
        if planned.compiled is None:
            return TypedScan(problems=planned.problems)
        scan = planned.compiled.read(duck.run(planned.compiled.statement))
        if planned.file_counts is not None:
            scan.files = {row.k_file: dict(row._mapping) for row in duck.run(planned.file_counts)}
    except sa.exc.DBAPIError as exc:
        return TypedScan(failure=_reason(exc))
    except duckdb.Error as exc:  # the file readers are called on DuckDB directly
        return TypedScan(failure=str(exc).strip().splitlines()[0])
    evidence = [
        EvidenceItem(
            m.name, sha256_file(m), 0, detail={"file": str(m.path), "bytes": m.path.stat().st_size}
        )
        for m in matches
    ]
    return TypedScan(scan, evidence, planned.problems)
