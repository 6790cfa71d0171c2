"""``golive watch``: evaluate a spec on a schedule and announce changes."""

from __future__ import annotations

import json
import signal
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import FrameType

import typer

from golive.cli._errors import reported_errors
from golive.errors import UsageError
from golive.observe.watch import Tick, WatchConfig, Watcher
from golive.spec.durations import parse_duration
from golive.times import parse_instant


def watch(
    spec: Path = typer.Argument(Path("golive.yaml"), help="The spec to evaluate."),
    every: str = typer.Option("15m", "--every", help="Time between evaluations (30s, 15m, 1h)."),
    until: str | None = typer.Option(
        None,
        "--until",
        help="Stop at this RFC 3339 instant, or after this long (2h); default: run until "
        "SIGTERM or Ctrl-C.",
    ),
    notify: str | None = typer.Option(
        None,
        "--notify",
        envvar="GOLIVE_NOTIFY_URL",
        help="POST Slack-compatible incoming-webhook JSON here once per change of readiness "
        "or of a check's status.",
    ),
    textfile: Path | None = typer.Option(
        None, "--textfile", help="Refresh the metrics in this node_exporter *.prom file each time."
    ),
    registry: str | None = typer.Option(
        None,
        "--registry",
        envvar="GOLIVE_REGISTRY",
        help="Registry URL (default: sqlite:///<spec folder>/.golive/registry.db).",
    ),
    no_commands: bool = typer.Option(
        False, "--no-commands", help="Do not run the spec's command sources."
    ),
    as_json: bool = typer.Option(
        False, "--json", help="Print one JSON object per evaluation on stdout."
    ),
) -> None:
    """Evaluate SPEC every --every, record each scorecard, and say when something changes.

    A failing evaluation is logged and recorded, and watching goes on. SIGTERM or Ctrl-C
    stops after the current evaluation; exit 0.

    Example: golive watch golive.yaml --every 15m --notify https://hooks.slack.com/services/...
    """
    with reported_errors():
        config = WatchConfig(
            spec=spec,
            every_s=float(_duration("--every", every)),
            until=_until(until),
            notify=notify,
            textfile=textfile,
            registry=registry,
            commands=not no_commands,
        )
        if textfile is not None and textfile.suffix != ".prom":
            raise UsageError(
                f"--textfile {textfile}: node_exporter's textfile collector only reads *.prom "
                f"files; use a name such as {textfile.with_suffix('.prom').name}"
            )
        watcher = Watcher(config, on_tick=_printer(as_json))

        def _stop(signum: int, frame: FrameType | None) -> None:
            watcher.stop()

        previous = signal.signal(signal.SIGTERM, _stop)
        try:
            watcher.run()
        finally:
            signal.signal(signal.SIGTERM, previous)


def _printer(as_json: bool) -> Callable[[Tick], None]:
    def show(tick: Tick) -> None:
        if as_json:
            typer.echo(json.dumps(tick.as_json()))
            return
        when = tick.as_json()["at"]
        if tick.error is not None:
            typer.echo(f"{when} ERROR {tick.error}")
            return
        verdict = "READY" if tick.ready else "NOT READY"
        changed = " · changed" + (", notified" if tick.notified else "") if tick.changed else ""
        typer.echo(
            f"{when} {verdict} · score {tick.score:.2f} · scorecard {(tick.scorecard or '')[:16]}"
            f"{changed}"
        )

    return show


def _duration(option: str, text: str) -> int:
    try:
        return parse_duration(text)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None


def _until(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        return parse_instant(text)
    except ValueError:
        pass
    try:
        return datetime.now(UTC) + timedelta(seconds=parse_duration(text))
    except ValueError:
        raise UsageError(
            f"--until: {text!r} is neither an RFC 3339 instant (2025-12-18T00:00:00Z) "
            "nor a duration (2h)"
        ) from None


def register(app: typer.Typer) -> None:
    """Add ``golive watch``."""
    app.command("watch")(watch)
