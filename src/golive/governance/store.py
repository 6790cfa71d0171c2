"""Writing and reading governance rows: a document, its digest, and its audit entry."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from golive.canonical import canonical_json, digest, hashes_to
from golive.errors import RegistryError, UsageError
from golive.registry.audit import append_audit
from golive.registry.governance import GovernanceRow

Row = TypeVar("Row", bound=GovernanceRow)


def add(
    session: Session,
    row: Row,
    document: dict[str, Any],
    *,
    entity: str,
    summary: dict[str, Any],
    actor: str,
    at: datetime,
) -> Row:
    """Insert ``row`` holding ``document`` and append its audit entry, in one transaction.

    The same document twice (a retried request, a record imported again) is refused with
    a message rather than left to the unique index, which would read as a database fault.
    """
    row.sha256 = digest(document)
    kind = type(row)
    if session.scalar(select(kind.id).where(kind.sha256 == row.sha256)) is not None:
        raise UsageError(
            f"this {entity.replace('_', ' ')} is already recorded (sha256 {row.sha256[:16]}); "
            "nothing was written"
        )
    row.document = canonical_json(document).decode("utf-8")
    row.recorded_at = at
    row.recorded_by = actor
    session.add(row)
    session.flush()
    append_audit(
        session,
        action=f"{entity}.recorded",
        entity=entity,
        entity_id=row.sha256,
        payload=summary,
        actor=actor,
        at=at,
    )
    return row


def document_of(row: GovernanceRow, what: str) -> dict[str, Any]:
    """The row's document, once it is shown to still hash to the row's sha256."""
    if not hashes_to(row.document, row.sha256):
        raise RegistryError(
            f"{what} {row.sha256[:16]} was altered after it was recorded: its document no "
            "longer hashes to its sha256; run `golive audit verify`"
        )
    document: dict[str, Any] = json.loads(row.document)
    return document
