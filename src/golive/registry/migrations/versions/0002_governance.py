"""Governance: releases, approvals, waivers, rehearsals, incident and item events, gates.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from golive.registry.migrations.append_only import append_only_triggers
from golive.registry.models import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# (table, its own columns, indexes): every table also has id, sha256, recorded_at,
# recorded_by and document, and is append-only.
TABLES: tuple[tuple[str, list[sa.Column[object]], list[list[str]]], ...] = (
    (
        "releases",
        [
            sa.Column("version", sa.Text(), nullable=False),
            sa.Column("revision", sa.Integer(), nullable=False),
            sa.Column("spec_name", sa.Text(), nullable=False),
        ],
        [],
    ),
    (
        "approvals",
        [
            sa.Column("version", sa.Text(), nullable=False),
            sa.Column("manifest_sha256", sa.CHAR(64), nullable=False),
            sa.Column("approver", sa.Text(), nullable=False),
        ],
        [["version"]],
    ),
    (
        "waivers",
        [
            sa.Column("spec_name", sa.Text(), nullable=False),
            sa.Column("check_id", sa.Text(), nullable=False),
            sa.Column("expires_at", UTCDateTime(), nullable=False),
        ],
        [["spec_name", "check_id"]],
    ),
    (
        "rehearsals",
        [
            sa.Column("status", sa.Text(), nullable=False),
            sa.Column("performed_at", UTCDateTime(), nullable=False),
        ],
        [["performed_at"]],
    ),
    (
        "incident_events",
        [
            sa.Column("incident", sa.Text(), nullable=False),
            sa.Column("kind", sa.Text(), nullable=False),
            sa.Column("at", UTCDateTime(), nullable=False),
        ],
        [["incident"]],
    ),
    (
        "item_events",
        [
            sa.Column("spec_name", sa.Text(), nullable=False),
            sa.Column("item", sa.Text(), nullable=False),
            sa.Column("kind", sa.Text(), nullable=False),
        ],
        [["spec_name", "item"]],
    ),
    (
        "gate_decisions",
        [
            sa.Column("version", sa.Text(), nullable=False),
            sa.Column("allowed", sa.Boolean(), nullable=False),
        ],
        [["version"]],
    ),
)


def upgrade() -> None:
    """Create the governance tables, all append-only."""
    dialect = op.get_bind().dialect.name
    for table, columns, indexes in TABLES:
        extra = (
            [sa.UniqueConstraint("version", "revision", name="uq_releases_version_revision")]
            if table == "releases"
            else []
        )
        op.create_table(
            table,
            *columns,
            sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
            sa.Column("sha256", sa.CHAR(64), nullable=False),
            sa.Column("recorded_at", UTCDateTime(), nullable=False),
            sa.Column("recorded_by", sa.Text(), nullable=False),
            sa.Column("document", sa.Text(), nullable=False),
            sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
            sa.UniqueConstraint("sha256", name=f"uq_{table}_sha256"),
            *extra,
        )
        for names in indexes:
            op.create_index(f"ix_{table}_{'_'.join(names)}", table, names)
        for statement in append_only_triggers(table, dialect):
            op.execute(statement)


def downgrade() -> None:
    """Drop everything revision 0002 created."""
    for table, _columns, _indexes in reversed(TABLES):
        op.drop_table(table)
