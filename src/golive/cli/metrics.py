"""``golive metrics export``: the registry's metrics in node_exporter's textfile format."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from prometheus_client import generate_latest

from golive.cli._errors import reported_errors
from golive.observe.metrics import export_textfile, metrics_registry
from golive.registry import open_registry, resolve_registry_url

metrics_app = typer.Typer(
    name="metrics",
    help="golive's Prometheus metrics, read from the registry.",
    no_args_is_help=True,
)


@metrics_app.command("export")
def export(
    spec: Path = typer.Argument(
        Path("golive.yaml"),
        help="A spec whose directory holds the default registry (.golive/registry.db). "
        "Only its location is used; it is not read and need not exist.",
    ),
    textfile: Path | None = typer.Option(
        None,
        "--textfile",
        help="Write to this *.prom file atomically (for node_exporter's textfile collector); "
        "default: print the metrics on stdout.",
    ),
    spec_name: str | None = typer.Option(
        None, "--spec-name", help="Only the scorecard metrics of the spec with this name."
    ),
    registry: str | None = typer.Option(
        None,
        "--registry",
        help="Registry URL. Default: $GOLIVE_REGISTRY, else "
        "sqlite:///<spec dir>/.golive/registry.db.",
    ),
    as_json: bool = typer.Option(
        False, "--json", help="With --textfile, print {textfile, series} as JSON."
    ),
) -> None:
    """Write golive_ready, golive_score, golive_check_status, ... for cron, CI or node_exporter.

    Example: golive metrics export examples/battle-tested/golive.yaml --textfile golive.prom
    """
    with reported_errors(), open_registry(resolve_registry_url(registry, spec.parent)) as opened:
        if textfile is None:
            sys.stdout.write(generate_latest(metrics_registry(opened, spec=spec_name)).decode())
            return
        series = export_textfile(opened, textfile, spec=spec_name)
    if as_json:
        typer.echo(json.dumps({"textfile": str(textfile), "series": series}))
    else:
        typer.echo(f"Wrote {series} series to {textfile}.")


def register(app: typer.Typer) -> None:
    """Add ``golive metrics``."""
    app.add_typer(metrics_app)
