"""``golive rollout step|status|watch|abort|resume|simulate`` through the CLI runner."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from golive.cli.app import app
from golive.flags.model import Flag
from golive.registry import create_flag, get_flag, open_registry
from golive.registry.flag_edits import rollout_percentage, with_rollout
from tests.rollout.rollout_builders import SPEC, Evidence

runner = CliRunner()


@pytest.fixture
def spec(tmp_path: Path, registry_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GOLIVE_USER", "alice")
    target = tmp_path / "golive.yaml"
    shutil.copy(SPEC, target)
    evidence = Evidence(tmp_path)
    evidence.canary(-1, 1)
    evidence.canary(1, 2, errors=0.5)
    with open_registry(registry_url) as store:
        create_flag(store, with_rollout(Flag("f", True), 0), actor="alice")
    return target


def rollout(url: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["rollout", *args, "--registry", url])
    return result.exit_code, result.stdout, result.stderr


def flag_percentage(url: str) -> int | None:
    with open_registry(url) as store:
        return rollout_percentage(get_flag(store, "f").flag)


def test_step_starts_holds_and_rolls_back(spec: Path, registry_url: str) -> None:
    code, out, _ = rollout(registry_url, "step", "r", str(spec), "--at", "2025-12-01T00:00:00Z")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "rollout r: start -> active, wave 1/3 at 10% (2025-12-01T00:00:00Z)"
    assert lines[1] == "  wave 1 starts at 10%"
    assert lines[2].split() == ["promote", "err", "pass", "0", "<", "0.05"]
    assert lines[-1].startswith("  scorecard ")
    code, out, _ = rollout(
        registry_url, "step", "r", str(spec), "--at", "2025-12-01T00:30:00Z", "--json"
    )
    tick = json.loads(out)
    assert (code, tick["new"], tick["decision"]["decision"]) == (0, True, "hold")
    assert tick["decision"]["reason"] == "holding: hold 1h: 30m to go"
    code, out, _ = rollout(registry_url, "step", "r", str(spec), "--at", "2025-12-01T01:00:00Z")
    assert (code, flag_percentage(registry_url)) == (0, 50)
    code, out, _ = rollout(registry_url, "step", "r", str(spec), "--at", "2025-12-01T02:00:00Z")
    assert code == 1
    assert out.splitlines()[0] == (
        "rollout r: rollback -> rolled_back, wave 2/3 at 0% (2025-12-01T02:00:00Z)"
    )
    assert out.splitlines()[-1] == "  incident: rollout r rolled back in wave 2 at 50%"
    assert flag_percentage(registry_url) == 0
    code, out, _ = rollout(registry_url, "step", "r", str(spec), "--at", "2025-12-01T03:00:00Z")
    assert code == 1
    assert out.endswith("nothing to do; `golive rollout resume` restarts it\n")

    code, out, _ = rollout(registry_url, "status", "r", str(spec), "--json")
    status = json.loads(out)
    assert (code, status["status"], status["flag"]) == (0, "rolled_back", "f")
    assert [d["decision"] for d in status["decisions"]] == ["start", "hold", "promote", "rollback"]
    code, out, _ = rollout(registry_url, "resume", "r", str(spec), "--at", "2025-12-01T04:00:00Z")
    assert (code, out.splitlines()[0]) == (
        0,
        "rollout r: resume -> active, wave 1/3 at 10% (2025-12-01T04:00:00Z)",
    )
    code, out, _ = rollout(
        registry_url, "abort", "r", str(spec), "--reason", "tickets", "--at", "2025-12-01T04:10:00Z"
    )
    assert (code, out.splitlines()[1], flag_percentage(registry_url)) == (
        0,
        "  aborted by alice: tickets",
        0,
    )


def test_status_of_a_rollout_not_started(spec: Path, registry_url: str) -> None:
    code, out, _ = rollout(registry_url, "status", "r", str(spec))
    assert (code, out) == (
        0,
        "rollout r (flag f): 10% (1h) -> 50% (1h) -> 100% (1h)\n"
        "  not started; `golive rollout step` starts wave 1\n",
    )


def test_watch_ticks_count_times(spec: Path, registry_url: str) -> None:
    code, out, _ = rollout(
        registry_url, "watch", "r", str(spec), "--interval", "1s", "--count", "1", "--json"
    )
    assert code == 0
    assert json.loads(out)["decision"]["decision"] == "start"


def test_mistakes_exit_2(spec: Path, registry_url: str) -> None:
    code, _, err = rollout(registry_url, "step", "nope", str(spec))
    assert (code, err) == (2, f"Error: {spec}: no rollout 'nope' (rollouts: r)\n")
    code, _, err = rollout(registry_url, "step", "r", str(spec), "--at", "yesterday")
    assert code == 2
    assert err.startswith("Error: --at: invalid instant 'yesterday'")
    code, _, err = rollout(registry_url, "watch", "r", str(spec), "--interval", "0s")
    assert code == 2
    assert err.startswith("Error: --interval: invalid duration '0s'")
    code, _, err = rollout(registry_url, "resume", "r", str(spec))
    assert code == 2
    assert err.startswith("Error: rollout 'r' is not started;")
    text = spec.read_text().replace(
        "sources:\n", "sources:\n  cmd: {type: command, argv: [echo, hi]}\n"
    )
    spec.write_text(text)
    code, _, err = rollout(registry_url, "step", "r", str(spec), "--no-commands")
    assert (code, err) == (
        2,
        f"Error: {spec}: source 'cmd' runs a command; refused by --no-commands\n",
    )


def test_simulate_prints_the_timeline_and_json(tmp_path: Path) -> None:
    spec = tmp_path / "golive.yaml"
    shutil.copy(SPEC, spec)
    args = ["rollout", "simulate", "r", str(spec), "--tick", "30m", "--no-faults"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "simulating rollout r from 2025-12-01T00:00:00Z, seed 5, a tick every 30m; faults: none"
    )
    assert lines[-1] == "outcome: completed after 7 ticks"
    fault = ["--fault", "errors:wave=2,rate=0.6,after=0s,for=1h"]
    result = runner.invoke(app, [*args[:-1], *fault, "--json"])
    assert result.exit_code == 1
    sim = json.loads(result.stdout)
    assert sim["outcome"] == "rolled_back"
    assert sim["faults"][0]["text"] == "errors rate=0.6 in wave 2 from +0s for 1h"
    assert [t["decision"] for t in sim["timeline"]][-1] == "rollback"
    # Nothing is left next to the spec: the simulation runs in a temporary folder.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["golive.yaml"]
