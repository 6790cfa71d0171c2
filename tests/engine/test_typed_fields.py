"""Text columns compare by code point, as JSON Lines strings do, whatever their collation.

A server's default collation is often linguistic (``en_US.UTF-8``, ICU), and a column
may carry a nondeterministic (case-insensitive) one. Either would change what a
check counts, so each case below is compared with the same rows as JSON Lines.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from golive.engine.scorecard import Scorecard
from tests.engine.test_sql_pushdown import AT, _evaluate
from tests.sqlload import postgres_url

# Pairs that a linguistic order sorts unlike code points ("X" < "m" < "x"), that a
# case-insensitive collation makes equal ("x" and "X"), and non-ASCII letters.
VALUES = ["x", "X", "xy", "Xy", "m", "M", "e", "E", "é", "É", "a.b", "ß", "ss", "", None]
ATOMS = [
    '{f} == "x"',
    '{f} != "X"',
    '{f} < "m"',
    '{f} >= "e"',
    '{f} > "X"',
    '{f} <= "é"',
    '{f} in ["x", "E"]',
    'startswith({f}, "x")',
    'endswith({f}, "y")',
    'contains({f}, "S")',
    'glob({f}, "x*")',
    'matches({f}, "^[xX]")',
]


def _rows() -> list[dict[str, Any]]:
    return [{"ts": AT - timedelta(minutes=i + 1), "a": value} for i, value in enumerate(VALUES)]


def _checks(fields: list[str]) -> list[dict[str, Any]]:
    checks: list[dict[str, Any]] = []
    for field in fields:
        key = field.replace(".", "_")
        for i, atom in enumerate(ATOMS):
            where = atom.format(f=field)
            checks.append({"id": f"{key}.{i}", "where": where, "measure": "count"})
        checks.append({"id": f"{key}.distinct", "measure": "distinct", "field": field})
    return [{"source": "r", "expect": ">= 0", **c} for c in checks]


def _scorecard(source: dict[str, Any], checks: list[dict[str, Any]], folder: Path) -> Scorecard:
    document = {"version": 1, "name": "text", "sources": {"r": source}, "checks": checks}
    return _evaluate(document, folder)


def _jsonl_scorecard(checks: list[dict[str, Any]], folder: Path) -> Scorecard:
    lines = []
    for row in _rows():
        record: dict[str, Any] = {"ts": row["ts"].strftime("%Y-%m-%dT%H:%M:%SZ")}
        if row["a"] is not None:
            record |= {"a": row["a"], "doc": {"a": row["a"]}}
        lines.append(json.dumps(record) + "\n")
    (folder / "r.jsonl").write_text("".join(lines))
    return _scorecard({"type": "jsonl", "path": "r.jsonl", "time": "ts"}, checks, folder)


def _assert_same(typed: Scorecard, jsonl: Scorecard) -> None:
    assert [c.message for c in typed.checks if c.status == "error"] == []
    observed = [(c.id, c.observed) for c in typed.checks]
    assert observed == [(c.id, c.observed) for c in jsonl.checks]


@pytest.fixture
def icu_database() -> Iterator[str]:
    """A database whose default collation is ICU English, with a case-insensitive one too."""
    server = sa.make_url(postgres_url())
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    name = f"golive_icu_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        version = connection.exec_driver_sql("SHOW server_version_num").scalar_one()
        icu = connection.exec_driver_sql(
            "SELECT count(*) FROM pg_collation WHERE collprovider = 'i'"
        ).scalar_one()
        if int(version) < 150000 or icu == 0:
            admin.dispose()
            pytest.skip("needs PostgreSQL 15 or newer built with ICU (a database ICU locale)")
        connection.exec_driver_sql(
            f"CREATE DATABASE {name} TEMPLATE template0 LOCALE_PROVIDER icu "
            "ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"
        )
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE {name} WITH (FORCE)")
        admin.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize(
    "collation", ["", 'COLLATE "case_insensitive"'], ids=["icu-default", "nondeterministic"]
)
def test_postgres_text_compares_by_code_point_whatever_the_collation(
    collation: str, icu_database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = sa.create_engine(icu_database)
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "CREATE COLLATION case_insensitive "
            "(provider = icu, locale = 'und-u-ks-level2', deterministic = false)"
        )
        connection.exec_driver_sql(
            f"CREATE TABLE r (ts timestamptz, a text {collation}, doc jsonb)"
        )
        connection.execute(sa.text("INSERT INTO r (ts, a) VALUES (:ts, :a)"), _rows())
        connection.exec_driver_sql(
            "UPDATE r SET doc = jsonb_build_object('a', a) WHERE a IS NOT NULL"
        )
        # the premise: without code point order, this server answers differently
        linguistic = connection.exec_driver_sql("SELECT count(*) FROM r WHERE a < 'm'").scalar()
        by_code_point = sum(1 for v in VALUES if v is not None and v < "m")
        assert linguistic != by_code_point
    engine.dispose()
    monkeypatch.setenv("GOLIVE_ICU", icu_database)
    checks = _checks(["a", "doc.a"])
    source = {"type": "sql", "url_env": "GOLIVE_ICU", "table": "r", "time": "ts"}
    _assert_same(_scorecard(source, checks, tmp_path), _jsonl_scorecard(checks, tmp_path))


def test_duckdb_text_compares_by_code_point_in_a_case_insensitive_column(
    tmp_path: Path,
) -> None:
    database = tmp_path / "events.duckdb"
    engine = sa.create_engine(f"duckdb:///{database}")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE r (ts TIMESTAMPTZ, a VARCHAR COLLATE NOCASE)")
        connection.execute(sa.text("INSERT INTO r VALUES (:ts, :a)"), _rows())
        assert connection.exec_driver_sql("SELECT count(*) FROM r WHERE a = 'x'").scalar() == 2
    engine.dispose()
    checks = _checks(["a"])
    source = {"type": "sql", "url": f"duckdb:///{database}", "table": "r", "time": "ts"}
    _assert_same(_scorecard(source, checks, tmp_path), _jsonl_scorecard(checks, tmp_path))
