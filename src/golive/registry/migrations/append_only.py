"""SQL for tables whose rows can be inserted but never changed: used by the revisions.

The rule lives in the database, not only in golive's code, so it holds whoever
connects: an UPDATE or DELETE (and on PostgreSQL a TRUNCATE) raises. Revision
0001 creates the PostgreSQL function once; a later revision that adds an
append-only table only calls :func:`append_only_triggers` for it.
"""

from __future__ import annotations

REFUSE_FUNCTION = "golive_refuse_change"

CREATE_REFUSE_FUNCTION = f"""
CREATE FUNCTION {REFUSE_FUNCTION}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is refused', TG_TABLE_NAME, TG_OP;
END;
$$
"""

DROP_REFUSE_FUNCTION = f"DROP FUNCTION {REFUSE_FUNCTION}() CASCADE"


def append_only_triggers(table: str, dialect: str) -> list[str]:
    """The statements that make ``table`` refuse UPDATE and DELETE on ``dialect``."""
    if dialect == "sqlite":
        return [
            f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {verb} is refused'); END"
            for verb in ("UPDATE", "DELETE")
        ]
    if dialect == "postgresql":
        return [
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {REFUSE_FUNCTION}()",
            # TRUNCATE skips row triggers, so it needs a statement trigger of its own.
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {REFUSE_FUNCTION}()",
        ]
    raise ValueError(f"no append-only triggers for the {dialect!r} database")
