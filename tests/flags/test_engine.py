"""Strategies and explanations: which strategy decided, and why a flag is off."""

from __future__ import annotations

from typing import Any

import pytest

from golive.flags import Evaluation, FlagSet, normalized_hash, parse_flags
from golive.flags.model import SCHEMA


def flags(*defs: dict[str, Any]) -> FlagSet:
    return FlagSet(parse_flags({"schema": SCHEMA, "flags": list(defs)}))


def flag(name: str, *strategies: dict[str, Any], enabled: bool = True) -> dict[str, Any]:
    return {"name": name, "enabled": enabled, "strategies": list(strategies)}


def rollout(pct: int, **params: str) -> dict[str, Any]:
    return {"name": "flexibleRollout", "parameters": {"rollout": str(pct), **params}}


def test_evaluate_explains_each_outcome() -> None:
    fs = flags(
        flag("off", {"name": "default"}, enabled=False),
        flag("everyone"),
        flag("vip", {"name": "userWithId", "parameters": {"userIds": "1, 2 ,3"}}, rollout(0)),
    )
    assert fs.evaluate("nope") == Evaluation(False, "unknown_flag")
    assert fs.evaluate("off") == Evaluation(False, "disabled")
    assert fs.evaluate("everyone") == Evaluation(True, "no_strategies", kind="static")
    assert fs.evaluate("vip", {"userId": "2"}) == Evaluation(
        True, "strategy_match", "userWithId", 0, "targeting"
    )
    assert fs.evaluate("vip", {"userId": "4"}) == Evaluation(False, "no_strategy_matched")
    assert fs.is_enabled("nope", default=True) is True
    assert fs.is_enabled("off", default=True) is False


def test_group_id_defaults_to_the_flag_name() -> None:
    fs = flags(flag("checkout", rollout(50, stickiness="userId")))
    for i in range(200):
        uid = f"u{i}"
        assert fs.is_enabled("checkout", {"userId": uid}) is (
            normalized_hash(uid, "checkout") <= 50
        )


def test_explicit_group_id_and_custom_stickiness() -> None:
    fs = flags(flag("f", rollout(30, stickiness="tenant", groupId="g1")))
    for i in range(200):
        tenant = f"t{i}"
        expected = normalized_hash(tenant, "g1") <= 30
        assert fs.is_enabled("f", {"properties": {"tenant": tenant}}) is expected
        assert fs.is_enabled("f", {"tenant": tenant}) is expected
    assert fs.is_enabled("f", {"userId": "1"}) is False  # no tenant: no bucket


def test_default_stickiness_is_user_then_session() -> None:
    fs = flags(flag("f", rollout(50)))
    ids = [f"id{i}" for i in range(100)]
    for i in ids:
        assert fs.is_enabled("f", {"userId": i, "sessionId": "x"}) is (
            normalized_hash(i, "f") <= 50
        )
        assert fs.is_enabled("f", {"sessionId": i}) is (normalized_hash(i, "f") <= 50)


@pytest.mark.parametrize(("pct", "expected"), [(0, False), (100, True)])
def test_random_rollouts_at_the_extremes(pct: int, expected: bool) -> None:
    fs = flags(
        flag("random", rollout(pct, stickiness="random")),
        flag("legacy", {"name": "gradualRolloutRandom", "parameters": {"percentage": str(pct)}}),
        flag("no-id", rollout(pct)),
    )
    for _ in range(50):
        assert fs.is_enabled("random") is expected
        assert fs.is_enabled("legacy") is expected
        assert fs.is_enabled("no-id") is expected


def test_random_rollout_in_between_is_roughly_the_percentage() -> None:
    fs = flags(flag("random", rollout(30, stickiness="random")))
    share = sum(fs.is_enabled("random") for _ in range(20_000)) / 20_000
    assert 0.27 < share < 0.33


def test_legacy_gradual_rollouts_hash_their_own_field() -> None:
    fs = flags(
        flag(
            "u",
            {"name": "gradualRolloutUserId", "parameters": {"percentage": "40", "groupId": "G"}},
        ),
        flag(
            "s",
            {"name": "gradualRolloutSessionId", "parameters": {"percentage": "40", "groupId": "G"}},
        ),
    )
    for i in range(100):
        v = str(i)
        assert fs.is_enabled("u", {"userId": v}) is (normalized_hash(v, "G") <= 40)
        assert fs.is_enabled("s", {"sessionId": v}) is (normalized_hash(v, "G") <= 40)
        assert fs.is_enabled("u", {"sessionId": v}) is False


def test_constraints_guard_the_strategy_and_any_strategy_suffices() -> None:
    fs = flags(
        flag(
            "f",
            {
                "name": "default",
                "constraints": [{"contextName": "environment", "operator": "IN", "values": ["a"]}],
            },
            {"name": "userWithId", "parameters": {"userIds": "9"}},
        )
    )
    assert fs.evaluate("f", {"environment": "a"}).strategy == "default"
    assert fs.evaluate("f", {"environment": "b", "userId": "9"}).strategy_index == 1
    assert not fs.is_enabled("f", {"environment": "b"})
