"""Rule generation: exact rules and alerts for one SLO, links, readiness alerts, promtool."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from golive.engine.evaluate import evaluate
from golive.errors import UsageError
from golive.observe.promtool import check_rules
from golive.observe.rules import (
    Links,
    check_slo,
    generate_rules,
    render_rules,
    scorecard_max_age,
)
from golive.observe.slo import BURN_WINDOWS, DAY, burn_factor, threshold
from golive.spec.models import Duration, Spec
from golive.spec.observe import SLO

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "slo" / "golive.yaml"


def load(path: Path) -> Spec:
    return Spec.model_validate(yaml.safe_load(path.read_text()))


@pytest.fixture
def one_slo(data_dir: Path) -> Spec:
    return load(data_dir / "observe" / "one_slo.yaml")


def group(doc: dict[str, Any], name: str) -> list[dict[str, Any]]:
    [found] = [g for g in doc["groups"] if g["name"] == name]
    rules: list[dict[str, Any]] = found["rules"]
    return rules


def test_group_order(one_slo: Spec) -> None:
    doc = generate_rules(one_slo)
    assert [g["name"] for g in doc["groups"]] == [
        "golive-slo-sli-recordings-availability",
        "golive-slo-alerts-availability",
        "golive-readiness-checkout",
    ]


def test_recording_rules_are_errors_over_total_per_window(one_slo: Spec) -> None:
    records = group(generate_rules(one_slo), "golive-slo-sli-recordings-availability")
    assert [r["record"] for r in records] == [
        "slo:sli_error:ratio_rate5m",
        "slo:sli_error:ratio_rate30m",
        "slo:sli_error:ratio_rate1h",
        "slo:sli_error:ratio_rate2h",
        "slo:sli_error:ratio_rate6h",
        "slo:sli_error:ratio_rate1d",
        "slo:sli_error:ratio_rate3d",
    ]
    assert records[-1]["expr"] == (
        '(sum(rate(http_requests_total{job="checkout",code=~"5.."}[3d])))\n'
        "/\n"
        '(sum(rate(http_requests_total{job="checkout"}[3d])))'
    )
    assert all(r["labels"] == {"slo": "availability", "spec": "checkout"} for r in records)


def test_burn_rate_alerts_for_99_9_over_30d(one_slo: Spec) -> None:
    alerts = group(generate_rules(one_slo), "golive-slo-alerts-availability")
    sel = '{slo="availability",spec="checkout"}'

    def both(long: str, short: str, limit: str) -> str:
        return (
            f"slo:sli_error:ratio_rate{long}{sel} > {limit}\nand\n"
            f"slo:sli_error:ratio_rate{short}{sel} > {limit}"
        )

    assert [(a["alert"], a["expr"], a["labels"]["severity"]) for a in alerts] == [
        (
            "ErrorBudgetBurn1h",
            both("1h", "5m", "0.0144"),
            "critical",
        ),
        (
            "ErrorBudgetBurn6h",
            both("6h", "30m", "0.006"),
            "critical",
        ),
        (
            "ErrorBudgetBurn1d",
            both("1d", "2h", "0.003"),
            "warning",
        ),
        (
            "ErrorBudgetBurn3d",
            both("3d", "6h", "0.001"),
            "warning",
        ),
    ]
    first = alerts[0]
    assert first["labels"] == {"severity": "critical", "slo": "availability", "spec": "checkout"}
    assert first["annotations"] == {
        "summary": "SLO availability of checkout is burning its error budget 14.4x too fast "
        "over 1h and 5m",
        "description": "Error ratio above 0.0144 (14.4x the 0.1% budget of a 99.9% objective) "
        "over 1h and 5m: 2% of the 30d error budget is spent within 1h.",
        "runbook_url": "https://runbooks.example/checkout",
        "dashboard_url": "http://127.0.0.1:8000/",
        "manifest_url": "http://127.0.0.1:8000/api/v1/releases/latest/manifest?spec=checkout",
    }


def test_the_28d_example_scales_the_factors() -> None:
    alerts = group(generate_rules(load(EXAMPLE)), "golive-slo-alerts-api-latency")
    # budget 0.5%: 13.44x, 5.6x, 2.8x and 14/15x of 0.005
    limits = [a["expr"].split("\n")[0].rsplit(" > ", 1)[1] for a in alerts]
    assert limits == ["0.0672", "0.028", "0.014", "0.00466666666667"]
    assert all(a["labels"]["team"] == "orders" for a in alerts)


def test_plain_alerts_get_labels_and_links() -> None:
    rules = group(generate_rules(load(EXAMPLE)), "golive-spec-alerts-orders-api")
    slow = next(r for r in rules if r["alert"] == "SlowBatch")
    assert slow == {
        "alert": "SlowBatch",
        "expr": "histogram_quantile(0.95, sum by (le) (rate(batch_duration_ms_bucket[5m]))) > 1000",
        "for": "10m",
        "labels": {"severity": "warning", "spec": "orders-api"},
        "annotations": {
            "summary": "The 95th percentile batch takes longer than 1000 ms",
            # no runbook in the spec: the runbook link falls back to the dashboard
            "runbook_url": "http://127.0.0.1:8000/",
            "dashboard_url": "http://127.0.0.1:8000/",
            "manifest_url": "http://127.0.0.1:8000/api/v1/releases/latest/manifest?spec=orders-api",
        },
    }
    assert "for" not in next(r for r in rules if r["alert"] == "InvariantViolation")


def test_readiness_alerts(one_slo: Spec) -> None:
    rules = group(generate_rules(one_slo), "golive-readiness-checkout")
    assert [(r["alert"], r["expr"], r.get("for")) for r in rules] == [
        ("GoliveNotReady", 'golive_ready{spec="checkout"} == 0', "15m"),
        (
            "GoliveScorecardStale",
            'time() - golive_scorecard_timestamp_seconds{spec="checkout"} > 86400',
            None,
        ),
        ("GoliveRehearsalStale", 'golive_rehearsal_age_seconds{spec="checkout"} > 2592000', None),
        ("GolivePostmortemOverdue", "golive_postmortems_overdue > 0", None),
    ]
    assert rules[0]["labels"] == {
        "severity": "critical",
        "spec": "checkout",
        "programme_alert": "readiness-suite-failed",
    }
    assert all(r["labels"]["spec"] == "checkout" for r in rules)


def test_scorecard_max_age_comes_from_governance_when_present(one_slo: Spec) -> None:
    assert scorecard_max_age(one_slo) == 86400
    governed = SimpleNamespace(
        governance=SimpleNamespace(scorecard=SimpleNamespace(max_age=Duration(7200, "2h")))
    )
    assert scorecard_max_age(governed) == 7200  # type: ignore[arg-type]


def test_every_alert_has_the_labels_and_annotations() -> None:
    for g in generate_rules(load(EXAMPLE))["groups"]:
        for rule in g["rules"]:
            if "alert" not in rule:
                continue
            assert {"severity", "spec"} <= set(rule["labels"])
            assert {"summary", "runbook_url", "dashboard_url", "manifest_url"} <= set(
                rule["annotations"]
            )
            if g["name"].startswith("golive-slo-"):
                assert "slo" in rule["labels"]


def test_links_override_the_defaults(one_slo: Spec) -> None:
    links = Links(
        api_url="https://golive.example/",
        dashboard_url="https://grafana.example/d/1",
        manifest_url="https://golive.example/m.json",
        runbook_url="https://wiki.example/golive",
    )
    rules = group(generate_rules(one_slo, links), "golive-readiness-checkout")
    assert rules[0]["annotations"] == {
        "summary": "checkout has not been ready for 15 minutes",
        "runbook_url": "https://wiki.example/golive",
        "dashboard_url": "https://grafana.example/d/1",
        "manifest_url": "https://golive.example/m.json",
    }
    assert Links(api_url="https://golive.example/").manifest("a b") == (
        "https://golive.example/api/v1/releases/latest/manifest?spec=a%20b"
    )


def test_rendering_is_deterministic_and_plain_yaml(one_slo: Spec) -> None:
    first = render_rules(generate_rules(one_slo), one_slo.name)
    assert first == render_rules(generate_rules(one_slo), one_slo.name)
    assert first.startswith("# Generated by `golive alerts generate` from spec checkout")
    assert "&id" not in first  # no YAML aliases
    assert yaml.safe_load(first) == generate_rules(one_slo)


def test_an_objective_whose_alerts_cannot_fire_is_refused(data_dir: Path) -> None:
    spec = load(data_dir / "observe" / "low_objective.yaml")
    with pytest.raises(UsageError) as info:
        generate_rules(spec)
    assert str(info.value) == (
        "slos.availability: objective 90.0 over 30d leaves an error budget of 10%; the 1h alert "
        "(14.4x) would need an error ratio above 1.44, which no ratio can exceed, and could never "
        "fire; use an objective above 93.0555555556 or a shorter period"
    )


def test_a_period_shorter_than_the_longest_window_is_refused() -> None:
    short = SLO.model_validate(
        {
            "objective": 99.9,
            "period": "1d",
            "errors": "sum(rate(e[{{window}}]))",
            "total": "sum(rate(t[{{window}}]))",
            "runbook": "https://r.example",
        }
    )
    with pytest.raises(UsageError, match=r"^slos\.s: period 1d is shorter than the longest"):
        check_slo("s", short)


def test_the_example_passes_promtool_check(tmp_path: Path) -> None:
    spec = load(EXAMPLE)
    path = tmp_path / "rules.yml"
    path.write_text(render_rules(generate_rules(spec), spec.name))
    result = check_rules(path)
    assert result.ok, result.output
    assert result.output.endswith("SUCCESS: 33 rules found")


def test_promtool_check_can_fail(tmp_path: Path, data_dir: Path) -> None:
    spec = load(data_dir / "observe" / "bad_promql.yaml")
    path = tmp_path / "rules.yml"
    path.write_text(render_rules(generate_rules(spec), spec.name))
    result = check_rules(path)
    assert not result.ok
    assert "FAILED" in result.output


def lowest_objective(days: int) -> float:
    """The objective below which the 1h alert (the fastest) could never fire."""
    return 100 * (1 - 1 / float(burn_factor(BURN_WINDOWS[0], days * DAY)))


@st.composite
def objectives_and_periods(draw: st.DrawFn) -> tuple[float, int]:
    days = draw(st.integers(min_value=3, max_value=90))
    low = round(lowest_objective(days) + 0.001, 3)
    objective = draw(st.floats(min_value=low, max_value=99.999).map(lambda x: round(x, 3)))
    return max(objective, low), days


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(objectives_and_periods())
def test_generated_slos_pass_promtool_check(drawn: tuple[float, int]) -> None:
    objective, days = drawn
    slo = {
        "objective": objective,
        "period": f"{days}d",
        "errors": 'sum(rate(http_requests_total{code=~"5.."}[{{window}}]))',
        "total": "sum(rate(http_requests_total[{{window}}]))",
        "runbook": "https://runbooks.example/a",
    }
    spec = Spec.model_validate({"version": 1, "name": "gen", "slos": {"a": slo}})
    assert max(threshold(w, days * DAY, objective) for w in BURN_WINDOWS) < 1
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "rules.yml"
        path.write_text(render_rules(generate_rules(spec), spec.name))
        result = check_rules(path)
    assert result.ok, result.output


@given(
    objective=st.floats(min_value=50.0, max_value=99.999).map(lambda x: round(x, 3)),
    days=st.integers(min_value=3, max_value=90),
)
def test_alerts_that_could_never_fire_are_refused(objective: float, days: int) -> None:
    slo = SLO.model_validate(
        {
            "objective": objective,
            "period": f"{days}d",
            "errors": "sum(rate(e[{{window}}]))",
            "total": "sum(rate(t[{{window}}]))",
            "runbook": "https://r.example",
        }
    )
    if objective <= lowest_objective(days):
        with pytest.raises(UsageError, match="could never fire"):
            check_slo("a", slo)
    else:
        check_slo("a", slo)


def test_the_example_is_a_plain_readiness_spec_too() -> None:
    card = evaluate(
        load(EXAMPLE),
        base_dir=EXAMPLE.parent,
        spec_path="golive.yaml",
        spec_sha256="0" * 64,
        at=datetime(2025, 12, 18, tzinfo=UTC),
    )
    assert [(c.id, c.status, c.observed) for c in card.checks] == [("requests.seen", "pass", 5)]
