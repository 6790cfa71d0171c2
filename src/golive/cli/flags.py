"""``golive flags``: the registry's flag store (create, set, show, list, history, export,
import) and ``eval``, which checks one flag for one context by hand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from golive.cli._errors import reported_errors
from golive.cli.flag_store import store_commands
from golive.errors import NotFoundError, UsageError
from golive.flags.context import STANDARD_FIELDS
from golive.flags.engine import FlagSet
from golive.flags.formats import read_flags_file

flags_app = typer.Typer(
    help="Feature flags: Unleash-compatible strategies, evaluated locally.",
    no_args_is_help=True,
)


def parse_context(pairs: list[str]) -> dict[str, Any]:
    """``key=value`` pairs as a context: Unleash's standard fields on top, others in properties."""
    ctx: dict[str, Any] = {}
    props: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise UsageError(f"--context expects key=value (e.g. userId=42), got {pair!r}")
        key = key.removeprefix("properties.")
        if key in STANDARD_FIELDS:
            ctx[key] = value
        else:
            props[key] = value
    if props:
        ctx["properties"] = props
    return ctx


@flags_app.command("eval")
def eval_command(
    name: str = typer.Argument(..., help="The flag to evaluate."),
    context: list[str] = typer.Option(
        [],
        "--context",
        "-c",
        help="A context value as key=value; repeat it. userId, sessionId, remoteAddress, "
        "environment, appName and currentTime are Unleash's standard fields; any other key "
        "is a custom property.",
    ),
    file: Path | None = typer.Option(
        None,
        "--file",
        "-f",
        help="A flags file: golive's export (golive.flags/v1) or an Unleash features export. "
        "Default: the flags in the registry.",
    ),
    registry: str | None = typer.Option(
        None,
        "--registry",
        envvar="GOLIVE_REGISTRY",
        help="Registry URL when no --file is given (default: sqlite:///./.golive/registry.db).",
    ),
    as_json: bool = typer.Option(
        False, "--json", help='Print {"flag", "enabled", "reason", "strategy"} as JSON.'
    ),
) -> None:
    """Print whether flag NAME is on (true or false) for a context; exit 0 either way.

    Example: golive flags eval checkout-v2 --file flags.json -c userId=42 -c environment=prod
    """
    with reported_errors():
        ctx = parse_context(context)
        if file is not None:
            flags, where = FlagSet(read_flags_file(file)), str(file)
        else:
            flags, where = _registry_flags(registry)
        if name not in flags:
            known = ", ".join(sorted(f.name for f in flags.flags)) or "no flags"
            raise NotFoundError(f"flag {name!r} is not in {where}; it has: {known}")
        evaluation = flags.evaluate(name, ctx)
        if as_json:
            out = {
                "flag": name,
                "enabled": evaluation.enabled,
                "reason": evaluation.reason,
                "strategy": evaluation.strategy,
            }
            typer.echo(json.dumps(out))
        else:
            typer.echo("true" if evaluation.enabled else "false")


def _registry_flags(registry: str | None) -> tuple[FlagSet, str]:
    from golive.registry import list_flags, open_registry, resolve_registry_url

    with open_registry(resolve_registry_url(registry, Path("."))) as store:
        return FlagSet(s.flag for s in list_flags(store)), f"registry {store.url}"


store_commands(flags_app)


def register(app: typer.Typer) -> None:
    """Add the ``flags`` command group to ``app``."""
    app.add_typer(flags_app, name="flags")
