"""API tokens and their revocations, both append-only.

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from golive.registry.migrations.append_only import append_only_triggers
from golive.registry.models import UTCDateTime

revision = "0004"
down_revision = "0001"
branch_labels = None
depends_on = None

_ROLES = "'viewer', 'engineer', 'approver', 'admin'"
APPEND_ONLY = ("api_tokens", "api_token_revocations")


def upgrade() -> None:
    """Create api_tokens and api_token_revocations, both append-only."""
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("sha256", sa.CHAR(64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_api_tokens"),
        sa.UniqueConstraint("name", name="uq_api_tokens_name"),
        sa.UniqueConstraint("sha256", name="uq_api_tokens_sha256"),
        sa.CheckConstraint(f"role IN ({_ROLES})", name="ck_api_tokens_role"),
    )
    op.create_table(
        "api_token_revocations",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("revoked_at", UTCDateTime(), nullable=False),
        sa.Column("revoked_by", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_api_token_revocations"),
        sa.ForeignKeyConstraint(
            ["name"], ["api_tokens.name"], name="fk_api_token_revocations_name_api_tokens"
        ),
    )
    dialect = op.get_bind().dialect.name
    for table in APPEND_ONLY:
        for statement in append_only_triggers(table, dialect):
            op.execute(statement)


def downgrade() -> None:
    """Drop the two token tables (their triggers go with them)."""
    op.drop_table("api_token_revocations")
    op.drop_table("api_tokens")
