"""Alerts received from Alertmanager (append-only).

Revision ID: 0005
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from golive.registry.migrations.append_only import append_only_triggers
from golive.registry.models import UTCDateTime

revision = "0005"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create alert_events, append-only."""
    op.create_table(
        "alert_events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("sha256", sa.CHAR(64), nullable=False),
        sa.Column("fingerprint", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("alertname", sa.Text(), nullable=True),
        sa.Column("severity", sa.Text(), nullable=True),
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("ends_at", UTCDateTime(), nullable=True),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("receiver", sa.Text(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_alert_events"),
        sa.UniqueConstraint("sha256", name="uq_alert_events_sha256"),
        sa.CheckConstraint("status IN ('firing', 'resolved')", name="ck_alert_events_status"),
    )
    op.create_index("ix_alert_events_fingerprint", "alert_events", ["fingerprint"])
    op.create_index("ix_alert_events_starts_at", "alert_events", ["starts_at"])
    # The PostgreSQL function the triggers call was created by revision 0001.
    for statement in append_only_triggers("alert_events", op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    """Drop alert_events."""
    op.drop_table("alert_events")
