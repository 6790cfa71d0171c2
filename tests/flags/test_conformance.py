"""Every case of the Unleash client specification, through golive's loader and evaluator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from golive.flags import FlagSet, parse_flags

SPEC_DIR = Path(__file__).parent.parent / "data" / "unleash"
RANDOM_STRATEGIES = {"gradualRolloutRandom"}


def _cases(key: str) -> list[Any]:
    cases = []
    for path in sorted(SPEC_DIR.glob("[0-9][0-9]-*.json")):
        suite = json.loads(path.read_text())
        for i, case in enumerate(suite.get(key, [])):
            cases.append(
                pytest.param(suite["state"], case, id=f"{path.stem}[{i}] {case['description']}")
            )
    return cases


def _uses_randomness(state: dict[str, Any], case: dict[str, Any]) -> str | None:
    """Why ``case`` is not deterministic (a random bucket at neither 0% nor 100%), else None."""
    ctx = case["context"]
    for feature in state["features"]:
        if feature["name"] != case["toggleName"] or not feature["enabled"]:
            continue
        for strategy in feature["strategies"]:
            params = strategy.get("parameters") or {}
            if strategy["name"] in RANDOM_STRATEGIES:
                pct = params["percentage"]
            elif strategy["name"] == "flexibleRollout":
                stickiness = params.get("stickiness", "default")
                no_id = "userId" not in ctx and "sessionId" not in ctx
                if not (stickiness == "random" or (stickiness == "default" and no_id)):
                    continue
                pct = params["rollout"]
            else:
                continue
            if pct not in ("0", "100"):
                return f"random bucket at {pct}%: only 0% and 100% are deterministic"
    return None


@pytest.mark.parametrize(("state", "case"), _cases("tests"))
def test_is_enabled_matches_the_specification(state: dict[str, Any], case: dict[str, Any]) -> None:
    reason = _uses_randomness(state, case)
    if reason is not None:
        pytest.skip(reason)
    flags = FlagSet(parse_flags(state, source="spec"))
    assert flags.is_enabled(case["toggleName"], case["context"]) is case["expectedResult"]


@pytest.mark.parametrize(("state", "case"), _cases("variantTests"))
def test_variant_matches_the_specification(state: dict[str, Any], case: dict[str, Any]) -> None:
    flags = FlagSet(parse_flags(state, source="spec"))
    variant, _split = flags.by_name[case["toggleName"]].variant(case["context"])
    expected = case["expectedResult"]
    assert variant is not None
    assert variant.name == expected["name"]
    assert variant.payload is not None
    assert variant.payload.to_dict() == expected["payload"]


def test_the_suite_is_all_there() -> None:
    files = sorted(p.name for p in SPEC_DIR.glob("[0-9][0-9]-*.json"))
    assert len(files) == 11
    assert "Apache License" in (SPEC_DIR / "LICENSE").read_text()
    assert len(_cases("tests")) == 135


def test_only_random_cases_between_0_and_100_percent_are_skipped() -> None:
    def state(name: str, params: dict[str, str]) -> dict[str, Any]:
        strategy = {"name": name, "parameters": params}
        return {"features": [{"name": "f", "enabled": True, "strategies": [strategy]}]}

    case = {"toggleName": "f", "context": {}}
    assert _uses_randomness(state("gradualRolloutRandom", {"percentage": "50"}), case) == (
        "random bucket at 50%: only 0% and 100% are deterministic"
    )
    assert _uses_randomness(state("gradualRolloutRandom", {"percentage": "100"}), case) is None
    assert _uses_randomness(state("flexibleRollout", {"rollout": "30"}), case) is not None
    with_id = {"toggleName": "f", "context": {"userId": "1"}}
    assert _uses_randomness(state("flexibleRollout", {"rollout": "30"}), with_id) is None
