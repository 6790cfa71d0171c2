"""``golive init``: write a commented starter golive.yaml."""

from __future__ import annotations

from pathlib import Path

import typer

from golive.cli._errors import reported_errors
from golive.errors import UsageError
from golive.spec.starter import STARTER_SPEC


def init(
    path: Path = typer.Argument(
        Path("golive.yaml"), help="Where to write the spec.", show_default=True
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite the file if it exists."),
) -> None:
    """Write a commented starter golive.yaml that explains every key.

    Example: golive init && golive check golive.yaml
    """
    with reported_errors():
        if path.exists() and not force:
            raise UsageError(f"{path} already exists; pass --force to overwrite it")
        try:
            path.write_text(STARTER_SPEC, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"{path}: cannot be written: {exc.strerror or exc}") from None
        typer.echo(f"Wrote {path}: a commented starter spec.")
        typer.echo(f"Next: point sources.app.path at your evidence, then run: golive check {path}")


def register(app: typer.Typer) -> None:
    """Add ``golive init`` to ``app``."""
    app.command("init")(init)
