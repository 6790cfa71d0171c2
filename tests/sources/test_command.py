"""The command source: real processes, no shell, timeouts that kill the whole group."""

from __future__ import annotations

import hashlib
import sys
import time
from pathlib import Path

import pytest

from golive.errors import EvidenceError
from golive.sources import command
from golive.spec.sources import CommandSource


def _read(base: Path, argv: list[str], **keys: str) -> command.Records:
    config = CommandSource.model_validate({"type": "command", "argv": argv, **keys})
    return command.read(config, base)


def test_runs_without_a_shell(tmp_path: Path) -> None:
    script = "import sys\nfor i in range(30): print(f'line {i}')\nprint('oops', file=sys.stderr)"
    out = _read(tmp_path, [sys.executable, "-c", script, "$HOME; rm -rf /"])
    [row] = out.rows
    expected_stdout = "".join(f"line {i}\n" for i in range(30)).encode()
    assert row["exit_code"] == 0
    assert row["timed_out"] is False
    assert row["stdout_sha256"] == hashlib.sha256(expected_stdout).hexdigest()
    assert row["stderr_sha256"] == hashlib.sha256(b"oops\n").hexdigest()
    assert row["stdout_tail"] == "\n".join(f"line {i}" for i in range(10, 30))
    assert row["stderr_tail"] == "oops"
    assert row["duration_ms"] > 0
    [item] = out.evidence
    assert item.sha256 == row["stdout_sha256"]
    assert item.path.endswith("'$HOME; rm -rf /'")


def test_exit_code_and_cwd(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "marker").write_text("here")
    script = "import pathlib, sys; sys.exit(0 if pathlib.Path('marker').exists() else 3)"
    assert _read(tmp_path, [sys.executable, "-c", script], cwd="sub").rows[0]["exit_code"] == 0
    assert _read(tmp_path, [sys.executable, "-c", script]).rows[0]["exit_code"] == 3


def test_timeout_kills_the_process_group(tmp_path: Path) -> None:
    # The child starts a grandchild that would hold the pipes open for 60 s.
    script = (
        "import subprocess, sys, time\n"
        "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
        "print('started', flush=True)\n"
        "time.sleep(60)\n"
    )
    started = time.monotonic()
    out = _read(tmp_path, [sys.executable, "-c", script], timeout="1s")
    assert time.monotonic() - started < 30
    [row] = out.rows
    assert (row["exit_code"], row["timed_out"]) == (None, True)
    assert row["stdout_tail"] == "started"


def test_missing_program_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(EvidenceError, match=r"^command no-such-program-x: cannot start"):
        _read(tmp_path, ["no-such-program-x"])


def test_missing_cwd_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(EvidenceError, match=r"cwd nowhere is not a folder"):
        _read(tmp_path, ["true"], cwd="nowhere")
