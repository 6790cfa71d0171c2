"""The ``golive`` command: registers each command group's module."""

from __future__ import annotations

import typer

from golive import __version__
from golive.cli import (
    alerts,
    approve,
    audit,
    bundle,
    check,
    claims,
    flags,
    gate,
    history,
    incident,
    init,
    item,
    metrics,
    rehearse,
    release,
    rollout,
    schema,
    serve,
    signoff,
    token,
    waive,
    watch,
)
from golive.cli._errors import reported_errors
from golive.observe.logging import logged_command, start_logging

app = typer.Typer(
    name="golive",
    help="Decide from evidence whether a release may go live.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"golive {__version__}")
        raise typer.Exit(0)


@app.callback()
def root(
    ctx: typer.Context,
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version."
    ),
    log_format: str | None = typer.Option(
        None,
        "--log-format",
        envvar="GOLIVE_LOG_FORMAT",
        help="Log each event (info and up) on stderr as a 'json' line or as 'text'; "
        "default: no logs. Never on stdout.",
    ),
) -> None:
    """Decide from evidence whether a release may go live."""
    with reported_errors():
        start_logging(log_format, ctx.invoked_subcommand)


for _module in (
    check,
    schema,
    init,
    history,
    audit,
    flags,
    alerts,
    metrics,
    watch,
    release,
    approve,
    waive,
    gate,
    rehearse,
    incident,
    item,
    rollout,
    bundle,
    signoff,
    claims,
    token,
    serve,
):
    _module.register(app)


def main() -> None:
    """Console entry point (also ``python -m golive``)."""
    with logged_command(None):
        app(prog_name="golive")
