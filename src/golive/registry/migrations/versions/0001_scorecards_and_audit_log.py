"""Scorecards, their check results, and the audit log; all three append-only.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from golive.registry.migrations.append_only import (
    CREATE_REFUSE_FUNCTION,
    DROP_REFUSE_FUNCTION,
    append_only_triggers,
)
from golive.registry.models import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_STATUSES = "'pass', 'warn', 'fail', 'no_data', 'error', 'waived'"

# Recorded facts are never edited: scorecards, their checks and the audit log refuse
# UPDATE and DELETE in the database itself.
APPEND_ONLY = ("scorecards", "check_results", "audit_log")


def upgrade() -> None:
    """Create scorecards, check_results and audit_log, all three append-only."""
    op.create_table(
        "scorecards",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("sha256", sa.CHAR(64), nullable=False),
        sa.Column("spec_name", sa.Text(), nullable=False),
        sa.Column("spec_path", sa.Text(), nullable=False),
        sa.Column("spec_sha256", sa.CHAR(64), nullable=False),
        sa.Column("evaluated_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by", sa.Text(), nullable=False),
        sa.Column("ready", sa.Boolean(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("trace_id", sa.Text(), nullable=True),
        sa.Column("document", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_scorecards"),
        sa.UniqueConstraint("sha256", name="uq_scorecards_sha256"),
    )
    op.create_index("ix_scorecards_evaluated_at", "scorecards", ["evaluated_at"])
    op.create_index(
        "ix_scorecards_spec_name_evaluated_at", "scorecards", ["spec_name", "evaluated_at"]
    )

    op.create_table(
        "check_results",
        sa.Column("scorecard_id", sa.Integer(), nullable=False),
        sa.Column("check_id", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("observed", sa.Float(), nullable=True),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("scorecard_id", "check_id", name="pk_check_results"),
        sa.ForeignKeyConstraint(
            ["scorecard_id"],
            ["scorecards.id"],
            name="fk_check_results_scorecard_id_scorecards",
        ),
        sa.CheckConstraint(f"status IN ({_STATUSES})", name="ck_check_results_status"),
    )
    op.create_index("ix_check_results_check_id", "check_results", ["check_id"])

    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("entity", sa.Text(), nullable=False),
        sa.Column("entity_id", sa.Text(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.CHAR(64), nullable=False),
        sa.Column("hash", sa.CHAR(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_audit_log"),
        sa.UniqueConstraint("hash", name="uq_audit_log_hash"),
    )
    op.create_index("ix_audit_log_entity_entity_id", "audit_log", ["entity", "entity_id"])

    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(CREATE_REFUSE_FUNCTION)
    for table in APPEND_ONLY:
        for statement in append_only_triggers(table, dialect):
            op.execute(statement)


def downgrade() -> None:
    """Drop everything revision 0001 created."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(DROP_REFUSE_FUNCTION)
    op.drop_table("audit_log")
    op.drop_table("check_results")
    op.drop_table("scorecards")
