"""Upload, list and fetch scorecards (``golive.scorecard/v1``)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from sqlalchemy import func, select

from golive.api.auth import actor_of, registry_of, require
from golive.api.schemas import (
    ScorecardDocument,
    ScorecardPage,
    ScorecardSummary,
    StoredScorecardOut,
)
from golive.canonical import digest
from golive.errors import NotFoundError
from golive.registry import (
    Registry,
    StoredScorecard,
    get_scorecard,
    list_scorecards,
    record_scorecard,
)
from golive.registry.instants import as_utc, parse_rfc3339, rfc3339
from golive.registry.models import Scorecard
from golive.registry.tokens import Role, TokenInfo

router = APIRouter(prefix="/scorecards", tags=["scorecards"])
MAX_PAGE = 500
# Larger offsets than this overflow SQLite's integer and page past anything a registry holds.
MAX_OFFSET = 2**31 - 1


@router.post("", status_code=201, response_model=StoredScorecardOut)
async def upload(
    request: Request,
    response: Response,
    document: Annotated[ScorecardDocument, Body(description="`golive check --json` output")],
    registry: Registry = Depends(registry_of),
    token: TokenInfo = Depends(require(Role.ENGINEER)),
) -> StoredScorecardOut:
    """Record a scorecard; 201 when new, 200 when this exact document was already recorded."""
    # The validated model proves the shape; the registry keeps the bytes' JSON as sent, so
    # the sha256 is the one `golive check` printed.
    raw: dict[str, Any] = json.loads(await request.body())
    before = _existing(registry, raw)
    stored = record_scorecard(registry, raw, actor=actor_of(token))
    if before:
        response.status_code = 200
    response.headers["Location"] = f"{request.url.path}/{stored.sha256}"
    return _with_document(stored)


@router.get("", response_model=ScorecardPage)
def listing(
    spec: Annotated[
        str | None, Query(description="Only this spec name.", max_length=500, pattern=r"^[^\x00]*$")
    ] = None,
    ready: Annotated[bool | None, Query(description="Only ready (true) or not (false).")] = None,
    since: Annotated[
        str | None, Query(description="RFC 3339; evaluated at or after this instant.")
    ] = None,
    until: Annotated[
        str | None, Query(description="RFC 3339; evaluated before this instant.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    registry: Registry = Depends(registry_of),
    _token: TokenInfo = Depends(require(Role.VIEWER)),
) -> ScorecardPage:
    """Scorecards newest evaluation first, filtered, one page at a time, with the total."""
    start = _instant(since, "since")
    end = _instant(until, "until")
    items = list_scorecards(
        registry, spec_name=spec, ready=ready, since=start, until=end, limit=limit, offset=offset
    )
    total = _total(registry, spec, ready, start, end)
    return ScorecardPage(
        total=total, limit=limit, offset=offset, items=[_summary(s) for s in items]
    )


@router.get("/{ref}", response_model=StoredScorecardOut)
def fetch(
    ref: Annotated[str, Path(description="An id, a sha256, or a sha256 prefix (8+ hex).")],
    registry: Registry = Depends(registry_of),
    _token: TokenInfo = Depends(require(Role.VIEWER)),
) -> StoredScorecardOut:
    """One scorecard by id, sha256, or a sha256 prefix of 8 or more hex digits."""
    return _with_document(get_scorecard(registry, ref))


def _instant(value: str | None, field: str) -> datetime | None:
    if value is None:
        return None
    try:
        return parse_rfc3339(value, field)
    except ValueError as exc:
        # Answered like any other invalid query parameter: 422 naming it.
        error = {"loc": ("query", field), "msg": str(exc), "type": "value_error"}
        raise RequestValidationError([error]) from None


def _total(
    registry: Registry,
    spec: str | None,
    ready: bool | None,
    since: datetime | None,
    until: datetime | None,
) -> int:
    """How many scorecards match, with the filters ``list_scorecards`` applies."""
    query = select(func.count()).select_from(Scorecard)
    if spec is not None:
        query = query.where(Scorecard.spec_name == spec)
    if ready is not None:
        query = query.where(Scorecard.ready == ready)
    if since is not None:
        query = query.where(Scorecard.evaluated_at >= as_utc(since, "since"))
    if until is not None:
        query = query.where(Scorecard.evaluated_at < as_utc(until, "until"))
    with registry.read() as session:
        return int(session.scalar(query) or 0)


def _existing(registry: Registry, document: dict[str, Any]) -> bool:
    """Whether this exact document is recorded already (so the upload answers 200, not 201)."""
    try:
        get_scorecard(registry, digest(document))
    except (NotFoundError, ValueError):  # ValueError: no canonical form; recording says why
        return False
    return True


def _summary(stored: StoredScorecard) -> ScorecardSummary:
    return ScorecardSummary(
        id=stored.id,
        sha256=stored.sha256,
        spec_name=stored.spec_name,
        spec_path=stored.spec_path,
        evaluated_at=rfc3339(stored.evaluated_at),
        recorded_at=rfc3339(stored.recorded_at),
        recorded_by=stored.recorded_by,
        ready=stored.ready,
        score=stored.score,
    )


def _with_document(stored: StoredScorecard) -> StoredScorecardOut:
    return StoredScorecardOut(
        **_summary(stored).model_dump(),
        document=stored.document,
    )
