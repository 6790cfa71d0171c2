"""``golive schema``: print the JSON Schema of golive.yaml."""

from __future__ import annotations

import json

import typer

from golive.cli._errors import reported_errors
from golive.spec.schema import spec_json_schema


def schema() -> None:
    """Print the JSON Schema of golive.yaml, for editors to validate and autocomplete it.

    Example: golive schema > golive.schema.json
    """
    with reported_errors():
        typer.echo(json.dumps(spec_json_schema(), indent=2))


def register(app: typer.Typer) -> None:
    """Add ``golive schema`` to ``app``."""
    app.command("schema")(schema)
