"""The flag store: flags kept in the registry, every change in the audit chain.

A flag is stored as the JSON of :class:`golive.flags.Flag` (the ``golive.flags/v1``
shape), so the store and the files applications load describe a flag the same
way, through the flags library's own loader. The table holds the current
definition; the history is the audit chain: each create, set and import appends
an entry ``{change, old, new}`` with who and when, in the same transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, Text, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from golive.canonical import canonical_json, digest, hashes_to
from golive.errors import NotFoundError, RegistryError, UsageError
from golive.flags.formats import parse_flags
from golive.flags.model import Flag, export_document
from golive.registry.audit import append_audit
from golive.registry.database import Registry
from golive.registry.instants import Clock, as_utc, utc_now
from golive.registry.models import AuditLog, Base, UTCDateTime

ENTITY = "flag"
CREATED, UPDATED = "flag.created", "flag.updated"


class FlagRow(Base):
    """The current definition of one flag (the audit chain keeps every earlier one)."""

    __tablename__ = "flags"

    name: Mapped[str] = mapped_column(Text, primary_key=True)
    definition: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(Text)


@dataclass(frozen=True)
class StoredFlag:
    """A flag as the store keeps it, with its version and who changed it last."""

    flag: Flag
    version: int
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str


@dataclass(frozen=True)
class FlagChange:
    """One change of a flag, read back from the audit chain."""

    seq: int
    at: datetime
    actor: str
    action: str
    change: str
    old: dict[str, Any] | None
    new: dict[str, Any]


def create_flag(
    registry: Registry, flag: Flag, *, actor: str, clock: Clock = utc_now
) -> StoredFlag:
    """Store a new flag; a flag of that name already stored is a UsageError."""
    flag = _validated(flag)
    with registry.write() as session:
        if session.get(FlagRow, flag.name) is not None:
            raise UsageError(
                f"flag {flag.name!r} already exists; change it with `golive flags set {flag.name}`"
            )
        return _insert(session, flag, actor, as_utc(clock(), "the clock's time"), "create")


def update_flag(
    registry: Registry,
    name: str,
    change: Callable[[Flag], Flag],
    *,
    actor: str,
    what: str = "set",
    clock: Clock = utc_now,
) -> tuple[StoredFlag, bool]:
    """Apply ``change`` to flag ``name`` and store it; also whether anything changed.

    An unchanged definition writes nothing (no version, no audit entry).
    """
    with registry.write() as session:
        return change_flag(
            session, name, change, actor=actor, what=what, now=as_utc(clock(), "the clock's time")
        )


def change_flag(
    session: Session,
    name: str,
    change: Callable[[Flag], Flag],
    *,
    actor: str,
    what: str,
    now: datetime,
) -> tuple[StoredFlag, bool]:
    """:func:`update_flag` inside the caller's write transaction (a rollout decision and
    the flag change it makes are written together)."""
    row = _row(session, name)
    old = _flag_of(row)
    new = _validated(change(old))
    if new.name != name:
        raise UsageError(f"a change cannot rename flag {name!r} to {new.name!r}")
    if new == old:
        return _stored(row), False
    _update(session, row, old, new, actor, now, what)
    return _stored(row), True


def get_flag(registry: Registry, name: str) -> StoredFlag:
    """The stored flag ``name``; NotFoundError naming the flags that exist."""
    with registry.read() as session:
        return _stored(_row(session, name))


def list_flags(registry: Registry) -> list[StoredFlag]:
    """Every stored flag, by name (each checked against its last audit entry)."""
    with registry.read() as session:
        rows = session.scalars(select(FlagRow).order_by(FlagRow.name)).all()
        _check_recorded(session, rows)
        return [_stored(r) for r in rows]


def export_flags(registry: Registry) -> dict[str, Any]:
    """The store as a ``golive.flags/v1`` document, which ``FlagClient`` loads."""
    return export_document([s.flag for s in list_flags(registry)])


Definitions = tuple[tuple[str, str], ...]


def flag_definitions(registry: Registry) -> Definitions:
    """Every stored flag's name and definition (canonical JSON), by name, each checked
    against its last audit entry: what :func:`export_of` makes the export of.

    The export is a function of these alone, so a caller may keep what it derives
    from them (an ETag, a rendered body) keyed by them, and read only these again.
    """
    with registry.read() as session:
        rows = session.scalars(select(FlagRow).order_by(FlagRow.name)).all()
        _check_recorded(session, rows)
        return tuple((r.name, r.definition) for r in rows)


def export_of(definitions: Definitions) -> dict[str, Any]:
    """The ``golive.flags/v1`` document of :func:`flag_definitions`' answer (what
    :func:`export_flags` answers for the same store)."""
    return export_document([_parsed(name, definition) for name, definition in definitions])


def import_flags(
    registry: Registry, flags: Iterable[Flag], *, actor: str, clock: Clock = utc_now
) -> dict[str, list[str]]:
    """Create or replace each flag, in one transaction; the names created, updated, unchanged."""
    result: dict[str, list[str]] = {"created": [], "updated": [], "unchanged": []}
    flags = [_validated(f) for f in flags]
    with registry.write() as session:
        now = as_utc(clock(), "the clock's time")
        for flag in flags:
            row = session.get(FlagRow, flag.name)
            if row is not None:
                _check_recorded(session, [row])
            if row is None:
                _insert(session, flag, actor, now, "import")
                result["created"].append(flag.name)
                continue
            old = _flag_of(row)
            if old == flag:
                result["unchanged"].append(flag.name)
                continue
            _update(session, row, old, flag, actor, now, "import")
            result["updated"].append(flag.name)
    return result


def flag_history(registry: Registry, name: str) -> list[FlagChange]:
    """Every change of flag ``name``, oldest first, from the audit chain."""
    query = (
        select(AuditLog)
        .where(AuditLog.entity == ENTITY, AuditLog.entity_id == name)
        .order_by(AuditLog.seq)
    )
    with registry.read() as session:
        _row(session, name)
        changes = []
        for entry in session.scalars(query):
            payload = json.loads(entry.payload)
            changes.append(
                FlagChange(
                    seq=entry.seq,
                    at=entry.at,
                    actor=entry.actor,
                    action=entry.action,
                    change=str(payload.get("change", "")),
                    old=payload.get("old"),
                    new=payload["new"],
                )
            )
        return changes


def _validated(flag: Flag) -> Flag:
    """The flag as the library's loader reads it back: what is stored always loads."""
    (loaded,) = parse_flags(export_document([flag]), source=f"flag {flag.name!r}")
    return loaded


def _insert(session: Session, flag: Flag, actor: str, now: datetime, what: str) -> StoredFlag:
    row = FlagRow(
        name=flag.name,
        definition=_definition(flag),
        version=1,
        created_at=now,
        created_by=actor,
        updated_at=now,
        updated_by=actor,
    )
    session.add(row)
    session.flush()
    _audit(session, CREATED, None, flag, actor, now, what, version=1)
    return _stored(row)


def _update(
    session: Session, row: FlagRow, old: Flag, new: Flag, actor: str, now: datetime, what: str
) -> None:
    row.definition = _definition(new)
    row.version += 1
    row.updated_at, row.updated_by = now, actor
    session.flush()
    _audit(session, UPDATED, old, new, actor, now, what, version=row.version)


def _audit(
    session: Session,
    action: str,
    old: Flag | None,
    new: Flag,
    actor: str,
    now: datetime,
    what: str,
    *,
    version: int,
) -> None:
    append_audit(
        session,
        action=action,
        entity=ENTITY,
        entity_id=new.name,
        payload={
            "change": what,
            "version": version,
            "old": None if old is None else old.to_dict(),
            "new": new.to_dict(),
            "sha256": digest(new.to_dict()),
        },
        actor=actor,
        at=now,
    )


def _definition(flag: Flag) -> str:
    return canonical_json(flag.to_dict()).decode("utf-8")


def _flag_of(row: FlagRow) -> Flag:
    return _parsed(row.name, row.definition)


def _parsed(name: str, definition: str) -> Flag:
    (flag,) = parse_flags(
        {"schema": "golive.flags/v1", "flags": [json.loads(definition)]},
        source=f"stored flag {name!r}",
    )
    return flag


def _row(session: Session, name: str) -> FlagRow:
    row = session.get(FlagRow, name)
    if row is None:
        names = list(session.scalars(select(FlagRow.name).order_by(FlagRow.name).limit(20)))
        known = ", ".join(names) if names else "none yet"
        raise NotFoundError(
            f"no flag {name!r} in the registry (flags: {known}); "
            f"create it with `golive flags create {name}`"
        )
    _check_recorded(session, [row])
    return row


def _check_recorded(session: Session, rows: Iterable[FlagRow]) -> None:
    """Refuse a flag whose row is not what its last audit entry recorded.

    The table holds only the current definition and is written in place, so this is
    what catches a flag changed behind golive's back (an UPDATE at 100%, say): it is
    never served, exported or built upon.
    """
    rows = list(rows)
    if not rows:
        return
    last = (
        select(func.max(AuditLog.seq))
        .where(AuditLog.entity == ENTITY, AuditLog.entity_id.in_([r.name for r in rows]))
        .group_by(AuditLog.entity_id)
    )
    entries = session.execute(
        select(AuditLog.entity_id, AuditLog.payload).where(AuditLog.seq.in_(last))
    )
    recorded = {name: json.loads(payload) for name, payload in entries}
    for row in rows:
        entry = recorded.get(row.name)
        if entry is None:
            problem = "it has no audit entry"
        elif entry.get("version") != row.version:
            recorded_version = entry.get("version")
            problem = f"it is version {row.version}, its last audit entry says {recorded_version}"
        elif not hashes_to(row.definition, str(entry.get("sha256"))):
            problem = "its definition differs from the one its last audit entry records"
        else:
            continue
        raise RegistryError(
            f"flag {row.name!r} was changed outside golive: {problem}; it is not served. "
            "Run `golive audit verify`, then restore it with `golive flags import` or `set`"
        )


def _stored(row: FlagRow) -> StoredFlag:
    return StoredFlag(
        flag=_flag_of(row),
        version=row.version,
        created_at=row.created_at,
        created_by=row.created_by,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )
