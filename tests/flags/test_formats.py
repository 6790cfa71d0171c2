"""Loading golive exports and Unleash exports, and refusing what golive cannot honour."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from golive.errors import FlagsError, UsageError
from golive.flags import (
    SCHEMA,
    Constraint,
    Flag,
    Strategy,
    detect_format,
    export_document,
    parse_flags,
    read_flags_file,
)

DATA = Path(__file__).parent.parent / "data" / "unleash"


def rollout_flag(**overrides: Any) -> dict[str, Any]:
    flag: dict[str, Any] = {
        "name": "checkout-v2",
        "enabled": True,
        "description": "new checkout",
        "strategies": [
            {
                "name": "flexibleRollout",
                "parameters": {"rollout": "10", "stickiness": "userId"},
                "constraints": [
                    {"contextName": "environment", "operator": "IN", "values": ["prod"]}
                ],
            }
        ],
    }
    flag.update(overrides)
    return flag


def test_shapes_are_told_apart() -> None:
    assert detect_format({"schema": SCHEMA, "flags": []}) == "golive"
    assert detect_format({"version": 1, "features": []}) == "unleash"
    with pytest.raises(FlagsError, match=r"unsupported flags schema 'golive\.flags/v9'"):
        detect_format({"schema": "golive.flags/v9", "flags": []})
    with pytest.raises(FlagsError, match=r"not a flags document: expected \{\"schema\""):
        detect_format([1, 2])


def test_flags_error_is_a_usage_error_with_exit_2() -> None:
    assert issubclass(FlagsError, UsageError)
    assert FlagsError.exit_code == 2


def test_golive_export_round_trips() -> None:
    flags = parse_flags({"schema": SCHEMA, "flags": [rollout_flag()]})
    assert flags == (
        Flag(
            name="checkout-v2",
            enabled=True,
            description="new checkout",
            strategies=(
                Strategy(
                    name="flexibleRollout",
                    parameters={"rollout": "10", "stickiness": "userId"},
                    constraints=(Constraint("environment", "IN", ("prod",)),),
                ),
            ),
        ),
    )
    document = export_document(flags)
    assert document["schema"] == SCHEMA
    assert parse_flags(json.loads(json.dumps(document))) == flags


def test_numbers_in_parameters_are_read_as_unleash_strings() -> None:
    flag = rollout_flag(strategies=[{"name": "flexibleRollout", "parameters": {"rollout": 25}}])
    (parsed,) = parse_flags({"schema": SCHEMA, "flags": [flag]})
    assert parsed.strategies[0].parameters == {"rollout": "25"}


def test_unleash_export_with_unsupported_strategies_names_them_all() -> None:
    with pytest.raises(FlagsError) as info:
        read_flags_file(DATA / "export-unsupported-strategies.json")
    message = str(info.value)
    assert "unsupported strategies: 'office-only' uses 'remoteAddress', " in message
    assert "'blue-hosts' uses 'applicationHostname', 'beta' uses 'myCustomStrategy';" in message
    assert "golive supports default, userWithId, flexibleRollout" in message
    assert "'ok'" not in message


def test_every_problem_is_reported_at_once() -> None:
    doc = {
        "schema": SCHEMA,
        "flags": [
            rollout_flag(enabled="yes"),
            rollout_flag(name="b", strategies=[{"name": "flexibleRollout", "parameters": {}}]),
            rollout_flag(name="b"),
            rollout_flag(
                name="c",
                strategies=[{"name": "gradualRolloutUserId", "parameters": {"percentage": "150"}}],
            ),
        ],
    }
    with pytest.raises(FlagsError) as info:
        parse_flags(doc, source="flags.json")
    assert str(info.value).splitlines() == [
        "flags.json: flag 'checkout-v2': enabled must be true or false",
        "flags.json: flag 'b' strategy #0 (flexibleRollout): parameters.rollout must be a whole "
        "percentage 0-100, got None",
        "flags.json: flag 'c' strategy #0 (gradualRolloutUserId): parameters.percentage must be "
        "a whole percentage 0-100, got '150'",
        "flags.json: flag 'c' strategy #0 (gradualRolloutUserId): parameters.groupId is required",
        "flags.json: flag 'b' is defined twice",
    ]


def test_unleash_segments_add_their_constraints() -> None:
    doc = {
        "version": 2,
        "segments": [
            {
                "id": 7,
                "constraints": [{"contextName": "appName", "operator": "IN", "values": ["w"]}],
            }
        ],
        "features": [
            {"name": "f", "enabled": True, "strategies": [{"name": "default", "segments": [7]}]}
        ],
    }
    (flag,) = parse_flags(doc)
    assert flag.strategies[0].constraints == (Constraint("appName", "IN", ("w",)),)
    doc["features"][0]["strategies"][0]["segments"] = [8]
    with pytest.raises(FlagsError, match="flag 'f' strategy #0: unknown segment 8"):
        parse_flags(doc, source="x")


def test_dependent_features_are_refused() -> None:
    doc = {"version": 2, "features": [rollout_flag(dependencies=[{"feature": "parent"}])]}
    with pytest.raises(FlagsError, match="dependencies on other flags are not supported"):
        parse_flags(doc)


def test_file_errors_name_the_file_and_position(tmp_path: Path) -> None:
    with pytest.raises(FlagsError, match=r"missing\.json: no such flags file"):
        read_flags_file(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": "golive.flags/v1",\n "flags": [}')
    with pytest.raises(FlagsError, match=r"bad\.json:2:12: invalid JSON"):
        read_flags_file(bad)


def test_unknown_operator_loads_and_never_matches() -> None:
    # Unleash serves operators newer than a client knows; they evaluate to false, not an error.
    flag = rollout_flag(
        strategies=[
            {
                "name": "default",
                "constraints": [{"contextName": "x", "operator": "REGEX", "values": ["."]}],
            }
        ]
    )
    (parsed,) = parse_flags({"schema": SCHEMA, "flags": [flag]})
    assert parsed.strategies[0].constraints[0].operator == "REGEX"
