"""Alerts received from Alertmanager, one row per state an alert was seen in (append-only).

An alert is identified by Alertmanager's ``fingerprint``; each firing or resolved
notification of it that differs from what is already stored becomes a row, keyed by
the SHA-256 of its canonical JSON, so Alertmanager's repeated notifications are
recorded once. Every row is written with its audit entry (``alert.received``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import CHAR, CheckConstraint, Index, Integer, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from golive.canonical import canonical_json, digest
from golive.registry.database import Registry
from golive.registry.instants import Clock, as_utc, rfc3339, utc_now
from golive.registry.models import Base, UTCDateTime

ALERT_STATUSES = ("firing", "resolved")


class AlertEvent(Base):
    """One firing or resolved state of an alert, as Alertmanager delivered it."""

    __tablename__ = "alert_events"
    __table_args__ = (
        CheckConstraint("status IN ('firing', 'resolved')", name="status"),
        Index(None, "fingerprint"),
        Index(None, "starts_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sha256: Mapped[str] = mapped_column(CHAR(64), unique=True)
    fingerprint: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    alertname: Mapped[str | None] = mapped_column(Text, nullable=True)
    severity: Mapped[str | None] = mapped_column(Text, nullable=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    receiver: Mapped[str] = mapped_column(Text)
    document: Mapped[str] = mapped_column(Text)


@dataclass(frozen=True)
class Alert:
    """One alert state to record: what Alertmanager said about one alert."""

    fingerprint: str
    status: str
    labels: dict[str, str]
    annotations: dict[str, str]
    starts_at: datetime
    ends_at: datetime | None
    generator_url: str | None = None

    def document(self) -> dict[str, Any]:
        """The alert as JSON (its identity is this document's digest)."""
        return {
            "fingerprint": self.fingerprint,
            "status": self.status,
            "labels": self.labels,
            "annotations": self.annotations,
            "starts_at": rfc3339(self.starts_at),
            "ends_at": None if self.ends_at is None else rfc3339(self.ends_at),
            "generator_url": self.generator_url,
        }


@dataclass(frozen=True)
class StoredAlert:
    """An alert state as the registry keeps it."""

    id: int
    sha256: str
    fingerprint: str
    status: str
    alertname: str | None
    severity: str | None
    labels: dict[str, str]
    annotations: dict[str, str]
    starts_at: datetime
    ends_at: datetime | None
    received_at: datetime
    receiver: str
    new: bool  # False when the same state was recorded before


def record_alerts(
    registry: Registry,
    alerts: list[Alert],
    *,
    receiver: str,
    actor: str,
    clock: Clock = utc_now,
) -> list[StoredAlert]:
    """Store each alert state not stored yet, with its audit entry, in one transaction."""
    # Imported here: audit.py imports this module's model to match rows with entries.
    from golive.registry.audit import append_audit

    stored: list[StoredAlert] = []
    with registry.write() as session:
        now = as_utc(clock(), "the clock's time")
        for alert in alerts:
            document = alert.document()
            sha256 = digest(document)
            existing = session.scalar(select(AlertEvent).where(AlertEvent.sha256 == sha256))
            if existing is not None:
                stored.append(_stored(existing, new=False))
                continue
            row = AlertEvent(
                sha256=sha256,
                fingerprint=alert.fingerprint,
                status=alert.status,
                alertname=alert.labels.get("alertname"),
                severity=alert.labels.get("severity"),
                starts_at=as_utc(alert.starts_at, "startsAt"),
                ends_at=None if alert.ends_at is None else as_utc(alert.ends_at, "endsAt"),
                received_at=now,
                receiver=receiver,
                document=canonical_json(document).decode("utf-8"),
            )
            session.add(row)
            session.flush()
            append_audit(
                session,
                action="alert.received",
                entity="alert",
                entity_id=sha256,
                payload={
                    "fingerprint": alert.fingerprint,
                    "status": alert.status,
                    "alertname": row.alertname,
                },
                actor=actor,
                at=now,
            )
            stored.append(_stored(row, new=True))
    return stored


def list_alerts(registry: Registry) -> list[StoredAlert]:
    """Every recorded alert state, oldest first."""
    with registry.read() as session:
        rows = session.scalars(select(AlertEvent).order_by(AlertEvent.id))
        return [_stored(row, new=False) for row in rows]


def _stored(row: AlertEvent, *, new: bool) -> StoredAlert:
    document = json.loads(row.document)
    return StoredAlert(
        id=row.id,
        sha256=row.sha256,
        fingerprint=row.fingerprint,
        status=row.status,
        alertname=row.alertname,
        severity=row.severity,
        labels=document["labels"],
        annotations=document["annotations"],
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        received_at=row.received_at,
        receiver=row.receiver,
        new=new,
    )
