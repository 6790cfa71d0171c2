"""``golive incident`` through the CLI runner."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from golive.cli.app import app
from tests.governance.project import write_project


def run(*args: str) -> tuple[int, str, str]:
    env = {"GOLIVE_USER": "erin", "GOLIVE_REGISTRY": None, "COLUMNS": "200"}
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_open_note_resolve_postmortem_list(tmp_path: Path) -> None:
    s = str(write_project(tmp_path / "shop"))
    code, out, _ = run("incident", "open", "checkout down", "--severity", "sev2", "--spec", s)
    assert (code, out) == (0, "INC-1 sev2 open: checkout down\n")
    assert run("incident", "note", "INC-1", "rolled back", "--spec", s)[0] == 0
    code, out, _ = run("incident", "resolve", "INC-1", "--summary", "back to normal", "--spec", s)
    assert out == "INC-1 sev2 resolved: checkout down\n"
    code, out, _ = run("incident", "list", "--spec", s, "--json")
    row = json.loads(out)[0]
    assert row["postmortem"].startswith("due ")
    report = tmp_path / "INC-1.md"
    code, out, _ = run(
        "incident",
        "postmortem",
        "INC-1",
        "--root-cause",
        "a bad flag",
        "--mitigation",
        "rolled back",
        "--action",
        "alert on it",
        "--out",
        str(report),
        "--spec",
        s,
    )
    assert code == 0
    assert out == report.read_text()
    assert "- [ ] alert on it" in out
    code, out, _ = run("incident", "list", "--spec", s)
    assert "attached" in out


def test_bad_severity_exits_2(tmp_path: Path) -> None:
    s = str(write_project(tmp_path / "shop"))
    code, _, err = run("incident", "open", "x", "--severity", "critical", "--spec", s)
    assert code == 2
    assert err == "Error: unknown severity 'critical'; use one of sev1, sev2, sev3, sev4\n"
