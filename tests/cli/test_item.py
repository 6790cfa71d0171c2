"""``golive item`` through the CLI runner."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from typer.testing import CliRunner

from golive.cli.app import app
from tests.cli.test_claims import SARIF_SCHEMA
from tests.governance.project import key, write_project


def run(*args: str) -> tuple[int, str, str]:
    env = {"GOLIVE_USER": "bob", "GOLIVE_REGISTRY": None, "COLUMNS": "200"}
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_the_register_from_check_to_promotion_and_block(tmp_path: Path) -> None:
    s = str(write_project(tmp_path / "shop"))
    assert run("check", s)[0] == 1  # uc2.a has no evidence
    code, out, _ = run("item", "list", "--spec", s, "--json")
    rows = {r["id"]: r for r in json.loads(out)}
    assert (rows["UC-001"]["status"], rows["UC-001"]["done"]) == ("IN_PROGRESS", 2)
    assert rows["UC-002"]["status"] == "NOT_STARTED"
    code, out, _ = run("item", "promote", "UC-001", "--key", key("bob"), "--spec", s)
    assert (code, out) == (0, "UC-001 promoted by bob: READY_FOR_GO_LIVE\n")
    code, _, err = run("item", "promote", "UC-002", "--key", key("bob"), "--spec", s)
    assert code == 2
    assert "UC-002 cannot be promoted: not every required check passes" in err
    assert run("item", "block", "UC-002", "--reason", "no replay rig", "--spec", s)[0] == 0
    code, out, _ = run("item", "list", "--spec", s)
    assert "READY_FOR_GO_LIVE" in out
    assert "BLOCKED" in out
    code, out, _ = run("item", "unblock", "UC-002", "--spec", s)
    assert out == "UC-002 unblocked: NOT_STARTED\n"


def test_the_owner_cannot_promote(tmp_path: Path) -> None:
    s = str(write_project(tmp_path / "shop"))
    run("check", s)
    code, _, err = run("item", "promote", "UC-001", "--key", key("carol"), "--spec", s)
    assert code == 1
    assert err == "Error: carol owns UC-001; a reviewer other than the owner must promote it\n"


def test_export_markdown_is_a_tracker_claims_check_accepts(tmp_path: Path) -> None:
    s = str(write_project(tmp_path / "shop"))
    assert run("check", s)[0] == 1
    assert run("item", "promote", "UC-001", "--key", key("bob"), "--spec", s)[0] == 0
    tracker = tmp_path / "TRACKER.md"
    code, out, err = run("item", "export", "--format", "markdown", "-o", str(tracker), "--spec", s)
    assert (code, out, err) == (0, f"Wrote {tracker}: 2 items\n", "")
    lines = tracker.read_text().splitlines()
    assert lines[2:4] == [
        "| item | title | owner | status | evidence | last updated | note |",
        "|---|---|---|---|---|---|---|",
    ]
    assert lines[4].startswith("| UC-001 | Ingest | carol | READY_FOR_GO_LIVE | 2/2 | ")
    assert lines[5].startswith("| UC-002 | Replay | dave | NOT_STARTED | 0/1 | ")
    code, out, _ = run("claims", "check", str(tracker), "--spec", s)
    assert (code, out) == (0, "1 claims, 1 backed, 0 unbacked\n")
    # A hand edit that says more than the evidence is reported on its line.
    tracker.write_text(tracker.read_text().replace("NOT_STARTED", "READY_FOR_GO_LIVE"))
    sarif = tmp_path / "claims.sarif"
    code, out, _ = run("claims", "check", str(tracker), "--spec", s, "--sarif", str(sarif))
    assert code == 1
    log = json.loads(sarif.read_text())
    jsonschema.validate(log, SARIF_SCHEMA)
    assert [r["ruleId"] for r in log["runs"][0]["results"]] == ["golive/claim-item-status"]
    assert out.splitlines() == [
        f"{tracker}:6:28: item-status: says UC-002 is READY_FOR_GO_LIVE, but the register "
        "computes NOT_STARTED; generate the table with `golive item export --format markdown`",
        "2 claims, 1 backed, 1 unbacked",
    ]


def test_export_refuses_an_unknown_format(tmp_path: Path) -> None:
    s = str(write_project(tmp_path / "shop"))
    code, _, err = run("item", "export", "--format", "csv", "--spec", s)
    assert (code, err) == (2, "Error: --format 'csv': use markdown or json\n")
    code, out, _ = run("item", "export", "--format", "json", "--spec", s)
    assert code == 0
    assert [r["id"] for r in json.loads(out)] == ["UC-001", "UC-002"]
