"""``golive item list|export|promote|block|unblock``: the register of use cases."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from golive.actor import current_actor
from golive.cli._errors import reported_errors
from golive.cli._governance import (
    governed,
    json_option,
    key_option,
    print_json,
    registry_option,
    signing_key,
    spec_option,
)
from golive.errors import UsageError
from golive.governance.items import block, item_register, item_status, promote, unblock
from golive.registry.instants import rfc3339

item_app = typer.Typer(
    name="item",
    help="The register of use cases; each status is computed from evidence, never typed.",
    no_args_is_help=True,
)
STYLE = {
    "NOT_STARTED": "dim",
    "IN_PROGRESS": "yellow",
    "READY_FOR_GO_LIVE": "bold green",
    "BLOCKED": "bold red",
}
ITEM = typer.Argument(..., help="The item id, such as UC-003.")


@item_app.command("list")
def list_command(
    spec: Path = spec_option(),
    registry: str | None = registry_option(),
    as_json: bool = json_option("the register"),
) -> None:
    """The register: id, title, owner, status, evidence done/required, last updated.

    Example: golive item list --spec examples/uc-tracker/golive.yaml
    """
    with reported_errors(), governed(spec, registry) as (loaded, opened):
        rows = item_register(opened, loaded)
    if as_json:
        print_json([row.as_json() for row in rows])
        return
    table = Table(title="Register")
    for column in ("item", "title", "owner", "status", "evidence", "last updated", "note"):
        table.add_column(column, no_wrap=column in ("item", "status", "evidence"))
    for row in rows:
        table.add_row(
            row.id,
            row.title,
            row.owner,
            Text(row.status, style=STYLE[row.status]),
            f"{row.done}/{row.required}",
            "-" if row.last_updated is None else rfc3339(row.last_updated),
            row.note,
        )
    Console().print(table)


@item_app.command("export")
def export_command(
    output_format: str = typer.Option(
        ..., "--format", help="'markdown': the tracker table; 'json': as `item list --json`."
    ),
    output: Path | None = typer.Option(
        None, "-o", "--output", help="Write to this file instead of stdout."
    ),
    spec: Path = spec_option(),
    registry: str | None = registry_option(),
) -> None:
    """Write the register from the registry, so trackers are generated, never hand-edited.

    `golive claims check --spec` checks each READY_FOR_GO_LIVE row of a tracker table
    against the item's computed status.

    Example: golive item export --format markdown -o TRACKER.md --spec golive.yaml
    """
    from golive.proof.tracker import register_markdown

    with reported_errors():
        if output_format not in ("markdown", "json"):
            raise UsageError(f"--format {output_format!r}: use markdown or json")
        with governed(spec, registry) as (loaded, opened):
            rows = item_register(opened, loaded)
        if output_format == "markdown":
            text = register_markdown(rows, spec=loaded.name)
        else:
            text = json.dumps([r.as_json() for r in rows], indent=2, ensure_ascii=False) + "\n"
        if output is None:
            typer.echo(text, nl=False)
            return
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"-o {output}: cannot write: {exc.strerror or exc}") from None
    typer.echo(f"Wrote {output}: {len(rows)} items")


@item_app.command("promote")
def promote_command(
    item: str = ITEM,
    key: Path = key_option("the promotion"),
    spec: Path = spec_option(),
    registry: str | None = registry_option(),
    as_json: bool = json_option("the signed promotion"),
) -> None:
    """Sign the item's promotion to READY_FOR_GO_LIVE as a reviewer other than its owner.

    Refused while any check the item requires does not pass in the latest scorecard.

    Example: golive item promote UC-003 --key ~/.ssh/id_ed25519
    """
    with reported_errors():
        signer = signing_key(key)
        with governed(spec, registry) as (loaded, opened):
            document = promote(opened, loaded, item, signer, actor=current_actor())
            status = item_status(opened, loaded, item).status
    if as_json:
        print_json(document)
        return
    typer.echo(f"{item} promoted by {document['reviewer']}: {status}")


@item_app.command("block")
def block_command(
    item: str = ITEM,
    reason: str = typer.Option(..., "--reason", help="What blocks the item."),
    spec: Path = spec_option(),
    registry: str | None = registry_option(),
) -> None:
    """Mark the item BLOCKED until `golive item unblock`.

    Example: golive item block UC-003 --reason "waiting for the legal review"
    """
    with reported_errors(), governed(spec, registry) as (loaded, opened):
        block(opened, loaded, item, reason, actor=current_actor())
    typer.echo(f"{item} BLOCKED: {reason}")


@item_app.command("unblock")
def unblock_command(
    item: str = ITEM,
    spec: Path = spec_option(),
    registry: str | None = registry_option(),
) -> None:
    """Lift the item's block; its status is computed from evidence again.

    Example: golive item unblock UC-003
    """
    with reported_errors(), governed(spec, registry) as (loaded, opened):
        unblock(opened, loaded, item, actor=current_actor())
        status = item_status(opened, loaded, item).status
    typer.echo(f"{item} unblocked: {status}")


def register(app: typer.Typer) -> None:
    """Add ``golive item ...``."""
    app.add_typer(item_app)
