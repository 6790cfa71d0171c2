"""Replay a rollout against synthetic traffic: the real spec, the real controller, a fake clock.

The spec is copied into a temporary folder beside a fresh SQLite registry; the
two JSON Lines sources it names (requests and alerts) are written there by
:mod:`golive.rollout.traffic` as simulated time advances one tick at a time, and
each tick is a real :func:`golive.rollout.controller.step` at ``--at`` = that tick.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from golive.errors import UsageError
from golive.flags.model import Flag
from golive.registry import create_flag, open_registry
from golive.registry.flag_edits import with_rollout
from golive.rollout.controller import Tick, rollout_of, step
from golive.rollout.decide import FINISHED
from golive.rollout.traffic import Fault, open_traffic
from golive.sources.base import RecordReader
from golive.spec.loader import LoadedSpec, load_spec_text
from golive.spec.models import JsonlSource
from golive.times import rfc3339

ACTOR = "simulator"


@dataclass(frozen=True)
class SimulationOptions:
    """What to simulate: sources to write, faults, seed, clock and traffic settings."""

    requests_source: str = "requests"
    alerts_source: str = "alerts"
    faults: tuple[Fault, ...] = ()
    seed: int = 5
    tick_seconds: int = 6 * 3600
    requests_per_hour: int = 240
    max_ticks: int | None = None


@dataclass(frozen=True)
class Simulation:
    """The timeline of a simulated rollout and how it ended."""

    rollout: str
    start: datetime
    options: SimulationOptions
    ticks: tuple[tuple[datetime, int, Tick], ...]  # (at, requests written, tick)

    @property
    def outcome(self) -> str:
        """The rollout's status after the last tick."""
        return self.ticks[-1][2].decision.status if self.ticks else "not started"

    def to_json(self) -> dict[str, Any]:
        """The simulation as JSON: settings, faults and one entry per tick."""
        return {
            "rollout": self.rollout,
            "seed": self.options.seed,
            "start": rfc3339(self.start),
            "tick_s": self.options.tick_seconds,
            "requests_per_hour": self.options.requests_per_hour,
            "faults": [{**f.to_json(), "text": f.describe()} for f in self.options.faults],
            "outcome": self.outcome,
            "timeline": [
                {
                    "at": rfc3339(at),
                    "elapsed_s": int((at - self.start).total_seconds()),
                    "requests": written,
                    "wave": tick.decision.wave,
                    "percentage": tick.decision.percentage,
                    "decision": tick.decision.decision,
                    "status": tick.decision.status,
                    "reason": tick.decision.reason,
                    "scorecard_sha256": tick.scorecard_sha256,
                    "checks": [c.to_json() for c in tick.checks],
                }
                for at, written, tick in self.ticks
            ],
        }


def simulate(
    loaded: LoadedSpec,
    name: str,
    options: SimulationOptions,
    *,
    readers: Mapping[str, RecordReader],
    start: datetime,
) -> Simulation:
    """Run rollout ``name`` of ``loaded`` tick by tick over synthetic traffic, from ``start``."""
    rollout = rollout_of(loaded, name)
    requests = _jsonl_path(loaded, options.requests_source)
    alerts = _jsonl_path(loaded, options.alerts_source)
    if options.tick_seconds < 1:
        raise UsageError(f"--tick must be at least 1s, got {options.tick_seconds}s")
    hold_total = sum(w.hold_seconds for w in rollout.waves)
    max_ticks = options.max_ticks or 2 * (hold_total // options.tick_seconds) + 10
    ticks: list[tuple[datetime, int, Tick]] = []
    with tempfile.TemporaryDirectory(prefix="golive-simulate-") as tmp:
        folder = Path(tmp)
        spec_file = folder / loaded.path.name
        spec_file.write_text(loaded.text, encoding="utf-8")
        sim_spec = load_spec_text(loaded.text, spec_file)
        # The traffic starts a day before the rollout, so windows are full from the first tick.
        traffic = open_traffic(
            folder / requests,
            folder / alerts,
            seed=options.seed,
            per_hour=options.requests_per_hour,
            since=start - timedelta(days=1),
        )
        registry = open_registry(f"sqlite:///{folder / 'registry.db'}")
        try:
            flag = with_rollout(Flag(name=rollout.flag, enabled=False), 0)
            create_flag(registry, flag, actor=ACTOR, clock=lambda: start)
            percentage, wave, wave_started = 0, 0, start
            for number in range(max_ticks):
                at = start + timedelta(seconds=number * options.tick_seconds)
                written = traffic.advance(
                    at,
                    percentage=percentage,
                    wave=wave,
                    wave_started_at=wave_started,
                    faults=options.faults,
                )
                tick = step(
                    registry,
                    sim_spec,
                    name,
                    at=at,
                    actor=ACTOR,
                    readers=readers,
                    spec_path=str(loaded.path),
                    clock=lambda at=at: at,  # type: ignore[misc]
                )
                ticks.append((at, written, tick))
                d = tick.decision
                percentage, wave, wave_started = d.percentage, d.wave, d.wave_started_at
                if d.status in FINISHED:
                    break
        finally:
            traffic.close()
            registry.close()
    return Simulation(name, start, options, tuple(ticks))


def _jsonl_path(loaded: LoadedSpec, source: str) -> Path:
    """The relative file a jsonl source names: where the simulation writes its records."""
    config = loaded.spec.sources.get(source)
    if not isinstance(config, JsonlSource):
        kinds = ", ".join(n for n, s in loaded.spec.sources.items() if isinstance(s, JsonlSource))
        raise UsageError(
            f"{loaded.path}: the simulation writes synthetic records to a jsonl source named "
            f"{source!r}, which the spec does not have (jsonl sources: {kinds or 'none'}); "
            "name yours with --requests-source / --alerts-source"
        )
    path = Path(config.paths[0])
    if len(config.paths) != 1 or path.is_absolute() or ".." in path.parts or "*" in str(path):
        raise UsageError(
            f"{loaded.path}: source {source!r} must name one relative file (no glob, no ..) "
            f"for the simulation to write, got {config.path!r}"
        )
    return path
