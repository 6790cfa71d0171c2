"""``golive schema`` prints the JSON Schema, and only that, on stdout."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from golive.cli.app import app
from golive.spec.schema import spec_json_schema


def test_schema_prints_the_json_schema() -> None:
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0
    assert result.stderr == ""
    assert json.loads(result.stdout) == spec_json_schema()
    assert result.stdout.startswith(
        '{\n  "$schema": "https://json-schema.org/draft/2020-12/schema"'
    )


def test_schema_help_shows_an_example() -> None:
    result = CliRunner().invoke(app, ["schema", "--help"])
    assert result.exit_code == 0
    assert "Example: golive schema > golive.schema.json" in result.stdout
