"""Scorecards, their check results, and the append-only audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from golive.registry.models import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_STATUSES = "'pass', 'warn', 'fail', 'no_data', 'error', 'waived'"

# The audit log is append-only in the database itself, not only in golive's code:
# an UPDATE, DELETE (or, on PostgreSQL, TRUNCATE) is refused whoever issues it.
_SQLITE_TRIGGERS = (
    """
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE is refused'); END
    """,
    """
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: DELETE is refused'); END
    """,
)
_POSTGRESQL_TRIGGERS = (
    """
    CREATE FUNCTION golive_audit_log_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % is refused', TG_OP;
    END;
    $$
    """,
    """
    CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION golive_audit_log_append_only()
    """,
    """
    CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION golive_audit_log_append_only()
    """,
)


def upgrade() -> None:
    """Create scorecards, check_results and audit_log with its append-only triggers."""
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
    for statement in _SQLITE_TRIGGERS if dialect == "sqlite" else _POSTGRESQL_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    """Drop everything revision 0001 created."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION golive_audit_log_append_only() CASCADE")
    op.drop_table("audit_log")
    op.drop_table("check_results")
    op.drop_table("scorecards")
