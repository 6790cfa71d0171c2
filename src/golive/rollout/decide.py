"""The wave rule, pure: from a rollout's plan, its state and the checks' statuses, a decision.

- any ``rollback_when`` check ``fail``: roll back (the flag to 0%);
- not started: start the first wave;
- else, once the wave's hold has elapsed, every ``promote_when`` check ``pass`` and
  no ``rollback_when`` check ``no_data`` or ``error``: the next wave (or complete
  after the last one);
- else hold, naming what it waits for. ``no_data`` and ``error`` never promote.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from golive.spec.durations import format_duration
from golive.spec.rollouts import Rollout

# Decisions and the status each leaves the rollout in.
START, PROMOTE, HOLD, COMPLETE, ROLLBACK, ABORT, RESUME = (
    "start",
    "promote",
    "hold",
    "complete",
    "rollback",
    "abort",
    "resume",
)
ACTIVE, HOLDING, COMPLETED, ROLLED_BACK, ABORTED = (
    "active",
    "holding",
    "completed",
    "rolled_back",
    "aborted",
)
STOPPED = (ROLLED_BACK, ABORTED)
FINISHED = (COMPLETED, ROLLED_BACK, ABORTED)


@dataclass(frozen=True)
class State:
    """Where a rollout stands: its 1-based wave (0 before the first) and since when."""

    wave: int
    percentage: int
    status: str
    wave_started_at: datetime
    at: datetime


@dataclass(frozen=True)
class Plan:
    """What a tick decides: the decision, the state after it, and why."""

    decision: str
    status: str
    wave: int
    percentage: int
    wave_started_at: datetime
    reason: str
    waiting: tuple[str, ...] = ()
    failing: tuple[str, ...] = ()

    @property
    def moves_flag(self) -> bool:
        """Whether the decision changes the flag's percentage."""
        return self.decision in (START, PROMOTE, ROLLBACK)


def decide(
    rollout: Rollout, state: State | None, statuses: Mapping[str, str], at: datetime
) -> Plan:
    """The decision of one tick at instant ``at``; ``statuses`` maps check id to status."""
    failing = tuple(c for c in rollout.rollback_when if statuses.get(c) == "fail")
    wave = state.wave if state is not None else 0
    if failing:
        return Plan(
            ROLLBACK,
            ROLLED_BACK,
            wave,
            0,
            at,
            f"rollback check {', '.join(failing)} failed: the flag goes to 0%",
            failing=failing,
        )
    if state is None:
        first = rollout.waves[0]
        return Plan(START, ACTIVE, 1, first.percentage, at, f"wave 1 starts at {first.percentage}%")
    current = rollout.waves[state.wave - 1]
    waiting = []
    held = int((at - state.wave_started_at).total_seconds())
    if held < current.hold_seconds:
        waiting.append(f"hold {current.hold}: {format_duration(current.hold_seconds - held)} to go")
    for check_id in rollout.promote_when:
        status = statuses.get(check_id, "no_data")
        if status != "pass":
            waiting.append(f"promote check {check_id} is {status}, needs pass")
    for check_id in rollout.rollback_when:
        status = statuses.get(check_id, "no_data")
        if status in ("no_data", "error"):
            waiting.append(f"rollback check {check_id} is {status}: a rollback cannot be ruled out")
    if waiting:
        return Plan(
            HOLD,
            HOLDING,
            state.wave,
            state.percentage,
            state.wave_started_at,
            "holding: " + "; ".join(waiting),
            waiting=tuple(waiting),
        )
    if state.wave == len(rollout.waves):
        return Plan(
            COMPLETE,
            COMPLETED,
            state.wave,
            state.percentage,
            state.wave_started_at,
            f"wave {state.wave} held {current.hold} with every check passing: rollout complete",
        )
    nxt = rollout.waves[state.wave]
    return Plan(
        PROMOTE,
        ACTIVE,
        state.wave + 1,
        nxt.percentage,
        at,
        f"wave {state.wave} held {current.hold} with every check passing: "
        f"wave {state.wave + 1} starts at {nxt.percentage}%",
    )
