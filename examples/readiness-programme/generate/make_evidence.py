"""Regenerate this example's test, benchmark and security evidence with the real tools.

Run from the repository root with golive's dev environment (pytest, pytest-benchmark,
bandit): ``.venv/bin/python examples/readiness-programme/generate/make_evidence.py``.
The traces come from ``make_traces.py`` (needs opentelemetry-sdk).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
EVIDENCE = HERE.parent / "evidence"
BIN = Path(sys.executable).parent


def run(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> bytes:
    done = subprocess.run(argv, cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True)
    return done.stdout


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = Path(tmp) / "app"
        shutil.copytree(HERE / "app", app)
        pytest = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        (EVIDENCE / "integration").mkdir(parents=True, exist_ok=True)
        for n in (1, 2, 3):
            report = EVIDENCE / "integration" / f"run-{n}.xml"
            run(
                [*pytest, "integration_checks.py", f"--junitxml={report}"],
                app,
                {"GOLIVE_EXAMPLE_RUN": str(n)},
            )
        (EVIDENCE / "perf").mkdir(parents=True, exist_ok=True)
        run(
            [*pytest, "bench_cli.py", f"--benchmark-json={EVIDENCE / 'perf' / 'cli-bench.json'}"],
            app,
        )
        (EVIDENCE / "security").mkdir(parents=True, exist_ok=True)
        bandit = run([str(BIN / "bandit"), "-f", "json", "shop.py"], app)
        (EVIDENCE / "security" / "bandit.json").write_bytes(bandit)


if __name__ == "__main__":
    main()
