"""The wave controller: one tick evaluates the rollout's checks, records the scorecard,
decides (:mod:`golive.rollout.decide`) and writes the decision and the flag change together.

Time is injected: ``at`` is the evaluation instant of the tick (``--at``), ``clock``
stamps when things were recorded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from golive.engine.evaluate import evaluate
from golive.engine.scorecard import Scorecard
from golive.errors import NotFoundError, UsageError
from golive.registry.database import Registry
from golive.registry.flag_edits import with_rollout
from golive.registry.flags import change_flag, get_flag
from golive.registry.instants import Clock, as_utc, rfc3339, utc_now
from golive.registry.rollouts import Decision, latest_decision, record_decision
from golive.registry.scorecards import record_scorecard
from golive.rollout.decide import (
    ABORT,
    ABORTED,
    ACTIVE,
    COMPLETED,
    RESUME,
    ROLLBACK,
    START,
    STOPPED,
    Plan,
    State,
    decide,
)
from golive.sources.base import RecordReader
from golive.spec.loader import LoadedSpec
from golive.spec.rollouts import Rollout


@dataclass(frozen=True)
class CheckStatus:
    """A rollout check's outcome in the tick's scorecard."""

    id: str
    role: str  # "promote" or "rollback"
    status: str
    observed: float | int | None
    expect: str
    message: str

    def to_json(self) -> dict[str, Any]:
        """The outcome as JSON."""
        return {
            "id": self.id,
            "role": self.role,
            "status": self.status,
            "observed": self.observed,
            "expect": self.expect,
            "message": self.message,
        }


@dataclass(frozen=True)
class Tick:
    """The result of one tick: the decision (new, or the standing one) and its checks."""

    decision: Decision
    new: bool
    checks: tuple[CheckStatus, ...]
    scorecard_sha256: str | None

    @property
    def exit_code(self) -> int:
        """1 when the rollout is rolled back or aborted, else 0."""
        return 1 if self.decision.status in STOPPED else 0

    def to_json(self) -> dict[str, Any]:
        """The tick as JSON: the decision, whether this tick made it, the checks."""
        return {
            "decision": self.decision.to_json(),
            "new": self.new,
            "scorecard_sha256": self.scorecard_sha256,
            "checks": [c.to_json() for c in self.checks],
        }


def rollout_of(loaded: LoadedSpec, name: str) -> Rollout:
    """The rollout ``name`` of the spec; NotFoundError naming those it has."""
    rollout = loaded.spec.rollouts.get(name)
    if rollout is None:
        known = ", ".join(loaded.spec.rollouts) or "none"
        raise NotFoundError(f"{loaded.path}: no rollout {name!r} (rollouts: {known})")
    return rollout


def current_state(registry: Registry, name: str) -> Decision | None:
    """The rollout's latest decision, or None if it never started."""
    with registry.read() as session:
        return latest_decision(session, name)


def step(
    registry: Registry,
    loaded: LoadedSpec,
    name: str,
    *,
    at: datetime,
    actor: str,
    readers: Mapping[str, RecordReader],
    spec_path: str | None = None,
    clock: Clock = utc_now,
) -> Tick:
    """One controller tick of rollout ``name`` at instant ``at``."""
    rollout = rollout_of(loaded, name)
    at = as_utc(at, "--at")
    get_flag(registry, rollout.flag)  # an unknown flag stops the tick before any evaluation
    standing = current_state(registry, name)
    if standing is not None and standing.status in (*STOPPED, COMPLETED):
        return Tick(standing, False, (), None)
    if standing is not None and at < standing.at:
        raise UsageError(
            f"--at {rfc3339(at)} is before rollout {name!r}'s last decision at "
            f"{rfc3339(standing.at)}; a tick cannot go back in time"
        )
    card = _evaluate(loaded, rollout, at, readers, spec_path)
    stored = record_scorecard(registry, card.to_document(), actor=actor, clock=clock)
    checks = _check_statuses(rollout, card)
    plan = decide(rollout, _state(standing), {c.id: c.status for c in checks}, at)
    detail: dict[str, Any] = {"waiting": list(plan.waiting)}
    if plan.decision == ROLLBACK:
        detail["incident"] = _incident(name, rollout, standing, plan, checks, stored.sha256, at)
    decision = _write(
        registry, loaded, name, rollout, plan, at, actor, stored.sha256, detail, clock, standing
    )
    if plan.decision == ROLLBACK:
        _open_incident(registry, detail["incident"], actor, clock)
    return Tick(decision, True, checks, stored.sha256)


def _open_incident(registry: Registry, facts: dict[str, Any], actor: str, clock: Clock) -> None:
    """A rollback is a production incident: open it (sev2, so gates wait for it) with the
    failing checks and the scorecard behind the decision on its timeline."""
    from golive.governance.incidents import add_note, open_incident

    incident = open_incident(registry, facts["title"], ROLLBACK_SEVERITY, actor=actor, clock=clock)
    failing = ", ".join(
        f"{c['id']} {c['status']} (observed {c.get('observed')})" for c in facts["failing_checks"]
    )
    add_note(
        registry,
        incident.id,
        f"{facts['action']}; failing: {failing or 'none'}; evidence {facts['scorecard']}",
        actor=actor,
        clock=clock,
    )


def abort(
    registry: Registry,
    loaded: LoadedSpec,
    name: str,
    *,
    at: datetime,
    actor: str,
    reason: str,
    clock: Clock = utc_now,
) -> Decision:
    """Stop rollout ``name`` by hand: the flag goes to 0%, no wave starts until resumed."""
    rollout = rollout_of(loaded, name)
    standing = current_state(registry, name)
    if standing is not None and standing.status in (*STOPPED, COMPLETED):
        raise UsageError(f"rollout {name!r} is already {standing.status}; nothing to abort")
    wave = standing.wave if standing is not None else 0
    plan = Plan(ABORT, ABORTED, wave, 0, as_utc(at, "--at"), f"aborted by {actor}: {reason}")
    return _write(registry, loaded, name, rollout, plan, at, actor, None, {}, clock, standing)


def resume(
    registry: Registry,
    loaded: LoadedSpec,
    name: str,
    *,
    at: datetime,
    actor: str,
    clock: Clock = utc_now,
) -> Decision:
    """Restart a rolled-back or aborted rollout at its first wave."""
    rollout = rollout_of(loaded, name)
    standing = current_state(registry, name)
    if standing is None or standing.status not in STOPPED:
        now = "not started" if standing is None else standing.status
        raise UsageError(
            f"rollout {name!r} is {now}; only a rolled_back or aborted rollout resumes "
            "(`golive rollout step` moves a running one)"
        )
    first = rollout.waves[0].percentage
    at = as_utc(at, "--at")
    plan = Plan(RESUME, ACTIVE, 1, first, at, f"resumed by {actor}: wave 1 starts at {first}%")
    return _write(registry, loaded, name, rollout, plan, at, actor, None, {}, clock, standing)


def _evaluate(
    loaded: LoadedSpec,
    rollout: Rollout,
    at: datetime,
    readers: Mapping[str, RecordReader],
    spec_path: str | None,
) -> Scorecard:
    ids = list(dict.fromkeys([*rollout.promote_when, *rollout.rollback_when]))
    return evaluate(
        loaded.spec,
        base_dir=loaded.base_dir,
        spec_path=spec_path if spec_path is not None else str(loaded.path),
        spec_sha256=loaded.sha256,
        at=at,
        only=ids,
        readers=readers,
    )


def _check_statuses(rollout: Rollout, card: Scorecard) -> tuple[CheckStatus, ...]:
    by_id = {c.id: c for c in card.checks}
    out = []
    for role, ids in (("promote", rollout.promote_when), ("rollback", rollout.rollback_when)):
        for check_id in ids:
            c = by_id[check_id]
            out.append(CheckStatus(c.id, role, c.status, c.observed, c.expect, c.message))
    return tuple(out)


def _state(decision: Decision | None) -> State | None:
    if decision is None:
        return None
    return State(
        decision.wave,
        decision.percentage,
        decision.status,
        decision.wave_started_at,
        decision.at,
    )


ROLLBACK_SEVERITY = "sev2"


def _incident(
    name: str,
    rollout: Rollout,
    standing: Decision | None,
    plan: Plan,
    checks: tuple[CheckStatus, ...],
    sha256: str,
    at: datetime,
) -> dict[str, Any]:
    """What an incident needs: title, when, what failed with the evidence, what was done."""
    before = standing.percentage if standing is not None else 0
    return {
        "title": f"rollout {name} rolled back in wave {plan.wave} at {before}%",
        "severity": ROLLBACK_SEVERITY,
        "opened_at": rfc3339(at),
        "rollout": name,
        "flag": rollout.flag,
        "wave": plan.wave,
        "percentage_before": before,
        "action": f"flag {rollout.flag} set to 0%",
        "failing_checks": [c.to_json() for c in checks if c.id in plan.failing],
        "scorecard": f"golive:scorecard:{sha256}",
    }


def _write(
    registry: Registry,
    loaded: LoadedSpec,
    name: str,
    rollout: Rollout,
    plan: Plan,
    at: datetime,
    actor: str,
    sha256: str | None,
    detail: dict[str, Any],
    clock: Clock,
    standing: Decision | None,
) -> Decision:
    """Write the decision and, when it moves the flag, the flag change: one transaction.

    The decision was made on ``standing``; if another tick decided since, nothing is written.
    """
    now = as_utc(clock(), "the clock's time")
    with registry.write() as session:
        latest = latest_decision(session, name)
        if (latest and latest.id) != (standing and standing.id):
            raise UsageError(
                f"rollout {name!r} changed while this tick was evaluating (another "
                "`golive rollout` ran); nothing was written: run the step again"
            )
        if plan.moves_flag or plan.decision in (ABORT, RESUME):
            change_flag(
                session,
                rollout.flag,
                # Only starting or resuming turns the flag on: a promotion must not undo
                # an operator's `golive flags set NAME --disabled`.
                lambda f: with_rollout(f, plan.percentage, enable=plan.decision in (START, RESUME)),
                actor=actor,
                what=f"rollout {name}: {plan.decision}",
                now=now,
            )
        return record_decision(
            session,
            Decision(
                rollout=name,
                spec_name=loaded.spec.name,
                flag=rollout.flag,
                at=as_utc(at, "--at"),
                actor=actor,
                decision=plan.decision,
                status=plan.status,
                wave=plan.wave,
                percentage=plan.percentage,
                wave_started_at=plan.wave_started_at,
                scorecard_sha256=sha256,
                reason=plan.reason,
                detail=detail,
            ),
            now=now,
        )
