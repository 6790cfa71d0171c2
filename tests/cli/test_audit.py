"""``golive audit verify``: intact and broken chains, human and JSON output."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from golive.cli.app import app
from golive.registry import append_audit, open_registry

runner = CliRunner()


def _append(url: str, count: int) -> None:
    with open_registry(url) as registry:
        for n in range(count):
            with registry.write() as session:
                append_audit(
                    session,
                    action="test.wrote",
                    entity="thing",
                    entity_id=str(n),
                    payload={"n": n},
                    actor="carol",
                    at=datetime(2025, 12, 18, tzinfo=UTC),
                )


def _tamper_with_entry(url: str, seq: int) -> None:
    """Get past the append-only trigger, as someone with database access could, and edit."""
    with open_registry(url) as registry, registry.engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("DROP TRIGGER audit_log_no_update")
        else:
            connection.exec_driver_sql("DROP TRIGGER audit_log_append_only ON audit_log")
        connection.exec_driver_sql(
            f"""UPDATE audit_log SET payload = '{{"n":-1}}' WHERE seq = {seq}"""
        )


def test_intact_chain_exits_0(registry_url: str) -> None:
    _append(registry_url, 3)
    result = runner.invoke(app, ["audit", "verify", "--registry", registry_url])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("audit chain intact: 3 entries in ")
    assert re.fullmatch(r"head: [0-9a-f]{64}", lines[1])


def test_broken_chain_exits_1_naming_the_entry(registry_url: str) -> None:
    _append(registry_url, 20)
    _tamper_with_entry(registry_url, 17)
    result = runner.invoke(app, ["audit", "verify", "--registry", registry_url])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == "audit chain broken at entry 17: hash mismatch"
    assert result.stdout.splitlines()[1].endswith(", entries intact: 16")


def test_json_report(registry_url: str) -> None:
    _append(registry_url, 2)
    _tamper_with_entry(registry_url, 2)
    result = runner.invoke(app, ["audit", "verify", "--registry", registry_url, "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert {k: v for k, v in report.items() if k != "head_hash"} == {
        "ok": False,
        "entries": 1,
        "first_broken_seq": 2,
        "reason": "hash mismatch",
    }
    assert len(report["head_hash"]) == 64


def test_default_registry_is_in_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GOLIVE_REGISTRY", raising=False)
    monkeypatch.chdir(tmp_path)
    _append(f"sqlite:///{tmp_path}/.golive/registry.db", 1)
    result = runner.invoke(app, ["audit", "verify", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["entries"] == 1


def test_unreachable_registry_is_exit_2() -> None:
    result = runner.invoke(
        app, ["audit", "verify", "--registry", "postgresql+psycopg://bob:pw@127.0.0.1:1/x"]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "Error: registry postgresql+psycopg://bob:***@127.0.0.1:1/x failed: "
    )
    assert "pw@" not in result.stderr


def test_a_record_without_its_entry_is_reported_without_an_entry_number(
    registry_url: str,
) -> None:
    with open_registry(registry_url) as registry, registry.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO scorecards (sha256, spec_name, spec_path, spec_sha256, evaluated_at,"
            " recorded_at, recorded_by, ready, score, document) VALUES"
            f" ('{'a' * 64}', 'web', 'golive.yaml', '{'0' * 64}', '2025-12-18 00:00:00',"
            " '2025-12-18 00:00:00', 'mallory', true, 1.0, '{}')"
        )
    result = runner.invoke(app, ["audit", "verify", "--registry", registry_url])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        f"audit check failed: scorecard {'a' * 64} has no audit entry: "
        "it was not recorded through golive"
    )
