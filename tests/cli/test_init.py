"""``golive init`` writes a starter spec that loads, and never overwrites by accident."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel
from typer.testing import CliRunner

from golive.cli.app import app
from golive.spec.loader import load_spec
from golive.spec.models import Check, Defaults, JsonlSource, Spec
from golive.spec.starter import STARTER_SPEC


def test_init_writes_the_starter_spec_in_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["init"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Wrote golive.yaml: a commented starter spec.",
        "Next: point sources.app.path at your evidence, then run: golive check golive.yaml",
    ]
    assert (tmp_path / "golive.yaml").read_text(encoding="utf-8") == STARTER_SPEC


def test_starter_spec_loads_without_problems(tmp_path: Path) -> None:
    path = tmp_path / "service.yaml"
    assert CliRunner().invoke(app, ["init", str(path)]).exit_code == 0
    spec = load_spec(path).spec
    assert spec.sources["app"].time == "ts"
    measures = {check.measure for check in spec.checks}
    assert {"count", "ratio", "p95"} <= measures
    assert any(check.every is not None for check in spec.checks)
    assert any(check.window is not None for check in spec.checks)


# The sections later capabilities add (DESIGN.md): documented with them, not in the starter.
CAPABILITY_SECTIONS = {"governance", "items", "rollouts", "slos", "alerts", "signoff", "redact"}


def test_starter_spec_shows_every_key() -> None:
    models: list[type[BaseModel]] = [Spec, JsonlSource, Defaults, Check]
    keys = {key for model in models for key in model.model_fields} - CAPABILITY_SECTIONS
    written = {line.split(":")[0].strip(" -") for line in STARTER_SPEC.splitlines()}
    assert keys - written == set()
    commented = [line for line in STARTER_SPEC.splitlines() if "#" in line]
    assert len(commented) >= 30


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "golive.yaml"
    path.write_text("mine\n")
    result = CliRunner().invoke(app, ["init", str(path)])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {path} already exists; pass --force to overwrite it\n"
    assert result.stdout == ""
    assert path.read_text() == "mine\n"


def test_init_force_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "golive.yaml"
    path.write_text("mine\n")
    result = CliRunner().invoke(app, ["init", str(path), "--force"])
    assert result.exit_code == 0
    assert path.read_text(encoding="utf-8") == STARTER_SPEC


def test_init_into_a_missing_directory_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "nope" / "golive.yaml"
    result = CliRunner().invoke(app, ["init", str(path)])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {path}: cannot be written: No such file or directory\n"


def test_init_help_shows_an_example() -> None:
    result = CliRunner().invoke(app, ["init", "--help"])
    assert result.exit_code == 0
    assert "Example: golive init && golive check golive.yaml" in result.stdout
