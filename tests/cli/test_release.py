"""``golive release create|amend|show`` through the CLI runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from golive.canonical import digest
from golive.cli.app import app
from tests.governance.project import write_project


def run(*args: str, user: str = "carol") -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env={"GOLIVE_USER": user, "GOLIVE_REGISTRY": None})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    return write_project(tmp_path / "shop")


def test_create_then_show_prints_the_manifest_and_its_digest(spec: Path) -> None:
    artifact = str(spec.parent / "shop.whl")
    code, out, err = run("release", "create", "1.4.0", "--artifact", artifact, "--spec", str(spec))
    assert (code, err) == (0, "")
    assert "release 1.4.0 revision 1" in out
    code, out, _ = run("release", "show", "1.4.0", "--spec", str(spec), "--json")
    manifest = json.loads(out)
    assert manifest["schema"] == "golive.release-manifest/v1"
    assert manifest["creator"] == "carol"
    code, out, _ = run("release", "show", "1.4.0", "--spec", str(spec))
    assert out.strip().splitlines()[-1] == f"manifest sha256 {digest(manifest)}"


def test_changed_content_is_refused_and_amend_makes_revision_2(spec: Path) -> None:
    artifact = spec.parent / "shop.whl"
    base = ("--artifact", str(artifact), "--spec", str(spec))
    assert run("release", "create", "1.4.0", *base)[0] == 0
    artifact.write_bytes(b"rebuilt\n")
    code, _, err = run("release", "create", "1.4.0", *base)
    assert code == 2
    assert err.startswith("Error: release 1.4.0 already exists with other content")
    code, out, _ = run("release", "amend", "1.4.0", *base, "--json")
    assert code == 0
    assert json.loads(out)["revision"] == 2


def test_bad_window_and_unknown_release_are_usage_errors(spec: Path) -> None:
    code, _, err = run(
        "release",
        "create",
        "1",
        "--artifact",
        str(spec),
        "--window",
        "tomorrow",
        "--spec",
        str(spec),
    )
    assert code == 2
    assert err.startswith("Error: --window 'tomorrow': expected START/END; write START/END")
    code, _, err = run("release", "show", "9.9", "--spec", str(spec))
    assert code == 2
    assert "Error: no release '9.9' in registry" in err
