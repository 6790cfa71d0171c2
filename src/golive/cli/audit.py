"""``golive audit verify``: recompute the registry's hash-chained audit log."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import typer

from golive.cli._errors import reported_errors
from golive.registry import open_registry, resolve_registry_url, verify_audit

audit_app = typer.Typer(
    name="audit",
    help="Check the registry's append-only audit log, chained by hash.",
    no_args_is_help=True,
)


@audit_app.command("verify")
def verify(
    registry: str | None = typer.Option(
        None,
        "--registry",
        help="Registry URL. Default: $GOLIVE_REGISTRY, else "
        "sqlite:///./.golive/registry.db in the current directory.",
    ),
    json_output: bool = typer.Option(
        False,
        "--json",
        help="Print {ok, entries, first_broken_seq, reason, head_hash} as JSON.",
    ),
) -> None:
    """Recompute the audit chain: exit 0 when intact, 1 naming the first broken entry.

    Example: golive audit verify --registry sqlite:///.golive/registry.db
    """
    with reported_errors():
        url = resolve_registry_url(registry, Path.cwd())
        with open_registry(url) as opened:
            report = verify_audit(opened)
            shown_url = opened.url
    if json_output:
        typer.echo(json.dumps(asdict(report), indent=2))
    elif report.ok:
        typer.echo(f"audit chain intact: {_entries(report.entries)} in {shown_url}")
        if report.head_hash:
            typer.echo(f"head: {report.head_hash}")
    else:
        where = report.first_broken_seq
        typer.echo(
            f"audit chain broken at entry {where}: {report.reason}"
            if where is not None
            else f"audit check failed: {report.reason}"
        )
        typer.echo(f"registry: {shown_url}, entries intact: {report.entries}")
    raise typer.Exit(0 if report.ok else 1)


def _entries(count: int) -> str:
    return f"{count} entry" if count == 1 else f"{count} entries"


def register(app: typer.Typer) -> None:
    """Add ``golive audit ...`` to ``app``."""
    app.add_typer(audit_app)
