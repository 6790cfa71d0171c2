from __future__ import annotations

from golive.engine.status import is_ready, judge, score, worst
from golive.spec.models import Spec


def _expect(text: str):  # type: ignore[no-untyped-def]
    spec = Spec.model_validate(
        {
            "version": 1,
            "name": "t",
            "checks": [{"id": "a", "source": "r", "measure": "count", "expect": text}],
        }
    )
    return spec.checks[0].expect


def test_pass_warn_fail_no_data() -> None:
    assert judge(30, _expect(">= 30"), None) == "pass"
    assert judge(29, _expect(">= 30"), _expect(">= 20")) == "warn"
    assert judge(19, _expect(">= 30"), _expect(">= 20")) == "fail"
    assert judge(None, _expect(">= 0"), None) == "no_data"


def test_durations_in_expectations_are_seconds() -> None:
    assert _expect(">= 7d").value == 7 * 86400
    assert judge(7 * 86400, _expect(">= 7d"), None) == "pass"


def test_worst_orders_error_fail_no_data_warn_pass() -> None:
    assert worst(["pass", "warn", "no_data", "fail"]) == "fail"
    assert worst(["pass", "error", "fail"]) == "error"
    assert worst(["pass", "no_data", "warn"]) == "no_data"


def test_ready_needs_every_required_check_passing_and_at_least_one() -> None:
    assert is_ready(["pass", "warn", "waived"])
    assert not is_ready(["pass", "no_data"])
    assert not is_ready([])


def test_score_is_the_weighted_mean_of_credits() -> None:
    assert score([("pass", 1), ("warn", 1), ("fail", 2)]) == 0.375
    assert score([]) == 0.0
