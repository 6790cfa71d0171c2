"""Alembic environment: runs the revisions on the connection ``open_registry`` passes in.

golive never reads an ``alembic.ini``; :func:`golive.registry.database.migrate`
builds the Config in code and hands over a connection already inside the
serialised write transaction, so two processes cannot migrate at once.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from golive.registry.models import Base


def run_migrations_online() -> None:
    """Run every pending revision on the connection given in ``config.attributes``."""
    connection = context.config.attributes.get("connection")
    if not isinstance(connection, Connection):
        raise RuntimeError(
            "golive migrations run through golive.registry.open_registry(url), "
            "which passes the connection in; there is no alembic.ini"
        )
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
