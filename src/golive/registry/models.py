"""The registry's tables as typed SQLAlchemy models.

The schema itself is owned by the Alembic revisions in ``migrations/versions``;
these models describe the same tables for queries and must be kept in step (a
test compares them). New capabilities (releases, approvals, ...) add a model
here and a new revision beside ``0001``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    CHAR,
    Boolean,
    CheckConstraint,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Text,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from golive.registry.instants import as_utc

CHECK_STATUSES = ("pass", "warn", "fail", "no_data", "error", "waived")

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC instant that reads back aware on SQLite and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        utc = as_utc(value, "a registry timestamp")
        # SQLite has no zone-aware type: store naive UTC text, which still sorts in time order.
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime from the database, got {value!r}")
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base of every registry model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Scorecard(Base):
    """One evaluated scorecard, identified by the SHA-256 of its canonical JSON."""

    __tablename__ = "scorecards"
    __table_args__ = (Index(None, "spec_name", "evaluated_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sha256: Mapped[str] = mapped_column(CHAR(64), unique=True)
    spec_name: Mapped[str] = mapped_column(Text)
    spec_path: Mapped[str] = mapped_column(Text)
    spec_sha256: Mapped[str] = mapped_column(CHAR(64))
    evaluated_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(Text)
    ready: Mapped[bool] = mapped_column(Boolean)
    score: Mapped[float] = mapped_column(Float)
    trace_id: Mapped[str | None] = mapped_column(Text, nullable=True)
    document: Mapped[str] = mapped_column(Text)

    checks: Mapped[list[CheckResult]] = relationship(back_populates="scorecard")


class CheckResult(Base):
    """One check's outcome in a scorecard, kept as columns so history can be queried per check."""

    __tablename__ = "check_results"
    __table_args__ = (
        CheckConstraint(
            "status IN (" + ", ".join(f"'{s}'" for s in CHECK_STATUSES) + ")", name="status"
        ),
        Index(None, "check_id"),
    )

    scorecard_id: Mapped[int] = mapped_column(ForeignKey("scorecards.id"), primary_key=True)
    check_id: Mapped[str] = mapped_column(Text, primary_key=True)
    status: Mapped[str] = mapped_column(Text)
    observed: Mapped[float | None] = mapped_column(Float, nullable=True)
    required: Mapped[bool] = mapped_column(Boolean)

    scorecard: Mapped[Scorecard] = relationship(back_populates="checks")


class AuditLog(Base):
    """One entry of the append-only, hash-chained audit log (see ``registry/audit.py``)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index(None, "entity", "entity_id"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(Text)
    entity: Mapped[str] = mapped_column(Text)
    entity_id: Mapped[str] = mapped_column(Text)
    payload: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(CHAR(64))
    hash: Mapped[str] = mapped_column(CHAR(64), unique=True)
