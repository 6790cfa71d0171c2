"""``golive alerts generate|test`` through the CLI runner: output, exit codes, error lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from golive.cli.app import app
from golive.observe.rules import generate_rules, render_rules
from golive.spec.models import Spec

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "slo" / "golive.yaml"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_generate_writes_the_rule_file(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "rules.yml"
    result = runner.invoke(app, ["alerts", "generate", str(EXAMPLE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    spec = Spec.model_validate(yaml.safe_load(EXAMPLE.read_text()))
    assert out.read_text() == render_rules(generate_rules(spec), "orders-api")
    assert result.stderr == f"Wrote 33 rules in 6 groups to {out}\n"


def test_generate_to_stdout_with_links(runner: CliRunner) -> None:
    result = runner.invoke(
        app,
        [
            "alerts",
            "generate",
            str(EXAMPLE),
            "--api-url",
            "https://golive.example",
            "--runbook-url",
            "https://wiki.example/golive",
        ],
    )
    assert result.exit_code == 0, result.output
    doc = yaml.safe_load(result.stdout)
    readiness = doc["groups"][-1]["rules"][0]["annotations"]
    assert readiness["runbook_url"] == "https://wiki.example/golive"
    assert readiness["dashboard_url"] == "https://golive.example/"
    assert readiness["manifest_url"] == (
        "https://golive.example/api/v1/releases/latest/manifest?spec=orders-api"
    )


def test_generate_refuses_a_template_without_window(runner: CliRunner, data_dir: Path) -> None:
    path = data_dir / "observe" / "bad_no_window.yaml"
    result = runner.invoke(app, ["alerts", "generate", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: {path}:6:13: 'slos.availability.errors': errors: the PromQL template "
        "must contain {{window}} where the range goes, such as "
        "'sum(rate(http_requests_total{job=\"api\"}[{{window}}]))'\n"
    )


def test_generate_refuses_an_slo_whose_alerts_cannot_fire(
    runner: CliRunner, data_dir: Path
) -> None:
    result = runner.invoke(
        app, ["alerts", "generate", str(data_dir / "observe" / "low_objective.yaml")]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: slos.availability: objective 90.0 over 30d leaves")


def test_generate_missing_spec(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["alerts", "generate", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {tmp_path / 'nope.yaml'}: no such file; write one with `golive init`\n"
    )


def test_test_passes_on_the_example(runner: CliRunner) -> None:
    result = runner.invoke(app, ["alerts", "test", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:4] == [
        "Checking rules.yml",
        "  SUCCESS: 33 rules found",
        "Unit Testing:  tests.yml",
        "  SUCCESS",
    ]
    assert "Unit tests (16):" in lines
    assert "  api-latency: ErrorBudgetBurn3d silent at 0.84x" in lines
    assert lines[-1] == "Rules and burn-rate tests of 2 SLO(s) passed."


def test_test_json(runner: CliRunner, data_dir: Path) -> None:
    # A spec without SLOs keeps this fast; tests/observe runs the unit tests of one.
    path = data_dir / "observe" / "plain_alerts.yaml"
    result = runner.invoke(app, ["alerts", "test", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "spec": "plain",
        "passed": True,
        "slos": [],
        "tests": [],
        "check_rules": "Checking rules.yml\n  SUCCESS: 5 rules found",
        "test_rules": "Unit Testing:  tests.yml\n  SUCCESS",
    }


def test_test_json_when_promtool_fails(runner: CliRunner, data_dir: Path) -> None:
    path = data_dir / "observe" / "bad_promql.yaml"
    result = runner.invoke(app, ["alerts", "test", str(path), "--json"])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["passed"] is False
    assert doc["check_rules"].startswith("Checking rules.yml\n  FAILED:")
    assert doc["test_rules"] is None


def test_test_fails_with_promtool_output(runner: CliRunner, data_dir: Path) -> None:
    result = runner.invoke(app, ["alerts", "test", str(data_dir / "observe" / "bad_promql.yaml")])
    assert result.exit_code == 1
    assert "Checking rules.yml\n  FAILED:" in result.stdout
    assert 'group "golive-spec-alerts-checkout", rule 1, "Broken"' in result.stdout
    assert result.stdout.splitlines()[-1] == "Rules and burn-rate tests of 0 SLO(s) FAILED."


def test_test_refuses_an_unsupported_template(runner: CliRunner, data_dir: Path) -> None:
    result = runner.invoke(
        app, ["alerts", "test", str(data_dir / "observe" / "unsupported_template.yaml")]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "Error: slos.latency.errors: golive alerts test needs templates of the form "
        "'sum(rate(<metric>{<matchers>}[{{window}}]))'"
    )


def test_test_without_promtool_exits_2(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    result = runner.invoke(app, ["alerts", "test", str(EXAMPLE)])
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: promtool not found on PATH; install it with the Debian package 'prometheus' "
        "(apt-get install prometheus) or put Prometheus's promtool on PATH\n"
    )


def test_test_without_slos_only_checks_the_rules(runner: CliRunner, data_dir: Path) -> None:
    result = runner.invoke(app, ["alerts", "test", str(data_dir / "observe" / "plain_alerts.yaml")])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Checking rules.yml",
        "  SUCCESS: 5 rules found",
        "Unit Testing:  tests.yml",
        "  SUCCESS",
        "Unit tests (0):",
        "Rules and burn-rate tests of 0 SLO(s) passed.",
    ]


@pytest.mark.parametrize("command", ["generate", "test"])
def test_help_teaches_with_an_example(runner: CliRunner, command: str) -> None:
    result = runner.invoke(app, ["alerts", command, "--help"], terminal_width=200)
    assert result.exit_code == 0
    assert f"Example: golive alerts {command} examples/slo/golive.yaml" in result.stdout
