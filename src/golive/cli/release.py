"""``golive release create|amend|show``: releases and their signed-over manifests."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from golive.actor import current_actor
from golive.cli._errors import reported_errors
from golive.cli._governance import governed, json_option, print_json, registry_option, spec_option
from golive.errors import UsageError
from golive.governance.releases import (
    ReleaseInput,
    StoredRelease,
    amend_release,
    create_release,
    get_release,
)
from golive.times import parse_instant

release_app = typer.Typer(
    name="release",
    help="Record releases and their manifests (golive.release-manifest/v1), which approvers sign.",
    no_args_is_help=True,
)

ARTIFACT = typer.Option(..., "--artifact", help="A file that ships (repeat for several).")
CONFIG_DELTA = typer.Option(None, "--config-delta", help="A file with the configuration change.")
WINDOW = typer.Option(
    None, "--window", help="Rollout window START/END, RFC 3339 (2026-01-05T08:00:00Z/...)."
)
ROLLBACK = typer.Option(None, "--rollback-plan", help="A file describing how to roll back.")
ITEM = typer.Option(None, "--item", help="A register item this release ships (repeatable).")


@release_app.command("create")
def create(
    version: str = typer.Argument(..., help="The release version, such as 1.4.0."),
    artifact: list[Path] = ARTIFACT,
    config_delta: Path | None = CONFIG_DELTA,
    window: str | None = WINDOW,
    rollback_plan: Path | None = ROLLBACK,
    item: list[str] | None = ITEM,
    spec: Path = spec_option(),
    registry: str | None = registry_option(),
    as_json: bool = json_option("the manifest"),
) -> None:
    """Record release VERSION and its manifest; the same command twice records it once.

    Example: golive release create 1.4.0 --artifact dist/shop-1.4.0.whl --rollback-plan ROLLBACK.md
    """
    with reported_errors():
        given = _input(version, artifact, config_delta, window, rollback_plan, item)
        with governed(spec, registry) as (loaded, opened):
            stored = create_release(opened, given, spec_name=loaded.name, actor=current_actor())
        _show(stored, as_json)


@release_app.command("amend")
def amend(
    version: str = typer.Argument(..., help="The release to change."),
    artifact: list[Path] = ARTIFACT,
    config_delta: Path | None = CONFIG_DELTA,
    window: str | None = WINDOW,
    rollback_plan: Path | None = ROLLBACK,
    item: list[str] | None = ITEM,
    spec: Path = spec_option(),
    registry: str | None = registry_option(),
    as_json: bool = json_option("the new manifest"),
) -> None:
    """Record a new manifest revision of VERSION; approvals of earlier revisions stop counting.

    Example: golive release amend 1.4.0 --artifact dist/shop-1.4.0.whl
    """
    with reported_errors():
        given = _input(version, artifact, config_delta, window, rollback_plan, item)
        with governed(spec, registry) as (loaded, opened):
            stored = amend_release(opened, given, spec_name=loaded.name, actor=current_actor())
        _show(stored, as_json)


@release_app.command("show")
def show(
    version: str = typer.Argument(..., help="The release to show."),
    spec: Path = spec_option(),
    registry: str | None = registry_option(),
    as_json: bool = json_option("the manifest (its canonical JSON digest is what approvers sign)"),
) -> None:
    """Show the current manifest of release VERSION and its sha256.

    Example: golive release show 1.4.0 --json
    """
    with reported_errors(), governed(spec, registry) as (_loaded, opened):
        stored = get_release(opened, version)
    _show(stored, as_json)


def _input(
    version: str,
    artifacts: list[Path],
    config_delta: Path | None,
    window: str | None,
    rollback_plan: Path | None,
    items: list[str] | None,
) -> ReleaseInput:
    return ReleaseInput(
        version=version,
        artifacts=tuple(artifacts),
        config_delta=config_delta,
        window=None if window is None else _window(window),
        rollback_plan=rollback_plan,
        items=tuple(items or ()),
    )


def _window(text: str) -> tuple[datetime, datetime]:
    start, sep, end = text.partition("/")
    try:
        if not sep:
            raise ValueError("expected START/END")
        return parse_instant(start), parse_instant(end)
    except ValueError as exc:
        raise UsageError(
            f"--window {text!r}: {exc}; write START/END such as "
            "2026-01-05T08:00:00Z/2026-01-05T10:00:00Z"
        ) from None


def _show(stored: StoredRelease, as_json: bool) -> None:
    if as_json:
        print_json(stored.manifest)
        return
    manifest = stored.manifest
    table = Table(title=f"release {stored.version} revision {stored.revision}", show_header=False)
    table.add_column("field", style="bold")
    table.add_column("value")
    table.add_row("creator", manifest["creator"] + _amended(manifest))
    table.add_row("created at", manifest["created_at"])
    for entry in manifest["artifacts"]:
        table.add_row("artifact", f"{entry['path']} ({entry['size']} B, {entry['sha256'][:16]})")
    for key in ("config_delta", "rollback_plan"):
        entry = manifest[key]
        table.add_row(key.replace("_", " "), "-" if entry is None else entry["path"])
    window = manifest["window"]
    table.add_row("window", "-" if window is None else f"{window['start']} / {window['end']}")
    card = manifest["scorecard"]
    table.add_row(
        "scorecard",
        "none recorded"
        if card is None
        else f"#{card['id']} {card['sha256'][:16]} ({'ready' if card['ready'] else 'NOT ready'})",
    )
    table.add_row("items", ", ".join(manifest["items"]) or "-")
    Console().print(table)
    typer.echo(f"manifest sha256 {stored.sha256}")


def _amended(manifest: dict[str, Any]) -> str:
    return f" (amended by {manifest['amended_by']})" if manifest.get("amended_by") else ""


def register(app: typer.Typer) -> None:
    """Add ``golive release ...``."""
    app.add_typer(release_app)
