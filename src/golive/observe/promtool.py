"""Running Prometheus's ``promtool`` on generated rule files and their unit tests."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from golive.errors import UsageError

PACKAGE = "prometheus"


@dataclass(frozen=True)
class PromtoolResult:
    """What promtool said: whether it passed, and its combined output."""

    ok: bool
    output: str


def find_promtool() -> str:
    """The path of ``promtool`` on PATH; ``UsageError`` naming the package when missing."""
    found = shutil.which("promtool")
    if found is None:
        raise UsageError(
            "promtool not found on PATH; install it with the Debian package "
            f"'{PACKAGE}' (apt-get install {PACKAGE}) or put Prometheus's promtool on PATH"
        )
    return found


def _run(args: list[str], cwd: Path) -> PromtoolResult:
    done = subprocess.run(
        [find_promtool(), *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    return PromtoolResult(done.returncode == 0, done.stdout.strip())


def check_rules(path: Path) -> PromtoolResult:
    """``promtool check rules`` on one rule file."""
    return _run(["check", "rules", path.name], path.parent)


def test_rules(path: Path) -> PromtoolResult:
    """``promtool test rules`` on one unit-test file (its rule files are relative to it)."""
    return _run(["test", "rules", path.name], path.parent)


__all__ = ["PACKAGE", "PromtoolResult", "check_rules", "find_promtool", "test_rules"]
