"""The spec's ``slos`` and ``alerts`` sections (golive.spec.observe) and their place in Spec."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from golive.spec.models import Spec
from golive.spec.observe import SLO, AlertRule

ERRORS = 'sum(rate(http_requests_total{code=~"5.."}[{{window}}]))'
TOTAL = "sum(rate(http_requests_total[{{window}}]))"


def slo(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "objective": 99.9,
        "errors": ERRORS,
        "total": TOTAL,
        "runbook": "https://runbooks.example/a",
    }
    doc.update(changes)
    return doc


def messages(exc: ValidationError) -> list[str]:
    return [".".join(str(p) for p in e["loc"]) + ": " + e["msg"] for e in exc.errors()]


def test_an_slo_with_defaults() -> None:
    model = SLO.model_validate(slo())
    assert model.period.seconds == 30 * 86400
    assert model.period.text == "30d"
    assert model.dashboard is None
    assert model.labels == {}


def test_a_template_without_window_is_an_error_naming_the_key() -> None:
    with pytest.raises(ValidationError) as info:
        SLO.model_validate(slo(total="sum(rate(http_requests_total[5m]))"))
    [message] = messages(info.value)
    assert message.startswith("total: Value error, total: the PromQL template must contain")
    assert "{{window}}" in message


@pytest.mark.parametrize("objective", [0, 100, -1, 100.5])
def test_objective_is_a_percentage_strictly_between_0_and_100(objective: float) -> None:
    with pytest.raises(ValidationError) as info:
        SLO.model_validate(slo(objective=objective))
    assert messages(info.value)[0].startswith("objective: Input should be")


@pytest.mark.parametrize(
    ("changes", "start"),
    [
        ({"runbook": "runbooks/a.md"}, "runbook: String should match pattern"),
        ({"dashboard": "grafana"}, "dashboard: String should match pattern"),
        ({"period": "a month"}, "period: invalid duration 'a month'"),
        (
            {"labels": {"severity": "page"}},
            "labels: Value error, label 'severity' is set by golive",
        ),
        ({"labels": {"2team": "x"}}, "labels: Value error, label name '2team' is not"),
        ({"window": "1h"}, "window: Extra inputs are not permitted"),
    ],
)
def test_bad_slo_fields(changes: dict[str, Any], start: str) -> None:
    with pytest.raises(ValidationError) as info:
        SLO.model_validate(slo(**changes))
    assert messages(info.value)[0].startswith(start)


def test_an_alert_reads_for_and_keeps_the_rest() -> None:
    alert = AlertRule.model_validate(
        {"name": "SlowBatch", "expr": "x > 1", "for": "10m", "severity": "warning"}
    )
    assert alert.for_ is not None
    assert alert.for_.seconds == 600
    assert alert.summary is None
    assert alert.runbook is None


@pytest.mark.parametrize(
    ("changes", "start"),
    [
        ({"severity": "page"}, "severity: Input should be 'critical', 'warning' or 'info'"),
        ({"name": "slow-batch"}, "name: String should match pattern"),
        ({"for": "soon"}, "for: invalid duration 'soon'"),
        ({"expr": ""}, "expr: String should have at least 1 character"),
        ({"labels": {"spec": "x"}}, "labels: Value error, label 'spec' is set by golive"),
        ({"annotations": {}}, "annotations: Extra inputs are not permitted"),
    ],
)
def test_bad_alerts(changes: dict[str, Any], start: str) -> None:
    doc = {"name": "SlowBatch", "expr": "x > 1", "severity": "warning", **changes}
    with pytest.raises(ValidationError) as info:
        AlertRule.model_validate(doc)
    assert messages(info.value)[0].startswith(start)


def test_spec_holds_slos_and_alerts(data_dir: Path) -> None:
    spec = Spec.model_validate(yaml.safe_load((data_dir / "observe" / "one_slo.yaml").read_text()))
    assert list(spec.slos) == ["availability"]
    assert spec.slos["availability"].objective == 99.9
    assert spec.alerts == []


def test_a_spec_without_them_is_unchanged() -> None:
    spec = Spec.model_validate({"version": 1, "name": "plain"})
    assert spec.slos == {}
    assert spec.alerts == []


@pytest.mark.parametrize("first", ["golive.spec.models", "golive.spec.observe"])
def test_either_module_can_be_imported_first(first: str) -> None:
    # models imports observe last, to break the cycle; a fresh interpreter proves both orders.
    code = (
        f"import {first}\n"
        "from golive.spec.models import Spec\n"
        "s = Spec.model_validate({'version': 1, 'name': 'x', 'alerts': "
        "[{'name': 'A', 'expr': 'up == 0', 'severity': 'info'}]})\n"
        "print(s.alerts[0].name)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.stdout == "A\n", done.stderr


def test_json_schema_shows_the_period_default_and_the_for_key() -> None:
    defs = Spec.model_json_schema()["$defs"]
    assert defs["SLO"]["properties"]["period"]["default"] == "30d"
    assert "for" in defs["AlertRule"]["properties"]
    assert defs["AlertRule"]["additionalProperties"] is False
