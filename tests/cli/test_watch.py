"""``golive watch`` as a real process: a 1s schedule, --until, --notify, SIGTERM."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from golive.cli.app import app
from golive.registry import list_scorecards, open_registry
from tests.observe.conftest import SPEC, Loopback, loopback

__all__ = ["loopback"]  # the fixture, shared with tests/observe

GOLIVE = Path(sys.executable).parent / "golive"


def _spec(tmp_path: Path) -> Path:
    folder = tmp_path / "spec"
    shutil.copytree(SPEC, folder)
    return folder / "golive.yaml"


def _scorecards(spec: Path) -> int:
    with open_registry(f"sqlite:///{spec.parent / '.golive' / 'registry.db'}") as registry:
        return len(list_scorecards(registry))


def test_runs_every_second_until_the_deadline(tmp_path: Path, loopback: Loopback) -> None:
    spec = _spec(tmp_path)
    # --until as a duration counts from the command's start, after Python's imports.
    argv = [str(GOLIVE), "watch", str(spec), "--every", "1s", "--until", "3s", "--json"]
    argv += ["--notify", f"{loopback.url}/hook", "--textfile", str(tmp_path / "golive.prom")]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    ticks = [json.loads(line) for line in done.stdout.splitlines()]
    assert 2 <= len(ticks) <= 4
    assert all(t["error"] is None and t["ready"] is False for t in ticks)
    # Evaluated now, the 2025 evidence is outside the 7d window: not ready, and said once.
    assert [t["notified"] for t in ticks] == [True] + [False] * (len(ticks) - 1)
    hooks = [json.loads(r.body) for r in loopback.requests if r.path == "/hook"]
    assert len(hooks) == 1
    assert hooks[0]["text"].startswith("golive: observe-small is NOT READY, score 0.00")
    assert _scorecards(spec) == len(ticks), [(t["at"], t["scorecard"][:8]) for t in ticks]
    assert 'golive_ready{spec="observe-small"} 0.0' in (tmp_path / "golive.prom").read_text()


def test_sigterm_stops_cleanly(tmp_path: Path) -> None:
    spec = _spec(tmp_path)
    proc = subprocess.Popen(
        [str(GOLIVE), "--log-format", "json", "watch", str(spec), "--every", "1s"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not (spec.parent / ".golive" / "registry.db").exists() or _scorecards(spec) < 1:
            assert proc.poll() is None
            assert time.monotonic() < deadline
            time.sleep(0.2)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0
    assert "NOT READY" in out
    logs = [json.loads(line) for line in err.splitlines()]
    stopped = [line for line in logs if str(line["message"]).startswith("watch stopped after")]
    assert len(stopped) == 1
    assert logs[-1]["message"] == "command finished with exit code 0"
    assert logs[-1]["command"] == "watch"


def test_bad_options_are_usage_errors(tmp_path: Path) -> None:
    spec = _spec(tmp_path)
    runner = CliRunner()
    result = runner.invoke(app, ["watch", str(spec), "--every", "soon"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --every: invalid duration 'soon'")
    result = runner.invoke(app, ["watch", str(spec), "--until", "tomorrow"])
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: --until: 'tomorrow' is neither an RFC 3339 instant (2025-12-18T00:00:00Z) "
        "nor a duration (2h)\n"
    )
    result = runner.invoke(app, ["watch", str(spec), "--textfile", "m.txt"])
    assert result.exit_code == 2
    assert "only reads *.prom files; use a name such as m.prom" in result.stderr
