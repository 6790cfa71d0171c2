"""``golive rollout``: widen a flag in waves, promoted and rolled back by the spec's checks."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer

from golive.actor import current_actor
from golive.cli._errors import reported_errors
from golive.errors import UsageError
from golive.registry import Registry, open_registry, resolve_registry_url
from golive.registry.instants import rfc3339
from golive.registry.rollouts import Decision, list_decisions
from golive.rollout import controller
from golive.rollout.decide import FINISHED
from golive.rollout.simulate import SimulationOptions, simulate
from golive.rollout.traffic import DEFAULT_FAULTS, parse_fault
from golive.sources.readers import readers
from golive.spec.durations import format_duration, parse_duration
from golive.spec.loader import LoadedSpec, load_spec
from golive.spec.models import Spec
from golive.times import parse_instant

rollout_app = typer.Typer(
    help="Canary waves: a flag widened wave by wave, promoted when the spec's checks pass "
    "and rolled back to 0% when a rollback check fails.",
    no_args_is_help=True,
)

NameArgument = typer.Argument(..., help="The rollout, as named under rollouts: in the spec.")
SpecArgument = typer.Argument(Path("golive.yaml"), help="The spec that defines the rollout.")
RegistryOption = typer.Option(
    None,
    "--registry",
    envvar="GOLIVE_REGISTRY",
    help="Registry URL (default: sqlite:///<spec folder>/.golive/registry.db).",
)
AtOption = typer.Option(
    None, "--at", help="The tick's instant, RFC 3339 (default: now, UTC). Windows end here."
)
JsonOption = typer.Option(False, "--json", help="Print JSON instead of text.")
NoCommandsOption = typer.Option(
    False, "--no-commands", help="Refuse a spec whose sources would run commands."
)


def _instant(at: str | None) -> datetime:
    if at is None:
        return datetime.now(UTC).replace(microsecond=0)
    try:
        return parse_instant(at)
    except ValueError as exc:
        raise UsageError(f"--at: {exc}") from None


def _load(spec: Path, no_commands: bool) -> LoadedSpec:
    loaded = load_spec(spec)
    if no_commands:
        _refuse_commands(loaded.spec, spec)
    return loaded


def _refuse_commands(spec: Spec, path: Path) -> None:
    named = [name for name, source in spec.sources.items() if source.type == "command"]
    if named:
        raise UsageError(
            f"{path}: source {', '.join(repr(n) for n in named)} runs a command; "
            "refused by --no-commands"
        )


@contextmanager
def _registry(registry: str | None, spec: Path) -> Iterator[Registry]:
    with open_registry(resolve_registry_url(registry, spec.parent)) as opened:
        yield opened


def _decision_line(d: Decision, waves: int) -> str:
    return (
        f"rollout {d.rollout}: {d.decision} -> {d.status}, wave {d.wave}/{waves} "
        f"at {d.percentage}% ({rfc3339(d.at)})"
    )


def _print_tick(tick: controller.Tick, waves: int) -> None:
    d = tick.decision
    if not tick.new:
        typer.echo(
            f"rollout {d.rollout} is {d.status} (wave {d.wave}/{waves} at {d.percentage}% "
            f"since {rfc3339(d.at)}); nothing to do"
            + ("; `golive rollout resume` restarts it" if d.status != "completed" else "")
        )
        return
    typer.echo(_decision_line(d, waves))
    typer.echo(f"  {d.reason}")
    for c in tick.checks:
        observed = "-" if c.observed is None else f"{c.observed:g}"
        typer.echo(f"  {c.role:<8} {c.id:<32} {c.status:<8} {observed:>10}  {c.expect}")
    typer.echo(f"  scorecard {tick.scorecard_sha256}")
    if "incident" in d.detail:
        typer.echo(f"  incident: {d.detail['incident']['title']}")


@rollout_app.command("step")
def step(
    name: str = NameArgument,
    spec: Path = SpecArgument,
    at: str | None = AtOption,
    registry: str | None = RegistryOption,
    as_json: bool = JsonOption,
    no_commands: bool = NoCommandsOption,
) -> None:
    """One controller tick: roll back, promote or hold, decided by the rollout's checks.

    Evaluates the rollout's checks and records the scorecard. A failing rollback check
    sets the flag to 0% at once (exit 1); once the wave's hold is over and every
    promote check passes, the next wave starts; otherwise it holds, saying what for.

    Example: golive rollout step batch-patches-v1 golive.yaml --at 2025-12-02T00:00:00Z
    """
    with reported_errors():
        instant = _instant(at)
        loaded = _load(spec, no_commands)
        with _registry(registry, spec) as store:
            tick = controller.step(
                store,
                loaded,
                name,
                at=instant,
                actor=current_actor(),
                readers=readers(commands=not no_commands),
                spec_path=str(spec),
            )
        waves = len(loaded.spec.rollouts[name].waves)
        if as_json:
            typer.echo(json.dumps(tick.to_json(), indent=2))
        else:
            _print_tick(tick, waves)
    raise typer.Exit(tick.exit_code)


@rollout_app.command("status")
def status(
    name: str = NameArgument,
    spec: Path = SpecArgument,
    registry: str | None = RegistryOption,
    limit: int = typer.Option(10, "--limit", min=1, help="Show the last N decisions."),
    as_json: bool = JsonOption,
) -> None:
    """Show where a rollout stands: status, wave, percentage, and its last decisions.

    Example: golive rollout status batch-patches-v1 golive.yaml
    """
    with reported_errors():
        loaded = load_spec(spec)
        rollout = controller.rollout_of(loaded, name)
        with _registry(registry, spec) as store:
            decisions = list_decisions(store, name, limit=limit)
        plan = [{"percentage": w.percentage, "hold": w.hold} for w in rollout.waves]
        if as_json:
            current = decisions[-1].to_json() if decisions else None
            out: dict[str, Any] = {
                "rollout": name,
                "flag": rollout.flag,
                "status": current["status"] if current else "not_started",
                "current": current,
                "waves": plan,
                "decisions": [d.to_json() for d in decisions],
            }
            typer.echo(json.dumps(out, indent=2))
            return
        waves = " -> ".join(f"{w['percentage']}% ({w['hold']})" for w in plan)
        typer.echo(f"rollout {name} (flag {rollout.flag}): {waves}")
        if not decisions:
            typer.echo("  not started; `golive rollout step` starts wave 1")
            return
        last = decisions[-1]
        typer.echo(f"  {last.status}: wave {last.wave}/{len(plan)} at {last.percentage}%")
        for d in decisions:
            sha = (d.scorecard_sha256 or "-")[:16]
            typer.echo(f"  {rfc3339(d.at)}  {d.decision:<9} {d.percentage:>3}%  {sha}  {d.reason}")


@rollout_app.command("watch")
def watch(
    name: str = NameArgument,
    spec: Path = SpecArgument,
    interval: str = typer.Option("5m", "--interval", help="Time between ticks, such as 30s."),
    count: int | None = typer.Option(
        None, "--count", min=1, help="Stop after N ticks (default: until the rollout ends)."
    ),
    registry: str | None = RegistryOption,
    as_json: bool = typer.Option(False, "--json", help="Print one JSON line per tick."),
    no_commands: bool = NoCommandsOption,
) -> None:
    """Tick every --interval until the rollout completes, rolls back or is aborted.

    Exit 0 when it completes (or --count ticks ran), 1 when it is rolled back or aborted.

    Example: golive rollout watch batch-patches-v1 golive.yaml --interval 10m
    """
    with reported_errors():
        try:
            seconds = parse_duration(interval)
        except ValueError as exc:
            raise UsageError(f"--interval: {exc}") from None
        tick = _watch(name, spec, seconds, count, registry, as_json, no_commands, time.sleep)
    raise typer.Exit(tick.exit_code if tick is not None else 0)


def _watch(
    name: str,
    spec: Path,
    seconds: int,
    count: int | None,
    registry: str | None,
    as_json: bool,
    no_commands: bool,
    sleep: Callable[[float], None],
) -> controller.Tick | None:
    loaded = _load(spec, no_commands)
    waves = len(controller.rollout_of(loaded, name).waves)
    tick = None
    with _registry(registry, spec) as store:
        done = 0
        while count is None or done < count:
            if done:
                sleep(seconds)
            tick = controller.step(
                store,
                loaded,
                name,
                at=_instant(None),
                actor=current_actor(),
                readers=readers(commands=not no_commands),
                spec_path=str(spec),
            )
            done += 1
            if as_json:
                typer.echo(json.dumps(tick.to_json()))
            else:
                _print_tick(tick, waves)
            if tick.decision.status in FINISHED:
                break
    return tick


@rollout_app.command("abort")
def abort(
    name: str = NameArgument,
    spec: Path = SpecArgument,
    reason: str = typer.Option(..., "--reason", help="Why, for the record."),
    at: str | None = AtOption,
    registry: str | None = RegistryOption,
    as_json: bool = JsonOption,
) -> None:
    """Stop a rollout by hand: the flag goes to 0% and no wave starts until it is resumed.

    Example: golive rollout abort batch-patches-v1 golive.yaml --reason "support tickets"
    """
    with reported_errors():
        loaded = load_spec(spec)
        with _registry(registry, spec) as store:
            d = controller.abort(
                store, loaded, name, at=_instant(at), actor=current_actor(), reason=reason
            )
        _print_decision(d, len(loaded.spec.rollouts[name].waves), as_json)


@rollout_app.command("resume")
def resume(
    name: str = NameArgument,
    spec: Path = SpecArgument,
    at: str | None = AtOption,
    registry: str | None = RegistryOption,
    as_json: bool = JsonOption,
) -> None:
    """Restart a rolled-back or aborted rollout at its first wave.

    Example: golive rollout resume batch-patches-v1 golive.yaml
    """
    with reported_errors():
        loaded = load_spec(spec)
        with _registry(registry, spec) as store:
            d = controller.resume(store, loaded, name, at=_instant(at), actor=current_actor())
        _print_decision(d, len(loaded.spec.rollouts[name].waves), as_json)


def _print_decision(d: Decision, waves: int, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(d.to_json(), indent=2))
    else:
        typer.echo(_decision_line(d, waves))
        typer.echo(f"  {d.reason}")


@rollout_app.command("simulate")
def simulate_command(
    name: str = NameArgument,
    spec: Path = SpecArgument,
    fault: list[str] = typer.Option(
        [],
        "--fault",
        help="A fault in canary traffic, KIND:wave=N,VALUE,after=D,for=D; repeat for several. "
        "Kinds: errors (rate=0-1), latency (p95=MS), alerts (per_hour=N critical alerts). "
        "Default: errors:wave=2,rate=0.1,after=42h,for=12h and "
        "latency:wave=3,p95=800,after=42h,for=12h.",
    ),
    no_faults: bool = typer.Option(False, "--no-faults", help="Simulate clean traffic."),
    seed: int = typer.Option(5, "--seed", help="Seed of the synthetic traffic."),
    start: str = typer.Option(
        "2025-12-01T00:00:00Z", "--start", help="Simulated instant of the first tick."
    ),
    tick: str = typer.Option("6h", "--tick", help="Simulated time between ticks."),
    requests_per_hour: int = typer.Option(
        240, "--requests-per-hour", help="Synthetic requests per hour (all cohorts)."
    ),
    requests_source: str = typer.Option(
        "requests", "--requests-source", help="The spec's jsonl source the requests go to."
    ),
    alerts_source: str = typer.Option(
        "alerts", "--alerts-source", help="The spec's jsonl source the alerts go to."
    ),
    as_json: bool = JsonOption,
    no_commands: bool = NoCommandsOption,
) -> None:
    """Replay a rollout against seeded synthetic traffic with injected faults.

    Runs in a temporary folder and registry, ticking the real controller, and prints
    the timeline of waves, checks and decisions.

    Exit 0 when the simulated rollout completes, 1 when it is rolled back.

    Example: golive rollout simulate batch-patches-v1 examples/canary-rollout/golive.yaml
    """
    with reported_errors():
        if no_faults and fault:
            raise UsageError("--fault and --no-faults contradict; give one")
        faults = () if no_faults else tuple(map(parse_fault, fault)) or DEFAULT_FAULTS
        try:
            tick_s = parse_duration(tick)
        except ValueError as exc:
            raise UsageError(f"--tick: {exc}") from None
        options = SimulationOptions(
            requests_source=requests_source,
            alerts_source=alerts_source,
            faults=faults,
            seed=seed,
            tick_seconds=tick_s,
            requests_per_hour=requests_per_hour,
        )
        loaded = _load(spec, no_commands)
        sim = simulate(
            loaded,
            name,
            options,
            readers=readers(commands=not no_commands),
            start=_instant(start),
        )
        if as_json:
            typer.echo(json.dumps(sim.to_json(), indent=2))
        else:
            _print_timeline(sim.to_json())
    raise typer.Exit(1 if sim.outcome in ("rolled_back", "aborted") else 0)


def _print_timeline(sim: dict[str, Any]) -> None:
    faults = "; ".join(f["text"] for f in sim["faults"])
    typer.echo(
        f"simulating rollout {sim['rollout']} from {sim['start']}, seed {sim['seed']}, "
        f"a tick every {format_duration(sim['tick_s'])}; faults: {faults or 'none'}"
    )
    for t in sim["timeline"]:
        marks = " ".join(
            f"{c['id'].rsplit('.', 1)[-1]}={_short(c['observed'])}"
            + ("" if c["status"] == "pass" else f"({c['status']})")
            for c in t["checks"]
        )
        elapsed = "+" + format_duration(t["elapsed_s"])
        typer.echo(
            f"{elapsed:>8} wave {t['wave']} {t['percentage']:>3}%  {t['decision']:<9} {marks}"
        )
        if (
            t["decision"] != "hold"
            or t["reason"].startswith("holding: promote")
            or ("rollback check" in t["reason"])
        ):
            typer.echo(f"{'':>10}{t['reason']}")
    typer.echo(f"outcome: {sim['outcome']} after {len(sim['timeline'])} ticks")


def _short(value: float | int | None) -> str:
    if value is None:
        return "-"
    if isinstance(value, float) and value < 1:
        return f"{value:.3f}"
    return f"{value:g}" if isinstance(value, int) else f"{value:.0f}"


def register(app: typer.Typer) -> None:
    """Add the ``rollout`` command group to ``app``."""
    app.add_typer(rollout_app, name="rollout")
