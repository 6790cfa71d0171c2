"""The governance tables: releases, approvals, waivers, rehearsals, incidents, items, gates.

Every table is append-only (revision 0002 adds the triggers): a change of state is
a new row, never an edit. Each row keeps the canonical JSON ``document`` it was made
from and that document's SHA-256, which its audit entry names.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CHAR, Boolean, Index, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from golive.registry.models import Base, UTCDateTime


class GovernanceRow:
    """Columns every governance row has: identity, the document, who wrote it and when.

    A mixin: each table below adds its own indexed columns.
    """

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sha256: Mapped[str] = mapped_column(CHAR(64), unique=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(Text)
    document: Mapped[str] = mapped_column(Text)


class Release(GovernanceRow, Base):
    """One revision of a release's manifest; ``sha256`` is the manifest digest approvers sign."""

    __tablename__ = "releases"
    __table_args__ = (UniqueConstraint("version", "revision"),)

    version: Mapped[str] = mapped_column(Text)
    revision: Mapped[int] = mapped_column(Integer)
    spec_name: Mapped[str] = mapped_column(Text)


class Approval(GovernanceRow, Base):
    """A signature over one manifest digest."""

    __tablename__ = "approvals"
    __table_args__ = (Index(None, "version"),)

    version: Mapped[str] = mapped_column(Text)
    manifest_sha256: Mapped[str] = mapped_column(CHAR(64))
    approver: Mapped[str] = mapped_column(Text)


class Waiver(GovernanceRow, Base):
    """A signed, expiring exemption of one check of one spec."""

    __tablename__ = "waivers"
    __table_args__ = (Index(None, "spec_name", "check_id"),)

    spec_name: Mapped[str] = mapped_column(Text)
    check_id: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Rehearsal(GovernanceRow, Base):
    """One rollback drill and its outcome."""

    __tablename__ = "rehearsals"

    status: Mapped[str] = mapped_column(Text)
    performed_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class IncidentEvent(GovernanceRow, Base):
    """One event of an incident: opened, note, resolved, postmortem."""

    __tablename__ = "incident_events"
    __table_args__ = (Index(None, "incident"),)

    incident: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class ItemEvent(GovernanceRow, Base):
    """One event of a register item: promoted (signed), blocked, unblocked."""

    __tablename__ = "item_events"
    __table_args__ = (Index(None, "spec_name", "item"),)

    spec_name: Mapped[str] = mapped_column(Text)
    item: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Text)


class GateDecision(GovernanceRow, Base):
    """A ``golive.gate-decision/v1`` document: the gate's verdict on a release."""

    __tablename__ = "gate_decisions"
    __table_args__ = (Index(None, "version"),)

    version: Mapped[str] = mapped_column(Text)
    allowed: Mapped[bool] = mapped_column(Boolean)
