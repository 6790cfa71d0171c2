"""``golive rehearse`` and ``golive rehearsal import`` through the CLI runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from golive.cli.app import app
from tests.cli.test_gate import drill_repo
from tests.governance.builders import rehearsal
from tests.governance.conftest import T0
from tests.governance.project import write_project


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        app, list(args), env={"GOLIVE_USER": "ops", "GOLIVE_REGISTRY": None}
    )
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    return write_project(tmp_path / "shop")


def test_a_drill_is_recorded_as_json(spec: Path, tmp_path: Path) -> None:
    repo = drill_repo(tmp_path / "deploy")
    code, out, err = run(
        "rehearse",
        "--repo",
        str(repo),
        "--target",
        "values.yaml",
        "--strategy",
        "git_revert",
        "--spec",
        str(spec),
        "--json",
    )
    assert (code, err) == (0, "")
    record = json.loads(out)
    assert record["status"] == "rollback_ok"
    assert len(record["commits"]) == 2


def test_a_dirty_tree_and_a_bad_strategy_exit_2(spec: Path, tmp_path: Path) -> None:
    repo = drill_repo(tmp_path / "deploy")
    args = ("--repo", str(repo), "--target", "values.yaml", "--spec", str(spec))
    code, _, err = run("rehearse", *args, "--strategy", "reboot")
    assert code == 2
    assert err == "Error: --strategy 'reboot': use one of git_revert, restore_copy\n"
    (repo / "values.yaml").write_text("replicas: 4\n")
    code, _, err = run("rehearse", *args, "--strategy", "git_revert")
    assert code == 2
    assert "has uncommitted changes; a rehearsal needs a clean work tree" in err


def test_import(spec: Path, tmp_path: Path) -> None:
    good = tmp_path / "drill.json"
    good.write_text(json.dumps(rehearsal(T0)))
    code, out, _ = run("rehearsal", "import", str(good), "--spec", str(spec))
    assert code == 0
    assert out.startswith("rollback_ok: target rolled back with git_revert in 120 ms")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    code, _, err = run("rehearsal", "import", str(bad), "--spec", str(spec))
    assert code == 2
    assert err.startswith(f"Error: {bad}: not JSON: ")
