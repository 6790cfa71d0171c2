"""Watch mode: evaluate a spec on a schedule, record each scorecard, say when something changed.

Each tick loads the spec again (so an edited spec is picked up), evaluates it now,
records the scorecard with its trace id, refreshes the textfile metrics, and notifies
once per change of readiness or of a check's status (not once per tick). A failing
tick (a spec that no longer loads, a registry that is down) is logged and written to
the audit log when the registry is reachable; the next tick goes on. Ticks keep to
the schedule ``start + k * every`` and evaluate as of their slot; a tick that overruns
skips the slots it missed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from golive.actor import current_actor
from golive.errors import GoliveError
from golive.observe.instrument import evaluate_traced
from golive.observe.logging import logger
from golive.observe.metrics import export_textfile
from golive.observe.notify import Change, CheckChange, post
from golive.registry import (
    Registry,
    append_audit,
    latest_scorecard,
    open_registry,
    record_scorecard,
    resolve_registry_url,
)
from golive.sources.readers import readers
from golive.spec.loader import load_spec

_log = logger("watch")


@dataclass(frozen=True)
class WatchConfig:
    """What to watch and how often."""

    spec: Path
    every_s: float
    until: datetime | None = None
    notify: str | None = None
    textfile: Path | None = None
    registry: str | None = None
    commands: bool = True


@dataclass(frozen=True)
class Tick:
    """The outcome of one evaluation in watch mode."""

    at: datetime
    ready: bool | None  # None: the evaluation failed
    score: float | None
    scorecard: str | None
    changed: bool
    notified: bool
    error: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The tick as one JSON line of ``golive watch --json``."""
        return {
            "at": self.at.isoformat().replace("+00:00", "Z"),
            "ready": self.ready,
            "score": self.score,
            "scorecard": self.scorecard,
            "changed": self.changed,
            "notified": self.notified,
            "error": self.error,
        }


@dataclass
class _State:
    """The last state a notification was decided on."""

    ready: bool | None = None
    statuses: dict[str, str] = field(default_factory=dict)
    failing: bool = False
    known: bool = False


class Watcher:
    """Runs ticks until ``until`` or until :meth:`stop` (SIGTERM) is called."""

    def __init__(
        self,
        config: WatchConfig,
        *,
        on_tick: Callable[[Tick], None] = lambda tick: None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.config = config
        self.on_tick = on_tick
        self.clock = clock
        self._stop = threading.Event()
        self._state = _State()

    def stop(self) -> None:
        """Finish the current tick and return from :meth:`run` (safe from a signal handler)."""
        self._stop.set()

    def run(self) -> int:
        """Tick on schedule until stopped or past ``until``; the number of ticks run."""
        every = self.config.every_s
        ticks, slot = 0, 0
        started, first = time.monotonic(), self.clock()
        self._baseline()
        while not self._stop.is_set() and not self._past_until():
            # Evaluated as of its slot on the schedule, not of a late wake-up, so two ticks
            # never share an instant (and a scorecard) however loaded the machine is.
            self.on_tick(self.tick(first + timedelta(seconds=slot * every)))
            ticks += 1
            elapsed = time.monotonic() - started
            slot = int(elapsed // every) + 1
            wait = slot * every - elapsed
            if self.config.until is not None:
                left = (self.config.until - self.clock()).total_seconds()
                if left < wait:  # the next tick would be past the deadline
                    self._stop.wait(max(0.0, left))
                    break
            self._stop.wait(wait)
        _log.info("watch stopped after %d evaluations", ticks, extra={"outcome": "ok"})
        return ticks

    def _past_until(self) -> bool:
        return self.config.until is not None and self.clock() >= self.config.until

    def _registry_url(self) -> str:
        return resolve_registry_url(self.config.registry, self.config.spec.parent)

    def _baseline(self) -> None:
        """Start from the latest recorded scorecard, so a restart does not re-announce it."""
        try:
            name = load_spec(self.config.spec).spec.name
            with open_registry(self._registry_url()) as registry:
                latest = latest_scorecard(registry, name)
        except GoliveError:
            return
        if latest is not None:
            self._state = _State(latest.ready, _statuses(latest.document), False, True)

    def tick(self, at: datetime | None = None) -> Tick:
        """Evaluate as of ``at`` (default now); record, export, notify; failures are ticks too."""
        at = (self.clock() if at is None else at).replace(microsecond=0)
        try:
            return self._evaluate(at)
        except GoliveError as exc:
            return self._failed(at, str(exc))
        except Exception as exc:  # a monitor outlives one bad tick, even a bug; it is logged
            return self._failed(at, f"{type(exc).__name__}: {exc}")

    def _evaluate(self, at: datetime) -> Tick:
        loaded = load_spec(self.config.spec)
        traced = evaluate_traced(
            loaded.spec,
            base_dir=loaded.base_dir,
            spec_path=str(self.config.spec),
            spec_sha256=loaded.sha256,
            at=at,
            readers=readers(commands=self.config.commands),
        )
        card = traced.card
        document = card.to_document()
        with open_registry(self._registry_url()) as registry:
            stored = record_scorecard(
                registry, document, actor=current_actor(), trace_id=traced.trace_id
            )
            if self.config.textfile is not None:
                export_textfile(registry, self.config.textfile)
        change = self._change(card.spec_name, card.ready, document, stored.sha256, card.score)
        notified = self._notify(change)
        return Tick(at, card.ready, card.score, stored.sha256, change is not None, notified)

    def _change(
        self, spec: str, ready: bool, document: Mapping[str, Any], sha256: str, score: float
    ) -> Change | None:
        statuses = _statuses(document)
        before = self._state
        self._state = _State(ready, statuses, False, True)
        unchanged = before.ready == ready and before.statuses == statuses
        if before.known and not before.failing and unchanged:
            return None
        messages = {c["id"]: c["message"] for c in document.get("checks", [])}
        changed = tuple(
            CheckChange(
                check, before.statuses.get(check), statuses.get(check), messages.get(check, "")
            )
            for check in sorted(set(before.statuses) | set(statuses))
            if before.statuses.get(check) != statuses.get(check)
        )
        return Change(spec, before.ready, ready, score, sha256, changed)

    def _failed(self, at: datetime, error: str) -> Tick:
        _log.error("evaluation failed; watching on", extra={"outcome": "error", "error": error})
        self._audit_failure(at, error)
        first = not self._state.failing
        self._state = _State(self._state.ready, self._state.statuses, True, self._state.known)
        notified = False
        if first:
            name = self.config.spec.stem
            change = Change(name, self._state.ready, None, None, None, (), error)
            notified = self._notify(change)
        return Tick(at, None, None, None, first, notified, error)

    def _audit_failure(self, at: datetime, error: str) -> None:
        try:
            with open_registry(self._registry_url()) as registry:
                _record_failure(registry, at, str(self.config.spec), error)
        except GoliveError as exc:
            _log.error("cannot record the failure", extra={"outcome": "error", "error": str(exc)})

    def _notify(self, change: Change | None) -> bool:
        if change is None or self.config.notify is None:
            return False
        return post(self.config.notify, change)


def _record_failure(registry: Registry, at: datetime, spec: str, error: str) -> None:
    with registry.write() as session:
        append_audit(
            session,
            action="watch.evaluation_failed",
            entity="spec",
            entity_id=spec,
            payload={"error": error},
            actor=current_actor(),
            at=at,
        )


def _statuses(document: Mapping[str, Any]) -> dict[str, str]:
    return {str(c["id"]): str(c["status"]) for c in document.get("checks", [])}
