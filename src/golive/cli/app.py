"""The ``golive`` command: registers each command group's module."""

from __future__ import annotations

import typer

from golive import __version__
from golive.cli import audit, check, flags, history, init, schema, serve, token

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
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version."
    ),
) -> None:
    """Decide from evidence whether a release may go live."""


for _module in (check, schema, init, history, audit, flags, token, serve):
    _module.register(app)


def main() -> None:
    """Console entry point."""
    app()
