"""The JSON Schema of golive.yaml, generated from the pydantic models."""

from __future__ import annotations

from typing import Any

from golive.spec.models import Spec

SCHEMA_ID = "https://golive.dev/schema/golive.yaml/v1.json"
DRAFT = "https://json-schema.org/draft/2020-12/schema"


def spec_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that editors use to validate and complete golive.yaml."""
    schema = Spec.model_json_schema()
    return {
        "$schema": DRAFT,
        "$id": SCHEMA_ID,
        **schema,
        "title": "golive.yaml (version 1)",
    }
