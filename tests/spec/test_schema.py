"""The JSON Schema of golive.yaml agrees with the loader on good and bad specs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from golive.spec.schema import SCHEMA_ID, spec_json_schema
from golive.spec.starter import STARTER_SPEC

SPEC_DATA = Path(__file__).parent.parent / "data" / "spec"


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = spec_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_schema_names_its_draft_and_id() -> None:
    schema = spec_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == SCHEMA_ID == "https://golive.dev/schema/golive.yaml/v1.json"
    assert schema["title"] == "golive.yaml (version 1)"
    assert schema["required"] == ["version", "name"]
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize(
    "text",
    [STARTER_SPEC, (SPEC_DATA / "good.yaml").read_text(), "version: 1\nname: minimal\n"],
    ids=["starter", "good", "minimal"],
)
def test_valid_specs_validate(validator: Any, text: str) -> None:
    validator.validate(yaml.safe_load(text))


@pytest.mark.parametrize(
    ("name", "edit", "path"),
    [
        ("unknown key", lambda s: s["checks"][0].update(colour="blue"), ["checks", 0]),
        ("unknown top key", lambda s: s.update(sorces={}), []),
        (
            "unknown measure",
            lambda s: s["checks"][0].update(measure="p959"),
            ["checks", 0, "measure"],
        ),
        (
            "bad source type",
            lambda s: s["sources"]["router"].update(type="csvx"),
            ["sources", "router"],
        ),
        ("bad duration", lambda s: s["defaults"].update(window="7days"), ["defaults", "window"]),
        (
            "bad expectation",
            lambda s: s["checks"][0].update(expect="lots"),
            ["checks", 0, "expect"],
        ),
        ("version 2", lambda s: s.update(version=2), ["version"]),
        ("negative weight", lambda s: s["checks"][0].update(weight=-1), ["checks", 0, "weight"]),
        ("missing expect", lambda s: s["checks"][0].pop("expect"), ["checks", 0]),
    ],
)
def test_invalid_specs_fail(validator: Any, name: str, edit: Any, path: list[Any]) -> None:
    spec = yaml.safe_load((SPEC_DATA / "good.yaml").read_text())
    edit(spec)
    errors = list(validator.iter_errors(spec))
    assert errors, name
    assert any(list(e.absolute_path)[: len(path)] == path for e in errors), errors
