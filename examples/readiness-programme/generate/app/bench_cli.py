"""pytest-benchmark of the shop CLI, end to end in a new process (the "CLI P95" evidence)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

APP = Path(__file__).parent / "shop.py"


def _run(*args: str) -> str:
    done = subprocess.run([sys.executable, str(APP), *args], capture_output=True, text=True)
    return done.stdout


def test_cli_total(benchmark: Any) -> None:
    out = benchmark.pedantic(_run, args=("total", "apple=2", "tea=1"), rounds=30, iterations=1)
    assert out.strip() == "5.5"


def test_cli_help(benchmark: Any) -> None:
    out = benchmark.pedantic(_run, args=("--help",), rounds=30, iterations=1)
    assert "usage: shop" in out
