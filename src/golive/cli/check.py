"""``golive check``: evaluate a spec against its evidence; the main job."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import Progress as RichProgress
from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

from golive.cli._errors import reported_errors
from golive.engine.evaluate import Progress
from golive.engine.scorecard import Scorecard
from golive.errors import UsageError
from golive.observe.instrument import evaluate_traced
from golive.report.console import print_scorecard
from golive.sources.readers import readers
from golive.spec.loader import load_spec
from golive.spec.models import Spec
from golive.times import parse_instant


def check(
    spec: Path = typer.Argument(Path("golive.yaml"), help="The spec to evaluate."),
    at: str | None = typer.Option(
        None, "--at", help="Evaluation instant, RFC 3339 (default: now, UTC). Windows end here."
    ),
    as_json: bool = typer.Option(
        False, "--json", help="Print the golive.scorecard/v1 document on stdout, nothing else."
    ),
    only: list[str] | None = typer.Option(
        None, "--only", help="Evaluate only this check id (repeat for several)."
    ),
    registry: str | None = typer.Option(
        None,
        "--registry",
        envvar="GOLIVE_REGISTRY",
        help="Registry URL (default: sqlite:///<spec folder>/.golive/registry.db).",
    ),
    no_record: bool = typer.Option(
        False, "--no-record", help="Do not store the scorecard in the registry."
    ),
    no_commands: bool = typer.Option(
        False, "--no-commands", help="Refuse a spec whose sources would run commands."
    ),
    explain_only: bool = typer.Option(
        False,
        "--explain",
        help=(
            "Print the SQL statement each source would run (one per source; for JSON Lines "
            "also the exact one, run when a line may not be an object), run nothing."
        ),
    ),
    junit: Path | None = typer.Option(
        None,
        "--junit",
        help="Also write each check as a JUnit testcase to FILE (failures say observed vs "
        "expected and name the evidence), for any CI's test report view.",
        metavar="FILE",
    ),
) -> None:
    """Evaluate every check of SPEC and say whether it is ready.

    Exit 0 when ready, 1 when not, 2 on a usage, spec or configuration error.

    Example: golive check examples/battle-tested/golive.yaml --at 2025-12-18T00:00:00Z
    """
    with reported_errors():
        instant = _instant(at)
        loaded = load_spec(spec)
        if no_commands:
            _refuse_commands(loaded.spec, spec)
        if explain_only:
            _print_explain(loaded.spec, loaded.base_dir, instant)
            raise typer.Exit(0)
        with _progress(enabled=not as_json) as progress:
            traced = evaluate_traced(
                loaded.spec,
                base_dir=loaded.base_dir,
                spec_path=str(spec),
                spec_sha256=loaded.sha256,
                at=instant,
                only=only,
                readers=readers(commands=not no_commands),
                progress=progress,
            )
        card = _with_waivers(
            traced.card, loaded.spec, registry, loaded.base_dir, no_record=no_record
        )
        if junit is not None:
            _write_junit(card, junit)
        recorded_id = (
            None if no_record else _record(card, registry, loaded.base_dir, traced.trace_id)
        )
        if as_json:
            sys.stdout.write(json.dumps(card.to_document(), indent=2, ensure_ascii=False) + "\n")
        else:
            print_scorecard(card, Console(), recorded_id=recorded_id)
    raise typer.Exit(0 if card.ready else 1)


def _write_junit(card: Scorecard, path: Path) -> None:
    from golive.report.junit import write_junit

    try:
        write_junit(card, path)
    except OSError as exc:
        raise UsageError(f"--junit: cannot write {path}: {exc.strerror or exc}") from None


def _print_explain(spec: Spec, base_dir: Path, at: datetime) -> None:
    from golive.engine.explain import explain

    for name, dialect, sql in explain(spec, base_dir, at):
        typer.echo(f"-- source {name} ({dialect})\n{sql}\n")


def _refuse_commands(spec: Spec, path: Path) -> None:
    named = [name for name, source in spec.sources.items() if source.type == "command"]
    if named:
        raise UsageError(
            f"{path}: source {', '.join(repr(n) for n in named)} runs a command; "
            "refused by --no-commands"
        )


def _instant(at: str | None) -> datetime:
    if at is None:
        return datetime.now(UTC).replace(microsecond=0)
    try:
        return parse_instant(at)
    except ValueError as exc:
        raise UsageError(f"--at: {exc}") from None


def _with_waivers(
    card: Scorecard, spec: Spec, registry: str | None, spec_dir: Path, *, no_record: bool
) -> Scorecard:
    """Apply the spec's valid waivers from the registry (issue 4); with --no-record, only
    when the registry already exists, so a dry run never creates one."""
    if spec.governance is None:
        return card
    from golive.governance.waivers import apply_waivers, load_waivers
    from golive.registry import open_registry, resolve_registry_url

    url = resolve_registry_url(registry, spec_dir)
    if no_record and _no_sqlite_file(url):
        return card
    with open_registry(url) as store:
        valid, problems = load_waivers(store, spec)
    for problem in problems:
        print(f"warning: {problem}; not applied", file=sys.stderr)
    return apply_waivers(card, valid, card.evaluated_at)


def _no_sqlite_file(url: str) -> bool:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        return False  # open_registry reports the bad URL
    database = parsed.database or ""
    return parsed.get_backend_name() == "sqlite" and not Path(database).is_file()


def _record(card: Scorecard, registry: str | None, spec_dir: Path, trace_id: str | None) -> int:
    from golive.actor import current_actor
    from golive.registry import open_registry, record_scorecard, resolve_registry_url

    with open_registry(resolve_registry_url(registry, spec_dir)) as store:
        stored = record_scorecard(
            store, card.to_document(), actor=current_actor(), trace_id=trace_id
        )
    return stored.id


@contextmanager
def _progress(*, enabled: bool) -> Iterator[Progress | None]:
    """A spinner per source on stderr, only when stderr is a terminal."""
    stderr = Console(stderr=True)
    if not (enabled and stderr.is_terminal):
        yield None
        return
    with RichProgress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
    ) as bar:
        tasks: dict[str, int] = {}

        def started(source: str, size: int) -> None:
            mib = f" ({size / 2**20:.0f} MiB)" if size >= 2**20 else ""
            tasks[source] = int(bar.add_task(f"scanning {source}{mib}", total=None))

        def finished(source: str) -> None:
            bar.remove_task(tasks.pop(source))  # type: ignore[arg-type]

        yield Progress(started, finished)


def register(app: typer.Typer) -> None:
    """Add ``golive check``."""
    app.command("check")(check)
