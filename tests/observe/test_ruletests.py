"""promtool unit tests of burn-rate alerts: templates, synthetic series, tests that can fail."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from golive.errors import UsageError
from golive.observe.promtool import test_rules as run_promtool_tests
from golive.observe.rules import generate_rules, render_rules
from golive.observe.ruletests import (
    Matcher,
    RuleTestFiles,
    parse_template,
    rule_tests,
    synthetic_series,
    write_rule_tests,
)
from golive.spec.models import Spec
from golive.spec.observe import SLO


def load(path: Path) -> Spec:
    return Spec.model_validate(yaml.safe_load(path.read_text()))


def slo(errors: str, total: str, objective: float = 99.0) -> SLO:
    return SLO.model_validate(
        {"objective": objective, "errors": errors, "total": total, "runbook": "https://r.example"}
    )


def test_parse_template_with_matchers() -> None:
    selector = parse_template(
        "e",
        ' sum( rate( http_requests_total{job="api", code=~"5..",path!=`/health`, '
        "env!~'dev|test'}[ {{window}} ]) ) ",
    )
    assert selector.metric == "http_requests_total"
    assert selector.matchers == (
        Matcher("job", "=", "api"),
        Matcher("code", "=~", "5.."),
        Matcher("path", "!=", "/health"),
        Matcher("env", "!~", "dev|test"),
    )


def test_parse_template_without_matchers_and_with_escapes() -> None:
    assert parse_template("t", "sum(rate(requests_total[{{window}}]))").matchers == ()
    [m] = parse_template("t", r'sum(rate(x{msg="say \"hi\"\\"}[{{window}}]))').matchers
    assert m.value == 'say "hi"\\'


@pytest.mark.parametrize(
    "template",
    [
        "sum(rate(a[{{window}}])) - sum(rate(b[{{window}}]))",
        "rate(a[{{window}}])",
        "sum by (code) (rate(a[{{window}}]))",
        "sum(increase(a[{{window}}]))",
    ],
)
def test_other_templates_are_refused_with_the_form_expected(template: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_template("slos.x.errors", template)
    assert str(info.value).startswith(
        "slos.x.errors: golive alerts test needs templates of the form "
        "'sum(rate(<metric>{<matchers>}[{{window}}]))'"
    )


def test_unreadable_matchers_are_refused() -> None:
    with pytest.raises(UsageError, match=r"^t: cannot read the label matchers at 'job=api}'"):
        parse_template("t", "sum(rate(x{job=api}}[{{window}}]))")


def test_shared_metric_gets_an_error_series_and_a_good_series() -> None:
    series = synthetic_series(
        "a",
        slo(
            'sum(rate(http_requests_total{job="api",code=~"5.."}[{{window}}]))',
            'sum(rate(http_requests_total{job="api"}[{{window}}]))',
        ),
    )
    assert series.shared
    assert series.errors == ("http_requests_total", {"code": "5xx", "job": "api"})
    # the good series leaves `code` out, which no 5.. regex matches
    assert series.others == ("http_requests_total", {"job": "api"})


def test_negative_matchers_are_honoured() -> None:
    series = synthetic_series(
        "a",
        slo(
            'sum(rate(req_total{status!="ok",env!~"dev|test"}[{{window}}]))',
            'sum(rate(req_total{env!~"dev|test"}[{{window}}]))',
        ),
    )
    # an absent label is "", which is != "ok"
    assert series.errors == ("req_total", {})
    assert series.others == ("req_total", {"status": "ok"})


def test_separate_metrics() -> None:
    series = synthetic_series(
        "a", slo("sum(rate(errors_total[{{window}}]))", 'sum(rate(req_total{a="b"}[{{window}}]))')
    )
    assert not series.shared
    assert series.errors == ("errors_total", {})
    assert series.others == ("req_total", {"a": "b"})


@pytest.mark.parametrize(
    ("errors", "total", "message"),
    [
        (
            'sum(rate(r{code="500"}[{{window}}]))',
            'sum(rate(r{code="200"}[{{window}}]))',
            "slos.a: no series matches both errors and total",
        ),
        (
            'sum(rate(r{job="x"}[{{window}}]))',
            'sum(rate(r{job="x"}[{{window}}]))',
            "slos.a: every series total selects is also an error",
        ),
    ],
)
def test_templates_that_cannot_make_a_ratio(errors: str, total: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        synthetic_series("a", slo(errors, total))


def test_tests_cover_each_window_firing_and_silent(data_dir: Path) -> None:
    spec = load(data_dir / "observe" / "one_slo.yaml")
    doc = rule_tests(spec, generate_rules(spec), "rules.yml")
    assert doc["rule_files"] == ["rules.yml"]
    assert [t["name"] for t in doc["tests"]] == [
        "availability: ErrorBudgetBurn1h fires at 15.12x",
        "availability: ErrorBudgetBurn1h silent at 1x",
        "availability: ErrorBudgetBurn6h fires at 6.3x",
        "availability: ErrorBudgetBurn6h silent at 1x",
        "availability: ErrorBudgetBurn1d fires at 3.15x",
        "availability: ErrorBudgetBurn1d silent at 1x",
        "availability: ErrorBudgetBurn3d fires at 1.05x",
        "availability: ErrorBudgetBurn3d silent at 0.9x",
    ]
    fire_1h = doc["tests"][0]
    # 1000 events a minute: no errors for 30 minutes, then 1.512% errors (15.12x the 0.1%
    # budget) for 70 minutes; counters continue where the first segment left off.
    assert fire_1h["interval"] == "1m"
    assert fire_1h["input_series"] == [
        {
            "series": 'http_requests_total{code="5xx", job="checkout"}',
            "values": "0+0x30 15.12+15.12x69",
        },
        {
            "series": 'http_requests_total{job="checkout"}',
            "values": "0+1000x30 30984.88+984.88x69",
        },
    ]
    # silent while three quarters of the 1h window burn, firing once all of it does
    not_yet, firing = fire_1h["alert_rule_test"]
    assert (not_yet["eval_time"], not_yet["exp_alerts"]) == ("1h15m", [])
    assert firing["eval_time"] == "1h40m"
    assert firing["exp_alerts"][0]["exp_labels"]["severity"] == "critical"
    quiet_3d = doc["tests"][7]
    assert quiet_3d["interval"] == "1h"
    # 0.9x: 90% of the 0.1% budget of 60000 events an hour
    assert quiet_3d["input_series"][0]["values"] == "0+54x72"


def write_subset(files: RuleTestFiles, keep: str) -> None:
    """Keep only the test groups whose name contains ``keep`` (fast runs)."""
    doc: dict[str, Any] = yaml.safe_load(files.tests.read_text())
    doc["tests"] = [t for t in doc["tests"] if keep in t["name"]]
    files.tests.write_text(yaml.safe_dump(doc, sort_keys=False))


@pytest.fixture
def written(tmp_path: Path, data_dir: Path) -> RuleTestFiles:
    spec = load(data_dir / "observe" / "one_slo.yaml")
    return write_rule_tests(spec, generate_rules(spec), tmp_path)


def test_the_unit_tests_pass_on_the_generated_rules(written: RuleTestFiles) -> None:
    result = run_promtool_tests(written.tests)
    assert result.ok, result.output
    assert result.output == "Unit Testing:  tests.yml\n  SUCCESS"


def test_a_threshold_ten_times_too_high_fails_the_firing_test(written: RuleTestFiles) -> None:
    text = written.rules.read_text()
    assert text.count("> 0.0144") == 2
    written.rules.write_text(text.replace("> 0.0144", "> 0.144"))
    write_subset(written, "ErrorBudgetBurn1h")
    result = run_promtool_tests(written.tests)
    assert not result.ok
    assert "name: availability: ErrorBudgetBurn1h fires at 15.12x" in result.output
    assert "alertname: ErrorBudgetBurn1h, time: 1h40m" in result.output
    assert "silent at 1x" not in result.output


def test_a_threshold_ten_times_too_low_fails_the_silence_test(written: RuleTestFiles) -> None:
    written.rules.write_text(written.rules.read_text().replace("> 0.006", "> 0.0006"))
    write_subset(written, "ErrorBudgetBurn6h")
    result = run_promtool_tests(written.tests)
    assert not result.ok
    assert "name: availability: ErrorBudgetBurn6h silent at 1x" in result.output
    # it also fires too early, while three quarters of its 6h window burn
    assert "alertname: ErrorBudgetBurn6h, time: 7h30m, \n        exp:[], \n        got:[" in (
        result.output
    )


@pytest.mark.parametrize(
    ("window", "time", "expected"),
    [("6h", "1h40m", "exp:[\n            0:"), ("30m", "1h15m", "exp:[], \n        got:[")],
)
def test_a_wrong_long_window_fails(
    written: RuleTestFiles, window: str, time: str, expected: str
) -> None:
    # 6h: diluted by the error-free start, it never fires; 30m: it fires too early
    text = written.rules.read_text()
    assert text.count("slo:sli_error:ratio_rate1h{") == 1  # the 1h alert's long window
    written.rules.write_text(text.replace("ratio_rate1h{", f"ratio_rate{window}{{"))
    write_subset(written, "ErrorBudgetBurn1h fires")
    result = run_promtool_tests(written.tests)
    assert not result.ok
    assert f"alertname: ErrorBudgetBurn1h, time: {time}, \n        {expected}" in result.output


def test_the_rule_file_written_is_the_rendered_rules(
    written: RuleTestFiles, data_dir: Path
) -> None:
    spec = load(data_dir / "observe" / "one_slo.yaml")
    assert written.rules.read_text() == render_rules(generate_rules(spec), spec.name)
    assert len(written.names) == 8


@pytest.mark.parametrize("regex", ["5..", "(5..|429)", "5\\d\\d", "[45]..", "2..|3..", "50[0-4]"])
def test_regex_matchers_get_a_matching_value(regex: str) -> None:
    quoted = regex.replace("\\", "\\\\")  # a PromQL string escapes its backslashes
    series = synthetic_series(
        "a",
        slo(
            f'sum(rate(r{{code=~"{quoted}"}}[{{{{window}}}}]))',
            "sum(rate(r[{{window}}]))",
        ),
    )
    code = series.errors[1]["code"]
    assert re.fullmatch(regex, code), code
    assert "code" not in series.others[1]


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    objective=st.sampled_from([93.1, 95.0, 99.0, 99.5, 99.9, 99.99]),
    days=st.sampled_from([3, 7, 14, 28, 30, 90]),
)
def test_unit_tests_pass_for_any_objective_and_period(objective: float, days: int) -> None:
    spec = Spec.model_validate(
        {
            "version": 1,
            "name": "gen",
            "slos": {
                "a": {
                    "objective": objective,
                    "period": f"{days}d",
                    "errors": 'sum(rate(r{code=~"5.."}[{{window}}]))',
                    "total": "sum(rate(r[{{window}}]))",
                    "runbook": "https://r.example",
                }
            },
        }
    )
    try:
        rules = generate_rules(spec)
    except UsageError as exc:
        assert "could never fire" in str(exc)  # noqa: PT017
        return
    with tempfile.TemporaryDirectory() as tmp:
        files = write_rule_tests(spec, rules, Path(tmp))
        # The 3d groups take seconds each; the examples above run them all.
        doc: dict[str, Any] = yaml.safe_load(files.tests.read_text())
        doc["tests"] = [t for t in doc["tests"] if "ErrorBudgetBurn3d" not in t["name"]]
        files.tests.write_text(yaml.safe_dump(doc, sort_keys=False))
        result = run_promtool_tests(files.tests)
    assert result.ok, result.output
