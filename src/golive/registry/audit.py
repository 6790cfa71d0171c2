"""The append-only audit log, chained by hash.

Each entry is the JSON object ``{seq, at, actor, action, entity, entity_id,
payload}`` and its hash is ``sha256(prev_hash_hex + canonical_json(entry))``,
where ``prev_hash`` is the previous entry's hash (64 zeros for the first). An
entry edited after it was written no longer matches its hash; a removed or
reordered entry breaks the link or the sequence. Database triggers refuse
UPDATE and DELETE on the table; the chain catches whoever gets past them, and
matching each audited record to its entry catches records added or removed
behind golive's back.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from golive.canonical import canonical_json
from golive.registry.alerts import AlertEvent
from golive.registry.database import Registry, lock_writes
from golive.registry.governance import (
    Approval,
    GateDecision,
    IncidentEvent,
    ItemEvent,
    Rehearsal,
    Release,
    Waiver,
)
from golive.registry.instants import as_utc, rfc3339
from golive.registry.models import AuditLog, Scorecard
from golive.registry.tokens import ApiToken, TokenRevocation

GENESIS_HASH = "0" * 64
VERIFY_PAGE_SIZE = 1000


@dataclass(frozen=True)
class AuditEntry:
    """One audit entry as written, with its place in the chain."""

    seq: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    payload: dict[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class AuditReport:
    """The result of recomputing the chain: intact, or the first broken entry and why."""

    ok: bool
    entries: int
    first_broken_seq: int | None
    reason: str | None
    head_hash: str | None  # the last intact entry's hash; note it to detect a truncated log


def entry_hash(prev_hash: str, entry: dict[str, Any]) -> str:
    """The chain hash of ``entry`` following ``prev_hash``."""
    return hashlib.sha256(prev_hash.encode("ascii") + canonical_json(entry)).hexdigest()


def _entry_document(
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    payload: dict[str, Any],
) -> dict[str, Any]:
    return {
        "seq": seq,
        "at": rfc3339(at),
        "actor": actor,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "payload": payload,
    }


def append_audit(
    session: Session,
    *,
    action: str,
    entity: str,
    entity_id: str,
    payload: dict[str, Any],
    actor: str,
    at: datetime,
) -> AuditEntry:
    """Append an entry at the head of the chain, in the caller's (write) transaction."""
    lock_writes(session)
    at = as_utc(at, "audit time")
    head = session.execute(
        select(AuditLog.seq, AuditLog.hash).order_by(AuditLog.seq.desc()).limit(1)
    ).first()
    seq, prev_hash = (head.seq + 1, head.hash) if head else (1, GENESIS_HASH)
    document = _entry_document(seq, at, actor, action, entity, entity_id, payload)
    digest = entry_hash(prev_hash, document)
    session.add(
        AuditLog(
            seq=seq,
            at=at,
            actor=actor,
            action=action,
            entity=entity,
            entity_id=entity_id,
            payload=canonical_json(payload).decode("utf-8"),
            prev_hash=prev_hash,
            hash=digest,
        )
    )
    session.flush()
    return AuditEntry(seq, at, actor, action, entity, entity_id, payload, prev_hash, digest)


def verify_audit(registry: Registry, *, page_size: int = VERIFY_PAGE_SIZE) -> AuditReport:
    """Recompute the whole chain, a page at a time, and report the first broken entry.

    Once the chain holds, every audited record is matched against its entry: a
    record with no entry, or an entry whose record is gone, is reported too.
    """
    expected_seq, prev_hash, checked = 1, GENESIS_HASH, 0
    with registry.read() as session:
        while True:
            query = select(AuditLog).order_by(AuditLog.seq).limit(page_size)
            if checked:
                query = query.where(AuditLog.seq >= expected_seq)
            rows = session.scalars(query).all()
            if not rows:
                break
            for row in rows:
                reason = _check_row(row, expected_seq, prev_hash)
                if reason is not None:
                    head = prev_hash if checked else None
                    return AuditReport(False, checked, min(row.seq, expected_seq), reason, head)
                expected_seq, prev_hash, checked = row.seq + 1, row.hash, checked + 1
            session.expunge_all()
        head = prev_hash if checked else None
        for audited in AUDITED:
            problem = _unmatched(session, audited)
            if problem is not None:
                return AuditReport(False, checked, problem[0], problem[1], head)
    return AuditReport(True, checked, None, None, head)


@dataclass(frozen=True)
class Audited:
    """A table whose every row is written together with one audit entry naming its key."""

    entity: str
    action: str
    key: InstrumentedAttribute[str]


# Later capabilities (releases, approvals, ...) add their tables here.
AUDITED = (
    Audited("scorecard", "scorecard.recorded", Scorecard.sha256),
    Audited("release", "release.recorded", Release.sha256),
    Audited("approval", "approval.recorded", Approval.sha256),
    Audited("waiver", "waiver.recorded", Waiver.sha256),
    Audited("rehearsal", "rehearsal.recorded", Rehearsal.sha256),
    Audited("incident_event", "incident_event.recorded", IncidentEvent.sha256),
    Audited("item_event", "item_event.recorded", ItemEvent.sha256),
    Audited("gate_decision", "gate_decision.recorded", GateDecision.sha256),
    Audited("alert", "alert.received", AlertEvent.sha256),
    Audited("token", "token.created", ApiToken.name),
    Audited("token", "token.revoked", TokenRevocation.name),
)


def _unmatched(session: Session, audited: Audited) -> tuple[int | None, str] | None:
    """The first record without its audit entry, or entry without its record, if any."""
    entry = and_(
        AuditLog.entity == audited.entity,
        AuditLog.action == audited.action,
        AuditLog.entity_id == audited.key,
    )
    table = audited.key.class_
    orphan_key = session.scalar(
        select(audited.key).outerjoin(AuditLog, entry).where(AuditLog.seq.is_(None)).limit(1)
    )
    if orphan_key is not None:
        return (
            None,
            f"{audited.entity} {orphan_key} has no audit entry: it was not recorded through golive",
        )
    missing = session.execute(
        select(AuditLog.seq, AuditLog.entity_id)
        .where(AuditLog.entity == audited.entity, AuditLog.action == audited.action)
        .outerjoin(table, entry)
        .where(audited.key.is_(None))
        .order_by(AuditLog.seq)
        .limit(1)
    ).first()
    if missing is not None:
        return missing.seq, f"the {audited.entity} it records ({missing.entity_id}) is missing"
    return None


def _check_row(row: AuditLog, expected_seq: int, prev_hash: str) -> str | None:
    """Why ``row`` does not continue the chain, or None when it does."""
    if row.seq > expected_seq:
        return f"gap in seq: entry {expected_seq} is missing (the next entry is {row.seq})"
    if row.seq < expected_seq:
        return f"out of sequence: entry {row.seq} comes before entry {expected_seq}"
    if row.prev_hash != prev_hash:
        return "prev_hash mismatch"
    try:
        payload = json.loads(row.payload)
    except ValueError:
        return "payload is not valid JSON"
    if not isinstance(payload, dict):
        return "payload is not a JSON object"
    document = _entry_document(
        row.seq, row.at, row.actor, row.action, row.entity, row.entity_id, payload
    )
    if entry_hash(prev_hash, document) != row.hash:
        return "hash mismatch"
    return None
