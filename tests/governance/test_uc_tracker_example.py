"""examples/uc-tracker: the register evaluates as documented, and the demo ends ALLOWED."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from golive.spec.loader import load_spec

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "uc-tracker"


def test_every_item_requires_checks_the_spec_has() -> None:
    spec = load_spec(EXAMPLE / "golive.yaml").spec
    checks = {c.id for c in spec.checks}
    assert [i.id for i in spec.items] == ["UC-001", "UC-002", "UC-003", "UC-004", "UC-005"]
    for item in spec.items:
        assert set(item.requires) <= checks, item.id


@pytest.mark.slow
def test_the_demo_promotes_blocks_approves_rehearses_and_is_allowed() -> None:
    done = subprocess.run(
        [str(EXAMPLE / "demo.sh"), str(Path(sys.executable).parent)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "160", "HOME": str(ROOT)},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for item, status in [
        ("UC-001", "READY_FOR_GO_LIVE"),
        ("UC-002", "READY_FOR_GO_LIVE"),
        ("UC-003", "IN_PROGRESS"),
        ("UC-004", "IN_PROGRESS"),
        ("UC-005", "BLOCKED"),
    ]:
        row = next(line for line in out.splitlines() if f"│ {item} " in line)
        assert status in row, row
    assert "2 of 2 required approvals valid" in out
    assert out.strip().splitlines()[-1].startswith("ALLOWED · manifest ")
