"""``golive history``: list past scorecards from the registry."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from golive.cli._errors import reported_errors
from golive.registry import StoredScorecard, list_scorecards, open_registry, resolve_registry_url
from golive.registry.instants import rfc3339

# The table shows a prefix; `--json` and lookups take the full sha256 or any 8+ prefix.
SHA_SHOWN = 16


def history(
    spec: Path = typer.Argument(
        Path("golive.yaml"),
        help="A spec whose directory holds the default registry (.golive/registry.db). "
        "Only its location is used; it is not read and need not exist.",
        show_default=True,
    ),
    json_output: bool = typer.Option(
        False,
        "--json",
        help="Print a JSON list of {id, spec_name, spec_path, evaluated_at, ready, score, "
        "sha256} instead of a table.",
    ),
    limit: int = typer.Option(50, "--limit", min=1, help="Show at most N scorecards."),
    spec_name: str | None = typer.Option(
        None, "--spec-name", help="Only scorecards of the spec with this name."
    ),
    registry: str | None = typer.Option(
        None,
        "--registry",
        help="Registry URL. Default: $GOLIVE_REGISTRY, else "
        "sqlite:///<spec dir>/.golive/registry.db.",
    ),
) -> None:
    """List past scorecards, newest evaluation first: id, spec, time, ready, score, sha256.

    Example: golive history examples/battle-tested/golive.yaml --limit 5
    """
    with reported_errors():
        url = resolve_registry_url(registry, spec.parent)
        with open_registry(url) as opened:
            stored = list_scorecards(opened, spec_name=spec_name, limit=limit)
            shown_url = opened.url
    rows = [_row(s) for s in stored]
    if json_output:
        typer.echo(json.dumps(rows, indent=2))
    elif not rows:
        typer.echo(f"No scorecards recorded in {shown_url}.")
    else:
        Console().print(_table(rows, shown_url))


def _row(stored: StoredScorecard) -> dict[str, Any]:
    return {
        "id": stored.id,
        "spec_name": stored.spec_name,
        "spec_path": stored.spec_path,
        "evaluated_at": rfc3339(stored.evaluated_at),
        "ready": stored.ready,
        "score": stored.score,
        "sha256": stored.sha256,
    }


def _table(rows: list[dict[str, Any]], url: str) -> Table:
    table = Table(title=f"Scorecards in {url}", title_justify="left")
    table.add_column("id", justify="right")
    table.add_column("spec")
    table.add_column("evaluated at", no_wrap=True, min_width=20)
    table.add_column("ready")
    table.add_column("score", justify="right")
    table.add_column("sha256", no_wrap=True)
    for row in rows:
        table.add_row(
            str(row["id"]),
            row["spec_name"],
            row["evaluated_at"],
            "[green]yes[/]" if row["ready"] else "[red]no[/]",
            f"{row['score']:.2f}",
            row["sha256"][:SHA_SHOWN],
        )
    return table


def register(app: typer.Typer) -> None:
    """Add ``golive history`` to ``app``."""
    app.command("history")(history)
