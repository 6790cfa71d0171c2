"""``golive.flags`` stays light: applications embed it without the rest of golive."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ["duckdb", "sqlalchemy", "fastapi", "typer", "pydantic", "rich", "yaml", "openfeature"]


def test_importing_golive_flags_pulls_in_no_heavy_module() -> None:
    # httpx itself imports rich when click is installed (uvicorn brings click): what counts
    # is what golive.flags adds on top of its own dependency.
    code = (
        "import json, sys, httpx; before = set(sys.modules); import golive.flags; "
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules and m not in before]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out) == []


def test_the_openfeature_provider_is_a_separate_import() -> None:
    code = "import golive.flags.openfeature, sys; print('openfeature' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
