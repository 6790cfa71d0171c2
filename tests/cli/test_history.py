"""``golive history``: the table, ``--json``, filters and the registry location."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from golive.cli.app import app
from golive.registry import open_registry, record_scorecard

SCORECARD = Path(__file__).parent.parent / "data" / "registry" / "scorecard.json"
runner = CliRunner()


def _document(name: str, day: int) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(SCORECARD.read_text())
    document["spec"]["name"] = name
    document["evaluated_at"] = f"2025-12-{day:02d}T00:00:00Z"
    return document


def _record(url: str, *documents: dict[str, Any]) -> list[str]:
    with open_registry(url) as registry:
        return [
            record_scorecard(
                registry, d, actor="carol", clock=lambda: datetime(2025, 12, 20, tzinfo=UTC)
            ).sha256
            for d in documents
        ]


def test_json_lists_newest_first_with_exactly_the_contract_keys(registry_url: str) -> None:
    shas = _record(registry_url, _document("web", 1), _document("api", 2))
    result = runner.invoke(app, ["history", "--json", "--registry", registry_url])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [
        {
            "id": 2,
            "spec_name": "api",
            "spec_path": "golive.yaml",
            "evaluated_at": "2025-12-02T00:00:00Z",
            "ready": False,
            "score": 0.5,
            "sha256": shas[1],
        },
        {
            "id": 1,
            "spec_name": "web",
            "spec_path": "golive.yaml",
            "evaluated_at": "2025-12-01T00:00:00Z",
            "ready": False,
            "score": 0.5,
            "sha256": shas[0],
        },
    ]


def test_spec_name_and_limit_filter(registry_url: str) -> None:
    _record(registry_url, *[_document("web" if d % 2 else "api", d) for d in range(1, 8)])
    result = runner.invoke(
        app, ["history", "--json", "--registry", registry_url, "--spec-name", "web", "--limit", "2"]
    )
    assert result.exit_code == 0, result.output
    assert [(r["spec_name"], r["evaluated_at"][:10]) for r in json.loads(result.stdout)] == [
        ("web", "2025-12-07"),
        ("web", "2025-12-05"),
    ]


def test_table_shows_each_scorecard(registry_url: str) -> None:
    shas = _record(registry_url, _document("web", 1))
    result = runner.invoke(app, ["history", "--registry", registry_url], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Scorecards in ")
    assert "┃ id ┃ spec ┃ evaluated at         ┃ ready ┃ score ┃ sha256           ┃" in lines
    assert f"│  1 │ web  │ 2025-12-01T00:00:00Z │ no    │  0.50 │ {shas[0][:16]} │" in lines


def test_empty_registry_says_so(registry_url: str) -> None:
    result = runner.invoke(app, ["history", "--registry", registry_url])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("No scorecards recorded in ")
    empty = runner.invoke(app, ["history", "--registry", registry_url, "--json"])
    assert json.loads(empty.stdout) == []


def test_spec_directory_decides_the_default_registry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GOLIVE_REGISTRY", raising=False)
    _record(f"sqlite:///{tmp_path}/team/.golive/registry.db", _document("web", 1))
    # The spec itself need not exist: only its directory is used.
    result = runner.invoke(app, ["history", str(tmp_path / "team" / "golive.yaml"), "--json"])
    assert result.exit_code == 0, result.output
    assert [r["spec_name"] for r in json.loads(result.stdout)] == ["web"]


def test_env_registry_is_used_when_no_option(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/elsewhere.db"
    _record(url, _document("from-env", 1))
    result = runner.invoke(
        app, ["history", str(tmp_path / "golive.yaml"), "--json"], env={"GOLIVE_REGISTRY": url}
    )
    assert [r["spec_name"] for r in json.loads(result.stdout)] == ["from-env"]


def test_bad_registry_url_is_exit_2_without_traceback() -> None:
    result = runner.invoke(app, ["history", "--registry", "mysql://alice:s3cret@db/golive"])
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: unsupported registry URL 'mysql://alice:***@db/golive': the database 'mysql' "
        "is not supported; use sqlite:///... or postgresql+psycopg://...\n"
    )
    assert result.stdout == ""


def test_limit_below_one_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["history", "--limit", "0", "--registry", f"sqlite:///{tmp_path}/r"]
    )
    assert result.exit_code == 2
    assert "Invalid value for '--limit'" in result.stderr
