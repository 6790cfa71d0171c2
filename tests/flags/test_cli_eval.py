"""``golive flags eval``: true/false for scripts, JSON with the reason, exit 2 on mistakes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from golive.cli.app import app
from golive.cli.flags import parse_context
from golive.errors import UsageError
from golive.flags import normalized_hash

DATA = Path(__file__).parent.parent / "data" / "unleash"
runner = CliRunner()


@pytest.fixture
def unleash_file(tmp_path: Path) -> Path:
    suite = json.loads((DATA / "10-flexible-rollout-strategy.json").read_text())
    path = tmp_path / "features.json"
    path.write_text(json.dumps(suite["state"]))
    return path


def test_prints_true_or_false_and_exits_0(unleash_file: Path) -> None:
    name = "Feature.flexibleRollout.10"
    on = runner.invoke(
        app, ["flags", "eval", name, "--file", str(unleash_file), "-c", "userId=174"]
    )
    assert (on.exit_code, on.stdout) == (0, "true\n")
    off = runner.invoke(
        app, ["flags", "eval", name, "--file", str(unleash_file), "--context", "userId=499"]
    )
    assert (off.exit_code, off.stdout) == (0, "false\n")


def test_json_gives_the_reason_and_strategy(unleash_file: Path) -> None:
    name = "Feature.flexibleRollout.userId.55"
    args = ["flags", "eval", name, "-f", str(unleash_file), "-c", "userId=25", "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "flag": "Feature.flexibleRollout.userId.55",
        "enabled": True,
        "reason": "strategy_match",
        "strategy": "flexibleRollout",
    }


def test_custom_context_keys_become_properties(tmp_path: Path) -> None:
    strategy = {"name": "flexibleRollout", "parameters": {"rollout": "50", "stickiness": "tenant"}}
    doc = {
        "schema": "golive.flags/v1",
        "flags": [{"name": "t", "enabled": True, "strategies": [strategy]}],
    }
    path = tmp_path / "flags.json"
    path.write_text(json.dumps(doc))
    for tenant in ("a", "b", "c", "d"):
        result = runner.invoke(
            app, ["flags", "eval", "t", "-f", str(path), "-c", f"tenant={tenant}"]
        )
        expected = "true" if normalized_hash(tenant, "t") <= 50 else "false"
        assert result.stdout == f"{expected}\n"


def test_unknown_flag_lists_the_known_ones(unleash_file: Path) -> None:
    result = runner.invoke(app, ["flags", "eval", "nope", "--file", str(unleash_file)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: flag 'nope' is not in {unleash_file}; it has: ")
    assert "Feature.flexibleRollout.10" in result.stderr


def test_unknown_file_is_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["flags", "eval", "x", "--file", str(tmp_path / "no.json")])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {tmp_path / 'no.json'}: no such flags file\n"


def test_bad_context_is_exit_2(unleash_file: Path) -> None:
    result = runner.invoke(app, ["flags", "eval", "x", "-f", str(unleash_file), "-c", "userId"])
    assert result.exit_code == 2
    assert result.stderr == ("Error: --context expects key=value (e.g. userId=42), got 'userId'\n")


def test_parse_context() -> None:
    assert parse_context(["userId=1", "country=NO", "properties.plan=pro", "note=a=b"]) == {
        "userId": "1",
        "properties": {"country": "NO", "plan": "pro", "note": "a=b"},
    }
    with pytest.raises(UsageError):
        parse_context(["=1"])
