"""Fixtures for the source adapter tests: the bundled sample package, run by real tools."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

SAMPLE_PKG = Path(__file__).parent.parent / "data" / "sample_pkg"


@pytest.fixture
def sample_pkg(tmp_path: Path) -> Path:
    """A fresh copy of tests/data/sample_pkg in a temporary folder."""
    target = tmp_path / "sample_pkg"
    shutil.copytree(SAMPLE_PKG, target)
    return target


RunPytest = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run_pytest(sample_pkg: Path) -> RunPytest:
    """Run pytest on the sample package's checks (one test fails on purpose)."""

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        argv = [sys.executable, "-m", "pytest", "checks_shop.py", "-q", "-p", "no:cacheprovider"]
        return subprocess.run(
            [*argv, *args], cwd=sample_pkg, capture_output=True, text=True, timeout=120, check=False
        )

    return run
