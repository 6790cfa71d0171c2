"""The examples' alerts, generated with ``golive alerts generate``, pass the real promtool."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from tests.observe.conftest import binary
from typer.testing import CliRunner

from golive.cli.app import app
from golive.observe.promtool import check_rules

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
GOLIVE_ALERTS = {"GoliveNotReady", "GoliveScorecardStale", "GoliveRehearsalStale"}
BURN_RATE = {"ErrorBudgetBurn1h", "ErrorBudgetBurn6h", "ErrorBudgetBurn1d", "ErrorBudgetBurn3d"}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("example", "plain"),
    [
        (
            "canary-rollout",  # phase 05: error rate > 20% / > 5%, slow batch, invariants, memory
            {
                "CanaryErrorRateCritical",
                "CanaryErrorRateWarning",
                "SlowBatch",
                "InvariantViolation",
                "MemoryGrowth",
            },
        ),
        # The programme: error-budget burn > 2x for 60 min, queue depth or job age.
        ("readiness-programme", {"ErrorBudgetBurnSustained", "JobBacklog"}),
    ],
)
def test_generated_rules_pass_promtool_check_rules(
    tmp_path: Path, example: str, plain: set[str]
) -> None:
    binary("promtool", "prometheus")
    rules = tmp_path / "rules.yml"
    spec = EXAMPLES / example / "golive.yaml"
    result = CliRunner().invoke(app, ["alerts", "generate", str(spec), "-o", str(rules)])
    assert result.exit_code == 0, result.output
    checked = check_rules(rules)
    assert checked.ok, checked.output
    alerts = {
        rule["alert"]: rule
        for group in yaml.safe_load(rules.read_text())["groups"]
        for rule in group["rules"]
        if "alert" in rule
    }
    assert plain | BURN_RATE | GOLIVE_ALERTS <= set(alerts)
    for name in plain:
        assert alerts[name]["labels"]["spec"] in spec.read_text()
        assert alerts[name]["annotations"]["summary"]
    # And each burn-rate alert fires at its rate and stays silent at the budget rate.
    proven = CliRunner().invoke(app, ["alerts", "test", str(spec)])
    assert proven.exit_code == 0, proven.output
