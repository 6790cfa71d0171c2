"""GoliveProvider through the OpenFeature SDK's own client API."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from openfeature import api
from openfeature.client import OpenFeatureClient
from openfeature.evaluation_context import EvaluationContext
from openfeature.exception import ErrorCode
from openfeature.flag_evaluation import Reason

from golive.flags import FlagClient, normalized_hash, parse_flags
from golive.flags.model import SCHEMA
from golive.flags.openfeature import GoliveProvider


def variant(name: str, weight: int, ptype: str, value: str) -> dict[str, Any]:
    return {"name": name, "weight": weight, "payload": {"type": ptype, "value": value}}


FLAGS = {
    "schema": SCHEMA,
    "flags": [
        {"name": "on", "enabled": True, "strategies": []},
        {"name": "off", "enabled": False, "strategies": [{"name": "default"}]},
        {
            "name": "vip",
            "enabled": True,
            "strategies": [{"name": "userWithId", "parameters": {"userIds": "alice"}}],
        },
        {
            "name": "half",
            "enabled": True,
            "strategies": [{"name": "flexibleRollout", "parameters": {"rollout": "50"}}],
        },
        {
            "name": "color",
            "enabled": True,
            "strategies": [{"name": "default"}],
            "variants": [
                variant("blue", 500, "string", "blue"),
                variant("red", 500, "string", "red"),
            ],
        },
        {
            "name": "limits",
            "enabled": True,
            "strategies": [{"name": "default"}],
            "variants": [variant("v", 1000, "number", "42")],
        },
        {
            "name": "ratio",
            "enabled": True,
            "strategies": [{"name": "default"}],
            "variants": [variant("v", 1000, "number", "0.25")],
        },
        {
            "name": "config",
            "enabled": True,
            "strategies": [{"name": "default"}],
            "variants": [variant("v", 1000, "json", '{"retries": 3}')],
        },
        {
            "name": "broken-json",
            "enabled": True,
            "strategies": [{"name": "default"}],
            "variants": [variant("v", 1000, "json", "{nope")],
        },
    ],
}


@pytest.fixture
def client() -> Iterator[OpenFeatureClient]:
    api.set_provider(GoliveProvider(FlagClient(parse_flags(FLAGS))))
    yield api.get_client()
    api.shutdown()


def test_provider_metadata(client: OpenFeatureClient) -> None:
    assert client.get_boolean_value("on", False) is True
    assert api.get_provider_metadata().name == "golive"


def test_boolean_reasons(client: OpenFeatureClient) -> None:
    alice = EvaluationContext(targeting_key="alice")
    on = client.get_boolean_details("on", False)
    assert (on.value, on.reason) == (True, Reason.STATIC)
    off = client.get_boolean_details("off", True)
    assert (off.value, off.reason) == (False, Reason.DISABLED)
    vip = client.get_boolean_details("vip", False, alice)
    assert (vip.value, vip.reason) == (True, Reason.TARGETING_MATCH)
    nobody = client.get_boolean_details("vip", True, EvaluationContext(targeting_key="bob"))
    assert (nobody.value, nobody.reason) == (False, Reason.DEFAULT)
    missing = client.get_boolean_details("missing", True)
    assert (missing.value, missing.reason, missing.error_code) == (
        True,
        Reason.ERROR,
        ErrorCode.FLAG_NOT_FOUND,
    )


def test_rollouts_are_splits_on_the_targeting_key(client: OpenFeatureClient) -> None:
    for i in range(50):
        key = f"user-{i}"
        details = client.get_boolean_details("half", False, EvaluationContext(targeting_key=key))
        assert details.value is (normalized_hash(key, "half") <= 50)
        assert details.reason == (Reason.SPLIT if details.value else Reason.DEFAULT)


def test_values_come_from_variant_payloads(client: OpenFeatureClient) -> None:
    ctx = EvaluationContext(targeting_key="user-1", attributes={"environment": "prod"})
    color = client.get_string_details("color", "grey", ctx)
    assert color.value in ("blue", "red")
    assert color.variant == color.value
    assert color.reason == Reason.SPLIT
    assert client.get_integer_details("limits", 0).value == 42
    assert client.get_integer_details("limits", 0).reason == Reason.TARGETING_MATCH
    assert client.get_float_details("ratio", 1.0).value == 0.25
    assert client.get_object_details("config", {}).value == {"retries": 3}


def test_type_mismatches_and_parse_errors(client: OpenFeatureClient) -> None:
    wrong = client.get_integer_details("color", 7)
    assert (wrong.value, wrong.error_code, wrong.reason) == (
        7,
        ErrorCode.TYPE_MISMATCH,
        Reason.ERROR,
    )
    assert "has a 'string' payload" in (wrong.error_message or "")
    no_variants = client.get_string_details("on", "x")
    assert (no_variants.value, no_variants.error_code) == ("x", ErrorCode.TYPE_MISMATCH)
    broken = client.get_object_details("broken-json", {"d": 1})
    assert (broken.value, broken.error_code) == ({"d": 1}, ErrorCode.PARSE_ERROR)
    missing = client.get_string_details("missing", "dflt")
    assert (missing.value, missing.error_code) == ("dflt", ErrorCode.FLAG_NOT_FOUND)


def test_disabled_and_unmatched_non_boolean_flags_give_the_default(
    client: OpenFeatureClient,
) -> None:
    api.set_provider(
        GoliveProvider(
            FlagClient(
                parse_flags(
                    {
                        "schema": SCHEMA,
                        "flags": [
                            {
                                "name": "c",
                                "enabled": False,
                                "variants": [variant("v", 1, "string", "x")],
                            },
                            {
                                "name": "d",
                                "enabled": True,
                                "strategies": [
                                    {"name": "userWithId", "parameters": {"userIds": "a"}}
                                ],
                                "variants": [variant("v", 1, "string", "x")],
                            },
                        ],
                    }
                )
            )
        )
    )
    oc = api.get_client()
    disabled = oc.get_string_details("c", "dflt")
    assert (disabled.value, disabled.reason) == ("dflt", Reason.DISABLED)
    unmatched = oc.get_string_details("d", "dflt", EvaluationContext(targeting_key="b"))
    assert (unmatched.value, unmatched.reason) == ("dflt", Reason.DEFAULT)
    matched = oc.get_string_details("d", "dflt", EvaluationContext(targeting_key="a"))
    assert (matched.value, matched.reason, matched.variant) == ("x", Reason.TARGETING_MATCH, "v")
