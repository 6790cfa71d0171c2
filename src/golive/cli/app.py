"""The ``golive`` command: registers each command group's module.

``golive check`` should not pay for importing the HTTP client, the API, the flag
store and every other command's libraries: :func:`main` registers only the module
that owns the command being run (the whole app for ``--help``, no command or an
unknown one). ``from golive.cli.app import app`` gives the whole app.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

import typer

from golive import __version__
from golive.cli._errors import reported_errors
from golive.observe.logging import logged_command, start_logging

# Each top-level command (or group) name, and the module under golive.cli that
# registers it, in the order `golive --help` lists them.
COMMANDS: dict[str, str] = {
    "check": "check",
    "schema": "schema",
    "init": "init",
    "history": "history",
    "audit": "audit",
    "flags": "flags",
    "alerts": "alerts",
    "metrics": "metrics",
    "watch": "watch",
    "release": "release",
    "approve": "approve",
    "waive": "waive",
    "gate": "gate",
    "rehearse": "rehearse",
    "rehearsal": "rehearse",
    "incident": "incident",
    "item": "item",
    "rollout": "rollout",
    "bundle": "bundle",
    "signoff": "signoff",
    "claims": "claims",
    "token": "token",
    "serve": "serve",
}
# Root options that take a value, so the word after them is not a command name.
_VALUED_OPTIONS = ("--log-format",)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"golive {__version__}")
        raise typer.Exit(0)


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


def build_app(command: str | None = None) -> typer.Typer:
    """The CLI with every command, or with only the module that owns ``command``."""
    cli = typer.Typer(
        name="golive",
        help="Decide from evidence whether a release may go live.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    cli.callback()(root)
    owner = COMMANDS.get(command or "")
    modules = [owner] if owner else list(dict.fromkeys(COMMANDS.values()))
    for name in modules:
        importlib.import_module(f"golive.cli.{name}").register(cli)
    return cli


def command_name(argv: Sequence[str]) -> str | None:
    """The command word of a ``golive`` command line (None when there is none)."""
    skip = False
    for word in argv:
        if skip:
            skip = False
        elif word in _VALUED_OPTIONS:
            skip = True
        elif not word.startswith("-"):
            return word
    return None


def __getattr__(name: str) -> typer.Typer:
    """``app``, the whole CLI, built on first use (tests and docs import it)."""
    if name == "app":
        whole = build_app()
        globals()["app"] = whole
        return whole
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Console entry point (also ``python -m golive``)."""
    with logged_command(None):
        build_app(command_name(sys.argv[1:]))(prog_name="golive")
