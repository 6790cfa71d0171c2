"""A command run without a shell: exit code, duration, output hashes and the last lines.

The command runs in its own process group so that on timeout it is killed with
every child it started. Whether commands may run at all (``--no-commands``, specs
evaluated through the API) is decided by the engine, not here.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shlex
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

from golive.errors import EvidenceError
from golive.sources.base import EvidenceItem, Records
from golive.spec.durations import parse_duration
from golive.spec.sources import CommandSource

TAIL_LINES = 20


def read(config: CommandSource, base_dir: Path) -> Records:
    """Run ``argv`` once in ``cwd`` (default: the spec's folder); one record."""
    cwd = base_dir / config.cwd if config.cwd else base_dir
    if not cwd.is_dir():
        raise EvidenceError(f"command {shlex.join(config.argv)}: cwd {config.cwd} is not a folder")
    timeout = parse_duration(config.timeout)
    started = time.perf_counter()
    try:
        proc = subprocess.Popen(
            config.argv,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as exc:
        raise EvidenceError(
            f"command {shlex.join(config.argv)}: cannot start: {exc.strerror or exc}"
        ) from None
    timed_out = False
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        with contextlib.suppress(ProcessLookupError):  # it may have exited meanwhile
            os.killpg(proc.pid, signal.SIGKILL)
        stdout, stderr = proc.communicate()
    duration_ms = (time.perf_counter() - started) * 1000.0
    row: dict[str, Any] = {
        "exit_code": None if timed_out else proc.returncode,
        "duration_ms": duration_ms,
        "timed_out": timed_out,
        "stdout_sha256": hashlib.sha256(stdout).hexdigest(),
        "stderr_sha256": hashlib.sha256(stderr).hexdigest(),
        "stdout_tail": _tail(stdout),
        "stderr_tail": _tail(stderr),
    }
    item = EvidenceItem(
        shlex.join(config.argv),
        row["stdout_sha256"],
        1,
        detail={"exit_code": row["exit_code"], "timed_out": timed_out},
    )
    return Records([row], [item], config.time)


def _tail(data: bytes) -> str:
    return "\n".join(data.decode("utf-8", errors="replace").splitlines()[-TAIL_LINES:])
