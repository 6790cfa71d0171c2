"""``golive rehearse`` and ``golive rehearsal import``: rollback drills on record."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from golive.actor import current_actor
from golive.cli._errors import reported_errors
from golive.cli._governance import governed, json_option, print_json, registry_option, spec_option
from golive.errors import UsageError
from golive.governance.rehearsals import STRATEGIES, parse_rehearsal, record_rehearsal, rehearse

rehearsal_app = typer.Typer(
    name="rehearsal", help="Record rollback rehearsals done elsewhere.", no_args_is_help=True
)


def rehearse_command(
    repo: Path = typer.Option(..., "--repo", help="A git work tree with no uncommitted changes."),
    target: Path = typer.Option(
        ..., "--target", help="The tracked file to change and roll back (relative to --repo)."
    ),
    strategy: str = typer.Option(
        ..., "--strategy", help=f"How to roll back: {' or '.join(STRATEGIES)}."
    ),
    spec: Path = spec_option(),
    registry: str | None = registry_option(),
    as_json: bool = json_option("the golive.rehearsal/v1 record"),
) -> None:
    """Perform a real rollback drill in REPO and record it; exit 0 when it rolled back cleanly.

    Checksums the target, commits a marked change to it, rolls it back with the strategy
    (git_revert: `git revert`; restore_copy: write the saved copy back and commit), and
    checksums again: rollback_ok only when both checksums match. No other file is touched.

    Example: golive rehearse --repo ../deploy-config --target prod/app.yaml --strategy git_revert
    """
    with reported_errors():
        if strategy not in STRATEGIES:
            raise UsageError(f"--strategy {strategy!r}: use one of {', '.join(STRATEGIES)}")
        with governed(spec, registry) as (_loaded, opened):
            record = record_rehearsal(
                opened, rehearse(repo, target, strategy), actor=current_actor()
            )
    _report(record, as_json)
    raise typer.Exit(0 if record["status"] == "rollback_ok" else 1)


@rehearsal_app.command("import")
def import_command(
    file: Path = typer.Argument(..., help="A JSON record of a drill done elsewhere."),
    spec: Path = spec_option(),
    registry: str | None = registry_option(),
    as_json: bool = json_option("the recorded rehearsal"),
) -> None:
    """Record a rehearsal done elsewhere from a JSON object with before_checksum, after_checksum,
    rollback_strategy, duration_ms, status (rollback_ok|rollback_failed) and performed_at.

    Example: golive rehearsal import drills/2026-01-05.json
    """
    with reported_errors():
        document = _read(file)
        with governed(spec, registry) as (_loaded, opened):
            record = record_rehearsal(
                opened, parse_rehearsal(document, str(file)), actor=current_actor()
            )
    _report(record, as_json)


def _read(file: Path) -> Any:
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"{file}: cannot be read: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise UsageError(f"{file}: not JSON: {exc}") from None


def _report(record: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_json(record)
        return
    typer.echo(
        f"{record['status']}: {record.get('target', 'target')} rolled back with "
        f"{record['rollback_strategy']} in {record['duration_ms']} ms "
        f"(before {record['before_checksum'][:16]}, after {record['after_checksum'][:16]})"
    )
    if "error" in record:
        typer.echo(f"  {record['error']}")


def register(app: typer.Typer) -> None:
    """Add ``golive rehearse`` and ``golive rehearsal import``."""
    app.command("rehearse")(rehearse_command)
    app.add_typer(rehearsal_app)
