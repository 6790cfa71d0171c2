"""examples/claims and the pre-commit hook: the unbacked report fails, the backed one passes."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
from pathlib import Path

import yaml
from typer.testing import CliRunner

from golive.cli.app import app

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "claims"


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env={"GOLIVE_REGISTRY": None})
    return result.exit_code, result.stdout + result.stderr


def test_unbacked_report_is_refused_and_backed_report_passes(tmp_path: Path) -> None:
    folder = tmp_path / "claims"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns(".golive", "backed-report.md"))
    with contextlib.chdir(folder):
        code, out = invoke("claims", "check", "unbacked-report.md", "--spec", "golive.yaml")
        assert code == 1
        assert out.splitlines()[-1] == "3 claims, 0 backed, 3 unbacked"
        assert (
            "unbacked-report.md:3:3: no-citation: claims 'PRODUCTION READY v5 — Battle-Tested'"
            in out
        )
        # The steps of make-backed-report.sh.
        code, _ = invoke("check", "golive.yaml")
        assert code == 0
        code, out = invoke("history", "golive.yaml", "--json", "--limit", "1")
        sha = json.loads(out)[0]["sha256"]
        template = Path("backed-report.md.in").read_text()
        Path("backed-report.md").write_text(template.replace("{scorecard}", sha))
        code, out = invoke("claims", "check", "backed-report.md", "--spec", "golive.yaml")
    assert code == 0
    assert out == "2 claims, 2 backed, 0 unbacked\n"


def test_pre_commit_hook_runs_golive_claims_check() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    (hook,) = hooks
    assert hook["id"] == "golive-claims"
    assert hook["entry"] == "golive claims check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is True
    pattern = re.compile(hook["files"])
    assert pattern.search("docs/report.md")
    assert pattern.search("status.html")
    assert not pattern.search("golive.yaml")
