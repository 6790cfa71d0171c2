"""``golive gate`` through the CLI runner: the go/no-go sheet, JSON, exit codes."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from golive.cli.app import app
from tests.governance.project import key, write_project

REGISTRY: dict[str, str | None] = {"url": None}


def run(*args: str, user: str = "carol") -> tuple[int, str, str]:
    env = {"GOLIVE_USER": user, "GOLIVE_REGISTRY": REGISTRY["url"], "COLUMNS": "200"}
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def drill_repo(folder: Path) -> Path:
    folder.mkdir()
    subprocess.run(["git", "-C", str(folder), "init", "-q"], check=True)
    (folder / "values.yaml").write_text("replicas: 3\n")
    subprocess.run(["git", "-C", str(folder), "add", "."], check=True)
    subprocess.run(
        [
            "git",
            "-C",
            str(folder),
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "commit",
            "-qm",
            "c",
        ],
        check=True,
    )
    return folder


@pytest.fixture
def spec(tmp_path: Path, registry_url: str) -> Iterator[Path]:
    """A checked project with release 1.4.0, its registry on SQLite or PostgreSQL."""
    REGISTRY["url"] = registry_url
    yield _project(tmp_path)
    REGISTRY["url"] = None


def _project(tmp_path: Path) -> Path:
    path = write_project(tmp_path / "shop", kinds=("a", "b", "c"))
    s = str(path)
    assert run("check", s)[0] == 0
    artifact = str(path.parent / "shop.whl")
    assert run("release", "create", "1.4.0", "--artifact", artifact, "--spec", s)[0] == 0
    return path


def test_denied_then_allowed_with_the_sheet(spec: Path, tmp_path: Path) -> None:
    s = str(spec)
    code, out, _ = run("gate", "1.4.0", "--spec", s)
    assert code == 1
    assert "│ approvals   │ FAIL   │ 0 of 2 required approvals valid" in out
    assert out.strip().splitlines()[-1].startswith("DENIED · manifest ")
    assert "failed: approvals, rehearsal" in out
    for name in ("alice", "bob"):
        assert run("approve", "1.4.0", "--key", key(name), "--spec", s)[0] == 0
    repo = drill_repo(tmp_path / "deploy")
    code, out, _ = run(
        "rehearse",
        "--repo",
        str(repo),
        "--target",
        "values.yaml",
        "--strategy",
        "restore_copy",
        "--spec",
        s,
    )
    assert code == 0
    assert out.startswith("rollback_ok: values.yaml rolled back with restore_copy in ")
    code, out, _ = run("gate", "1.4.0", "--spec", s, "--json")
    assert code == 0
    decision = json.loads(out)
    assert decision["schema"] == "golive.gate-decision/v1"
    assert decision["allowed"] is True
    assert set(decision) == {
        "schema",
        "allowed",
        "release",
        "scorecard",
        "decided_at",
        "decided_by",
        "trace_id",
        "rules",
    }
    assert decision["decided_by"] == "carol"
    code, out, _ = run("audit", "verify")
    assert code == 0
    assert out.startswith("audit chain intact: 7 entries in ")


def test_unknown_release_and_spec_without_governance_exit_2(spec: Path, tmp_path: Path) -> None:
    code, _, err = run("gate", "9.9", "--spec", str(spec))
    assert code == 2
    assert err.startswith("Error: no release '9.9' in registry ")
    plain = tmp_path / "plain.yaml"
    plain.write_text("version: 1\nname: plain\n")
    code, _, err = run("gate", "1.0", "--spec", str(plain))
    assert code == 2
    assert err.startswith("Error: spec 'plain' has no governance section")
