"""Rollout decisions: an append-only log of every controller tick and manual action.

A rollout's state is its latest decision (current wave, when it started, status),
so there is nothing mutable to drift: each decision row names the scorecard
behind it by sha256 and is written together with its audit entry, and, when the
decision moves the flag, with the flag change itself (one transaction).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import CHAR, Index, Integer, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from golive.canonical import canonical_json
from golive.registry.audit import append_audit
from golive.registry.database import Registry
from golive.registry.instants import as_utc, rfc3339
from golive.registry.models import Base, UTCDateTime

ENTITY = "rollout"


class RolloutDecisionRow(Base):
    """One decision of a rollout: what was decided, at which instant, on which scorecard."""

    __tablename__ = "rollout_decisions"
    __table_args__ = (Index(None, "rollout", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    rollout: Mapped[str] = mapped_column(Text)
    spec_name: Mapped[str] = mapped_column(Text)
    flag: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(Text)
    decision: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    wave: Mapped[int] = mapped_column(Integer)
    percentage: Mapped[int] = mapped_column(Integer)
    wave_started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    scorecard_sha256: Mapped[str | None] = mapped_column(CHAR(64), nullable=True)
    reason: Mapped[str] = mapped_column(Text)
    detail: Mapped[str] = mapped_column(Text)


@dataclass(frozen=True)
class Decision:
    """A rollout decision as recorded; ``wave`` is 1-based, 0 before the first wave."""

    rollout: str
    spec_name: str
    flag: str
    at: datetime
    actor: str
    decision: str
    status: str
    wave: int
    percentage: int
    wave_started_at: datetime
    scorecard_sha256: str | None
    reason: str
    detail: dict[str, Any]
    id: int | None = None
    recorded_at: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        """The decision as JSON (times in RFC 3339)."""
        return {
            "id": self.id,
            "rollout": self.rollout,
            "spec_name": self.spec_name,
            "flag": self.flag,
            "at": rfc3339(self.at),
            "actor": self.actor,
            "decision": self.decision,
            "status": self.status,
            "wave": self.wave,
            "percentage": self.percentage,
            "wave_started_at": rfc3339(self.wave_started_at),
            "scorecard_sha256": self.scorecard_sha256,
            "reason": self.reason,
            "detail": self.detail,
        }


def record_decision(session: Session, decision: Decision, *, now: datetime) -> Decision:
    """Append ``decision`` and its audit entry in the caller's write transaction."""
    now = as_utc(now, "the clock's time")
    row = RolloutDecisionRow(
        rollout=decision.rollout,
        spec_name=decision.spec_name,
        flag=decision.flag,
        at=as_utc(decision.at, "decision instant"),
        recorded_at=now,
        actor=decision.actor,
        decision=decision.decision,
        status=decision.status,
        wave=decision.wave,
        percentage=decision.percentage,
        wave_started_at=as_utc(decision.wave_started_at, "wave start"),
        scorecard_sha256=decision.scorecard_sha256,
        reason=decision.reason,
        detail=canonical_json(decision.detail).decode("utf-8"),
    )
    session.add(row)
    session.flush()
    append_audit(
        session,
        action=f"rollout.{decision.decision}",
        entity=ENTITY,
        entity_id=decision.rollout,
        payload={
            "decision_id": row.id,
            "flag": decision.flag,
            "status": decision.status,
            "wave": decision.wave,
            "percentage": decision.percentage,
            "scorecard_sha256": decision.scorecard_sha256,
            "reason": decision.reason,
        },
        actor=decision.actor,
        at=now,
    )
    return _decision(row)


def latest_decision(session: Session, rollout: str) -> Decision | None:
    """The rollout's most recent decision (its current state), or None if it never started."""
    row = session.scalar(
        select(RolloutDecisionRow)
        .where(RolloutDecisionRow.rollout == rollout)
        .order_by(RolloutDecisionRow.id.desc())
        .limit(1)
    )
    return None if row is None else _decision(row)


def list_decisions(registry: Registry, rollout: str, *, limit: int = 1000) -> list[Decision]:
    """The rollout's decisions, oldest first (the last ``limit``)."""
    query = (
        select(RolloutDecisionRow)
        .where(RolloutDecisionRow.rollout == rollout)
        .order_by(RolloutDecisionRow.id.desc())
        .limit(limit)
    )
    with registry.read() as session:
        return [_decision(r) for r in reversed(session.scalars(query).all())]


def _decision(row: RolloutDecisionRow) -> Decision:
    return Decision(
        id=row.id,
        rollout=row.rollout,
        spec_name=row.spec_name,
        flag=row.flag,
        at=row.at,
        recorded_at=row.recorded_at,
        actor=row.actor,
        decision=row.decision,
        status=row.status,
        wave=row.wave,
        percentage=row.percentage,
        wave_started_at=row.wave_started_at,
        scorecard_sha256=row.scorecard_sha256,
        reason=row.reason,
        detail=json.loads(row.detail),
    )
