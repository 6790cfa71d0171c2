"""The wave rule on its own: rollback, start, hold, promote, complete; no_data never promotes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from golive.rollout.decide import State, decide
from golive.spec.rollouts import Rollout

T0 = datetime(2025, 12, 1, tzinfo=UTC)
ROLLOUT = Rollout.model_validate(
    {
        "flag": "f",
        "waves": [{"percentage": 10, "hold": "24h"}, {"percentage": 100, "hold": "1h"}],
        "promote_when": ["err", "p95"],
        "rollback_when": ["crit"],
    }
)
PASSING = {"err": "pass", "p95": "pass", "crit": "pass"}


def wave(n: int, pct: int, started: float = 0) -> State:
    return State(n, pct, "active", T0 + timedelta(hours=started), T0 + timedelta(hours=started))


def at(h: float) -> datetime:
    return T0 + timedelta(hours=h)


def test_not_started_starts_wave_1() -> None:
    plan = decide(ROLLOUT, None, {}, T0)
    assert (plan.decision, plan.status, plan.wave, plan.percentage) == ("start", "active", 1, 10)


def test_a_failing_rollback_check_rolls_back_to_zero_whatever_else() -> None:
    plan = decide(ROLLOUT, wave(1, 10), {**PASSING, "crit": "fail"}, at(30))
    assert (plan.decision, plan.status, plan.percentage, plan.wave) == (
        "rollback",
        "rolled_back",
        0,
        1,
    )
    assert plan.failing == ("crit",)
    assert plan.reason == "rollback check crit failed: the flag goes to 0%"


def test_hold_not_elapsed_holds_and_says_how_long() -> None:
    plan = decide(ROLLOUT, wave(1, 10), PASSING, at(18))
    assert (plan.decision, plan.status, plan.percentage) == ("hold", "holding", 10)
    assert plan.waiting == ("hold 24h: 6h to go",)


def test_hold_elapsed_and_all_passing_promotes() -> None:
    plan = decide(ROLLOUT, wave(1, 10), PASSING, at(24))
    assert (plan.decision, plan.status, plan.wave, plan.percentage) == ("promote", "active", 2, 100)
    assert plan.wave_started_at == at(24)


def test_last_wave_held_completes() -> None:
    plan = decide(ROLLOUT, wave(2, 100, started=24), PASSING, at(25))
    assert (plan.decision, plan.status, plan.percentage) == ("complete", "completed", 100)


@pytest.mark.parametrize("status", ["no_data", "error", "warn", "fail", "waived"])
def test_a_promote_check_that_is_not_pass_holds(status: str) -> None:
    plan = decide(ROLLOUT, wave(1, 10), {**PASSING, "p95": status}, at(48))
    assert plan.decision == "hold"
    assert plan.waiting == (f"promote check p95 is {status}, needs pass",)


@pytest.mark.parametrize("status", ["no_data", "error"])
def test_a_rollback_check_without_data_holds_never_promotes(status: str) -> None:
    plan = decide(ROLLOUT, wave(1, 10), {**PASSING, "crit": status}, at(48))
    assert (plan.decision, plan.percentage) == ("hold", 10)
    assert plan.waiting == (f"rollback check crit is {status}: a rollback cannot be ruled out",)


def test_a_check_missing_from_the_statuses_is_no_data() -> None:
    plan = decide(ROLLOUT, wave(1, 10), {"err": "pass", "crit": "pass"}, at(48))
    assert plan.waiting == ("promote check p95 is no_data, needs pass",)


def test_every_reason_to_wait_is_named() -> None:
    plan = decide(ROLLOUT, wave(1, 10), {"err": "fail", "p95": "pass", "crit": "error"}, at(1))
    assert plan.reason == (
        "holding: hold 24h: 23h to go; promote check err is fail, needs pass; "
        "rollback check crit is error: a rollback cannot be ruled out"
    )
