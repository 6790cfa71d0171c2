"""The evaluation's DuckDB: opened only when a source needs it, closed afterwards."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from golive.engine import duck
from golive.engine.duck import duck_session
from tests.sources.test_sql import _card


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The URL of every engine golive creates during the test."""
    urls: list[str] = []
    create = sa.create_engine

    def recording(url: Any, **options: Any) -> sa.Engine:
        urls.append(str(url))
        return create(url, **options)

    monkeypatch.setattr(duck.sa, "create_engine", recording)
    return urls


def test_a_session_nobody_uses_never_starts_duckdb(opened: list[str]) -> None:
    with duck_session():
        pass
    assert opened == []


def test_a_used_session_is_closed_afterwards(opened: list[str]) -> None:
    with duck_session() as session:
        assert session.run(sa.select(sa.literal(41) + 1)) == [(42,)]
    assert opened == ["duckdb:///:memory:"]
    assert session.connection.closed


def test_a_spec_of_sql_sources_only_starts_no_evaluation_duckdb(
    opened: list[str], tmp_path: Path
) -> None:
    database = tmp_path / "evidence.duckdb"
    engine = sa.create_engine(f"duckdb:///{database}")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE events AS SELECT 1.5 AS ms")
    engine.dispose()
    opened.clear()
    source = {"type": "sql", "url": f"duckdb:///{database}", "table": "events"}
    card = _card(tmp_path, source, [{"id": "n", "measure": "count", "window": "all"}])
    assert card.checks[0].observed == 1
    assert opened == [f"duckdb:///{database}"]  # the source's own database, read-only
