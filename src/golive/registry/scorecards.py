"""Record and look up scorecards (``golive.scorecard/v1`` documents) in the registry."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, select

from golive.canonical import canonical_json, digest, hashes_to
from golive.errors import NotFoundError, RegistryError, UsageError
from golive.registry.audit import append_audit
from golive.registry.database import Registry
from golive.registry.documents import SCHEMA, ScorecardFacts, scorecard_facts
from golive.registry.instants import Clock, as_utc, utc_now
from golive.registry.models import CheckResult, Scorecard

MIN_PREFIX = 8
NEWEST_FIRST = (Scorecard.evaluated_at.desc(), Scorecard.id.desc())
_HEX = re.compile(r"[0-9a-f]+")


@dataclass(frozen=True)
class StoredScorecard:
    """A scorecard as the registry keeps it; ``document`` is the scorecard JSON itself."""

    id: int
    sha256: str
    spec_name: str
    spec_path: str
    spec_sha256: str
    evaluated_at: datetime
    recorded_at: datetime
    recorded_by: str
    ready: bool
    score: float
    trace_id: str | None
    document: dict[str, Any]


def record_scorecard(
    registry: Registry,
    document: dict[str, Any],
    *,
    actor: str,
    clock: Clock = utc_now,
    trace_id: str | None = None,
) -> StoredScorecard:
    """Store ``document`` with its check results and an audit entry, in one transaction.

    Recording the same document again returns the row already stored and writes nothing.
    """
    facts = scorecard_facts(document)
    try:
        sha256 = digest(document)
    except ValueError as exc:  # rfc8785 refuses NaN, huge integers, non-JSON types
        raise UsageError(
            f"not a {SCHEMA} document: it has no canonical JSON form ({exc})"
        ) from None
    with registry.write() as session:
        existing = session.scalar(select(Scorecard).where(Scorecard.sha256 == sha256))
        if existing is not None:
            return _stored(existing, registry.url)
        now = as_utc(clock(), "the clock's time")
        row = _new_row(facts, document, sha256, actor, now, trace_id)
        session.add(row)
        session.flush()
        append_audit(
            session,
            action="scorecard.recorded",
            entity="scorecard",
            entity_id=sha256,
            payload={"spec_name": facts.spec_name, "ready": facts.ready, "score": facts.score},
            actor=actor,
            at=now,
        )
        return _stored(row, registry.url)


def list_scorecards(
    registry: Registry,
    *,
    spec_name: str | None = None,
    ready: bool | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[StoredScorecard]:
    """Scorecards newest evaluation first, filtered; ``since <= evaluated_at < until``."""
    if limit < 1:
        raise UsageError(f"limit must be at least 1, got {limit}")
    if offset < 0:
        raise UsageError(f"offset must be 0 or more, got {offset}")
    query = select(Scorecard)
    if spec_name is not None:
        query = query.where(Scorecard.spec_name == spec_name)
    if ready is not None:
        query = query.where(Scorecard.ready == ready)
    if since is not None:
        query = query.where(Scorecard.evaluated_at >= as_utc(since, "since"))
    if until is not None:
        query = query.where(Scorecard.evaluated_at < as_utc(until, "until"))
    with registry.read() as session:
        rows = session.scalars(query.order_by(*NEWEST_FIRST).limit(limit).offset(offset))
        return [_stored(row, registry.url) for row in rows]


def get_scorecard(registry: Registry, ref: int | str) -> StoredScorecard:
    """The scorecard with id ``ref``, sha256 ``ref``, or the one sha256 starting with ``ref``.

    A string of at least 8 hex digits is a sha256 prefix (even if it is all digits);
    a shorter string of digits is an id.
    """
    query = select(Scorecard).where(_ref_condition(ref)).order_by(Scorecard.id).limit(2)
    with registry.read() as session:
        rows = session.scalars(query).all()
        if not rows:
            raise NotFoundError(
                f"no scorecard {ref!r} in registry {registry.url}; "
                "`golive history` lists the ids and sha256 of those recorded"
            )
        if len(rows) > 1:
            raise UsageError(
                f"scorecard prefix {ref!r} is ambiguous: it matches {rows[0].sha256} and "
                f"{rows[1].sha256} (maybe more); give more characters"
            )
        return _stored(rows[0], registry.url)


def latest_scorecard(registry: Registry, spec_name: str) -> StoredScorecard | None:
    """The most recently evaluated scorecard of ``spec_name``, or None if there is none."""
    query = (
        select(Scorecard).where(Scorecard.spec_name == spec_name).order_by(*NEWEST_FIRST).limit(1)
    )
    with registry.read() as session:
        row = session.scalar(query)
        return None if row is None else _stored(row, registry.url)


def _ref_condition(ref: int | str) -> ColumnElement[bool]:
    if isinstance(ref, int) and not isinstance(ref, bool):
        return Scorecard.id == ref
    text = str(ref).strip().lower()
    if len(text) >= MIN_PREFIX and _HEX.fullmatch(text):
        if len(text) == 64:
            return Scorecard.sha256 == text
        if len(text) < 64:
            # Hex digits only (checked above), so the prefix holds no LIKE wildcard.
            return Scorecard.sha256.startswith(text)
    if text.isdigit() and len(text) < MIN_PREFIX:
        return Scorecard.id == int(text)
    raise UsageError(
        f"invalid scorecard reference {ref!r}; expected an id (a number such as 17), "
        f"a sha256, or a sha256 prefix of at least {MIN_PREFIX} hex characters"
    )


def _new_row(
    facts: ScorecardFacts,
    document: dict[str, Any],
    sha256: str,
    actor: str,
    now: datetime,
    trace_id: str | None,
) -> Scorecard:
    return Scorecard(
        sha256=sha256,
        spec_name=facts.spec_name,
        spec_path=facts.spec_path,
        spec_sha256=facts.spec_sha256,
        evaluated_at=facts.evaluated_at,
        recorded_at=now,
        recorded_by=actor,
        ready=facts.ready,
        score=facts.score,
        trace_id=trace_id,
        document=canonical_json(document).decode("utf-8"),
        checks=[
            CheckResult(
                check_id=check.id,
                status=check.status,
                observed=check.observed,
                required=check.required,
            )
            for check in facts.checks
        ],
    )


def _stored(row: Scorecard, url: str) -> StoredScorecard:
    """The row as a dataclass, once its columns are shown to agree with its own document.

    Rows are append-only in the database; this catches an edit made past the triggers,
    so nothing downstream (history, the gate) ever acts on an altered scorecard.
    """
    if not hashes_to(row.document, row.sha256):
        raise _altered(row, url, f"its document no longer hashes to {row.sha256}")
    document = json.loads(row.document)
    facts = scorecard_facts(document)
    columns = {
        "spec_name": (row.spec_name, facts.spec_name),
        "spec_path": (row.spec_path, facts.spec_path),
        "spec_sha256": (row.spec_sha256, facts.spec_sha256),
        "evaluated_at": (row.evaluated_at, facts.evaluated_at),
        "ready": (row.ready, facts.ready),
        "score": (row.score, facts.score),
    }
    for column, (stored, documented) in columns.items():
        if stored != documented:
            raise _altered(row, url, f"{column} is {stored!r} but its document says {documented!r}")
    return StoredScorecard(
        id=row.id,
        sha256=row.sha256,
        spec_name=row.spec_name,
        spec_path=row.spec_path,
        spec_sha256=row.spec_sha256,
        evaluated_at=row.evaluated_at,
        recorded_at=row.recorded_at,
        recorded_by=row.recorded_by,
        ready=row.ready,
        score=row.score,
        trace_id=row.trace_id,
        document=document,
    )


def _altered(row: Scorecard, url: str, what: str) -> RegistryError:
    return RegistryError(
        f"scorecard {row.id} in registry {url} was altered after it was recorded: {what}; "
        "do not rely on it: evaluate the spec again, and run `golive audit verify`"
    )
