"""``golive token create|revoke|list``: the API tokens of a registry."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from golive.actor import current_actor
from golive.cli._errors import reported_errors
from golive.registry import open_registry, resolve_registry_url
from golive.registry.instants import rfc3339
from golive.registry.tokens import TokenInfo, create_token, list_tokens, parse_role, revoke_token

token_app = typer.Typer(
    name="token",
    help="Manage the API tokens of `golive serve`: only their SHA-256 is stored.",
    no_args_is_help=True,
)

_REGISTRY_HELP = (
    "Registry URL. Default: $GOLIVE_REGISTRY, else sqlite:///./.golive/registry.db in the "
    "current directory."
)


@token_app.command("create")
def create(
    name: str = typer.Argument(..., help="A name for the token, e.g. ci-upload."),
    role: str = typer.Option(
        ...,
        "--role",
        help="viewer (reads), engineer (also uploads scorecards), approver (also approvals "
        "and waivers) or admin (also tokens and flags).",
    ),
    registry: str | None = typer.Option(None, "--registry", help=_REGISTRY_HELP),
    json_output: bool = typer.Option(False, "--json", help="Print {name, role, token} as JSON."),
) -> None:
    """Create a token and print it once: store it now, golive keeps only its hash.

    Example: golive token create ci-upload --role engineer
    """
    with reported_errors():
        chosen = parse_role(role)
        with open_registry(resolve_registry_url(registry, Path.cwd())) as opened:
            created = create_token(opened, name, chosen, actor=current_actor())
    if json_output:
        typer.echo(json.dumps({**_row(created.info), "token": created.token}, indent=2))
        return
    typer.echo(f"Created token {name!r} with role {chosen.value}. It is shown only now:")
    typer.echo(created.token)


@token_app.command("revoke")
def revoke(
    name: str = typer.Argument(..., help="The token's name (see `golive token list`)."),
    registry: str | None = typer.Option(None, "--registry", help=_REGISTRY_HELP),
    json_output: bool = typer.Option(False, "--json", help="Print the revoked token as JSON."),
) -> None:
    """Revoke a token: from now on it authenticates nothing (its name is not reused).

    Example: golive token revoke ci-upload
    """
    with reported_errors(), open_registry(resolve_registry_url(registry, Path.cwd())) as opened:
        info = revoke_token(opened, name, actor=current_actor())
    if json_output:
        typer.echo(json.dumps(_row(info), indent=2))
    else:
        typer.echo(f"Revoked token {name!r}.")


@token_app.command("list")
def listing(
    registry: str | None = typer.Option(None, "--registry", help=_REGISTRY_HELP),
    json_output: bool = typer.Option(
        False,
        "--json",
        help="Print a JSON list of {name, role, created_at, created_by, revoked_at, revoked_by}.",
    ),
) -> None:
    """List the tokens (never their secrets, which golive does not have).

    Example: golive token list --json
    """
    with reported_errors(), open_registry(resolve_registry_url(registry, Path.cwd())) as opened:
        infos = list_tokens(opened)
        shown_url = opened.url
    rows = [_row(info) for info in infos]
    if json_output:
        typer.echo(json.dumps(rows, indent=2))
    elif not rows:
        typer.echo(f"No tokens in {shown_url}.")
    else:
        Console().print(_table(rows, shown_url))


def _row(info: TokenInfo) -> dict[str, Any]:
    return {
        "name": info.name,
        "role": info.role.value,
        "created_at": rfc3339(info.created_at),
        "created_by": info.created_by,
        "revoked_at": None if info.revoked_at is None else rfc3339(info.revoked_at),
        "revoked_by": info.revoked_by,
    }


def _table(rows: list[dict[str, Any]], url: str) -> Table:
    table = Table(title=f"API tokens in {url}", title_justify="left")
    for column in ("name", "role", "created", "by", "revoked"):
        table.add_column(column, no_wrap=column in ("created", "revoked"))
    for row in rows:
        table.add_row(
            row["name"],
            row["role"],
            row["created_at"],
            row["created_by"],
            "[red]" + row["revoked_at"] + "[/]" if row["revoked_at"] else "-",
        )
    return table


def register(app: typer.Typer) -> None:
    """Add ``golive token ...`` to ``app``."""
    app.add_typer(token_app)
