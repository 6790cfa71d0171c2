"""``golive check`` through the CLI runner: exit codes, JSON on stdout, errors on stderr."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from golive.cli.app import app

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "battle-tested"
AT = "2025-12-18T00:00:00Z"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A private copy of the battle-tested example (so a registry can be written beside it)."""
    target = tmp_path / "battle-tested"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns(".golive"))
    return target / "golive.yaml"


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_ready_example_exits_0_with_table_and_verdict(example: Path) -> None:
    code, out, _ = invoke("check", str(example), "--at", AT, "--no-record")
    assert code == 0
    assert "PR-7.volume" in out
    verdict = out.strip().splitlines()[-1]
    assert verdict.startswith("READY · 14/14 checks pass · score 1.00 · scorecard ")


def test_json_is_exactly_the_scorecard_document(example: Path) -> None:
    code, out, err = invoke("check", str(example), "--at", AT, "--json", "--no-record")
    assert code == 0
    assert err == ""
    document = json.loads(out)
    assert document["schema"] == "golive.scorecard/v1"
    assert document["evaluated_at"] == AT
    assert document["ready"] is True
    assert set(document) == {
        "schema",
        "spec",
        "evaluated_at",
        "ready",
        "score",
        "summary",
        "checks",
    }
    volume = next(c for c in document["checks"] if c["id"] == "PR-7.volume")
    assert volume["observed"] == 93
    assert volume["evidence"][0]["path"] == "telemetry/gateway_v3_router.log"
    assert len(volume["evidence"][0]["sha256"]) == 64


def test_same_evidence_same_at_same_bytes(example: Path) -> None:
    first = invoke("check", str(example), "--at", AT, "--json", "--no-record")[1]
    second = invoke("check", str(example), "--at", AT, "--json", "--no-record")[1]
    assert first == second


def test_not_ready_exits_1_and_names_what_blocks(example: Path) -> None:
    code, out, _ = invoke("check", str(example), "--at", "2026-01-30T00:00:00Z", "--no-record")
    assert code == 1
    assert "NOT READY" in out
    assert "blocked by PR-7.volume (fail)" in out


def test_only_evaluates_the_named_checks(example: Path) -> None:
    code, out, _ = invoke(
        "check", str(example), "--at", AT, "--json", "--no-record", "--only", "PR-7.strict"
    )
    assert code == 0
    assert [c["id"] for c in json.loads(out)["checks"]] == ["PR-7.strict"]


def test_unknown_only_id_is_exit_2(example: Path) -> None:
    code, _, err = invoke("check", str(example), "--no-record", "--only", "PR-99")
    assert code == 2
    assert err.startswith("Error: unknown check id 'PR-99' in --only; the spec has: PR-10.")


def test_missing_spec_is_exit_2_without_traceback(tmp_path: Path) -> None:
    code, out, err = invoke("check", str(tmp_path / "golive.yaml"))
    assert code == 2
    assert out == ""
    assert err == f"Error: {tmp_path / 'golive.yaml'}: no such file; write one with `golive init`\n"


def test_bad_at_is_exit_2(example: Path) -> None:
    code, _, err = invoke("check", str(example), "--at", "2025-12-18")
    assert code == 2
    assert "Error: --at: invalid instant '2025-12-18'; expected RFC 3339 with a time zone" in err


def test_spec_errors_are_reported_with_positions_and_nothing_is_evaluated(tmp_path: Path) -> None:
    spec = tmp_path / "golive.yaml"
    spec.write_text(
        "version: 1\nname: x\nsources:\n  r: {type: jsonl, path: r.jsonl}\n"
        "checks:\n  - {id: a, source: r, measure: p959, expect: '>= 1'}\n"
        "  - {id: b, source: nope, measure: count, expect: '>= 1'}\n"
    )
    code, out, err = invoke("check", str(spec))
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"Error: {spec}:6:")
    assert "unknown measure 'p959'" in lines[0]
    assert lines[1].startswith(f"Error: {spec}:7:")
    assert "unknown source 'nope'" in lines[1]
    assert not (tmp_path / ".golive").exists()


def test_every_evaluation_is_recorded_next_to_the_spec(example: Path) -> None:
    code, out, _ = invoke("check", str(example), "--at", AT)
    assert code == 0
    verdict = out.strip().splitlines()[-1]
    assert verdict.endswith("recorded as #1")
    sha = verdict.split("scorecard ")[1].split(" ")[0]
    assert (example.parent / ".golive" / "registry.db").is_file()
    code, out, _ = invoke("history", str(example), "--json")
    assert code == 0
    [entry] = json.loads(out)
    assert entry["sha256"] == sha
    assert entry["ready"] is True
    assert entry["spec_name"] == "governance-v5-battle-tested"


def test_registry_option_and_no_record(example: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'team.db'}"
    assert invoke("check", str(example), "--at", AT, "--registry", url)[0] == 0
    assert invoke("check", str(example), "--at", AT, "--no-record")[0] == 0
    # No registry beside the spec (its .golive/otel holds the span buffer, issue 8).
    assert not (example.parent / ".golive" / "registry.db").exists()
    code, out, _ = invoke("history", "--registry", url, "--json")
    assert code == 0
    assert len(json.loads(out)) == 1


def test_an_unusable_registry_is_exit_2_and_nothing_is_printed_as_verdict(example: Path) -> None:
    code, out, err = invoke("check", str(example), "--at", AT, "--registry", "nosuchdb://x")
    assert code == 2
    assert "READY" not in out
    assert err.startswith("Error: ")


def test_no_commands_refuses_a_spec_with_a_command_source(tmp_path: Path) -> None:
    spec = tmp_path / "golive.yaml"
    spec.write_text(
        "version: 1\nname: x\nsources:\n  smoke: {type: command, argv: [echo, hi]}\n"
        "checks:\n  - {id: a, source: smoke, measure: count, where: 'exit_code == 0',"
        " expect: '>= 1'}\n"
    )
    code, out, err = invoke("check", str(spec), "--no-commands", "--no-record")
    assert code == 2
    assert err == f"Error: {spec}: source 'smoke' runs a command; refused by --no-commands\n"
    code, out, _ = invoke("check", str(spec), "--no-record", "--json")
    assert code == 0, out
    assert json.loads(out)["checks"][0]["observed"] == 1


def test_explain_prints_one_statement_per_source_and_runs_nothing(example: Path) -> None:
    code, out, _ = invoke("check", str(example), "--explain", "--at", AT)
    assert code == 0
    headers = [line for line in out.splitlines() if line.startswith("-- source ")]
    assert sorted(headers) == sorted(
        f"-- source {s} (duckdb)" for s in ("router", "errors", "approvals", "monitor")
    )
    assert "'\"process_v5\"'" in out  # literals are bound parameters, listed apart
    assert not (example.parent / ".golive" / "registry.db").exists()
