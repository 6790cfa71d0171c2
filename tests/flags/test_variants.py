"""Variant selection: overrides, sticky weighted choice, strategy variants first."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from golive.errors import FlagsError
from golive.flags import FlagSet, Payload, Variant, normalized_hash, parse_flags
from golive.flags.hashing import VARIANT_SEED
from golive.flags.model import SCHEMA
from golive.flags.variants import select_variant


def v(name: str, weight: int, **extra: Any) -> dict[str, Any]:
    return {"name": name, "weight": weight, "payload": {"type": "string", "value": name}, **extra}


def load(flag: dict[str, Any]) -> FlagSet:
    return FlagSet(parse_flags({"schema": SCHEMA, "flags": [flag]}))


def test_weighted_choice_follows_unleash_hash() -> None:
    variants = (Variant("a", 300), Variant("b", 700))
    for i in range(200):
        uid = f"u{i}"
        target = normalized_hash(uid, "g", 1000, VARIANT_SEED)
        chosen, split = select_variant(variants, "g", {"userId": uid})
        assert chosen is not None
        assert chosen.name == ("a" if target <= 300 else "b")
        assert split is True


def test_shares_follow_the_weights() -> None:
    variants = (Variant("a", 250), Variant("b", 750))
    counts = Counter(
        chosen.name
        for i in range(20_000)
        if (chosen := select_variant(variants, "g", {"userId": str(i)})[0]) is not None
    )
    assert 0.23 < counts["a"] / 20_000 < 0.27


def test_overrides_win_and_are_not_splits() -> None:
    variants = (
        Variant("a", 500),
        Variant("b", 500, overrides=(parse_override("userId", ["vip"]),)),
    )
    chosen, split = select_variant(variants, "g", {"userId": "vip"})
    assert (chosen and chosen.name, split) == ("b", False)


def parse_override(field: str, values: list[str]) -> Any:
    (flag,) = parse_flags(
        {
            "schema": SCHEMA,
            "flags": [
                {
                    "name": "x",
                    "enabled": True,
                    "variants": [v("o", 1, overrides=[{"contextName": field, "values": values}])],
                }
            ],
        }
    )
    return flag.variants[0].overrides[0]


def test_zero_weights_and_no_variants_choose_nothing() -> None:
    assert select_variant((), "g", {}) == (None, False)
    assert select_variant((Variant("a", 0),), "g", {"userId": "1"}) == (None, False)


def test_strategy_variants_come_first_with_their_group_id() -> None:
    fs = load(
        {
            "name": "f",
            "enabled": True,
            "strategies": [
                {
                    "name": "userWithId",
                    "parameters": {"userIds": "1", "groupId": "grp"},
                    "variants": [v("s1", 1), v("s2", 1)],
                },
                {"name": "default"},
            ],
            "variants": [v("flag-level", 1)],
        }
    )
    compiled = fs.by_name["f"]
    chosen, _ = compiled.variant({"userId": "1"})
    expected = "s1" if normalized_hash("1", "grp", 2, VARIANT_SEED) <= 1 else "s2"
    assert chosen is not None
    assert chosen.name == expected
    other, _ = compiled.variant({"userId": "2"})
    assert other is not None
    assert other.name == "flag-level"
    disabled = load({"name": "g", "enabled": False, "variants": [v("x", 1)]})
    assert disabled.by_name["g"].variant({}) == (None, False)


def test_json_payloads_may_be_written_as_json() -> None:
    fs = load(
        {
            "name": "f",
            "enabled": True,
            "variants": [
                {"name": "c", "weight": 1, "payload": {"type": "json", "value": {"a": 1}}}
            ],
        }
    )
    assert fs.flags[0].variants[0].payload == Payload("json", '{"a":1}')


@pytest.mark.parametrize(
    ("variant", "message"),
    [
        ({"name": "a", "weight": -1}, "weight must be a whole number >= 0"),
        ({"name": "a", "weight": 1, "payload": {"value": "x"}}, "payload must be {type, value}"),
        ({"name": "a", "weight": 1, "overrides": [{"values": ["x"]}]}, "override #0 must be"),
    ],
)
def test_malformed_variants_are_reported(variant: dict[str, Any], message: str) -> None:
    with pytest.raises(FlagsError, match=f"flag 'f' variant #0.*{message[:12]}"):
        load({"name": "f", "enabled": True, "variants": [variant]})


def test_percentages_must_be_ascii_whole_numbers() -> None:
    strategy = {"name": "flexibleRollout", "parameters": {"rollout": "١٠"}}
    with pytest.raises(FlagsError, match="whole percentage 0-100"):
        load({"name": "f", "enabled": True, "strategies": [strategy]})
