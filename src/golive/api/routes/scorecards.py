"""Upload, list and fetch scorecards (``golive.scorecard/v1``)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any, Protocol

from fastapi import APIRouter, Body, Depends, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from sqlalchemy import ColumnElement, func, select

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
    record_scorecard,
)
from golive.registry.instants import parse_rfc3339, rfc3339
from golive.registry.models import Scorecard
from golive.registry.scorecards import NEWEST_FIRST
from golive.registry.tokens import Role, TokenInfo

router = APIRouter(prefix="/scorecards", tags=["scorecards"])
SUMMARY_COLUMNS = (
    Scorecard.id,
    Scorecard.sha256,
    Scorecard.spec_name,
    Scorecard.spec_path,
    Scorecard.evaluated_at,
    Scorecard.recorded_at,
    Scorecard.recorded_by,
    Scorecard.ready,
    Scorecard.score,
)
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
    # Recording waits for the registry's write lock: in the thread pool, not on the loop.
    before = await run_in_threadpool(_existing, registry, raw)
    stored = await run_in_threadpool(record_scorecard, registry, raw, actor=actor_of(token))
    if before:
        response.status_code = 200
    response.headers["Location"] = f"{request.url.path}/{stored.sha256}"
    return _with_document(stored)


@router.get("", response_model=ScorecardPage)
async def listing(
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
    """Scorecards newest evaluation first, filtered, one page at a time, with the total.

    The page is read from the indexed columns; fetching one scorecard also checks
    its document against its sha256.
    """
    start = _instant(since, "since")
    end = _instant(until, "until")
    conditions = _conditions(spec, ready, start, end)
    page = (
        select(*SUMMARY_COLUMNS)
        .where(*conditions)
        .order_by(*NEWEST_FIRST)
        .limit(limit)
        .offset(offset)
    )
    # Two statements: a scorecard recorded between them may make the total one ahead of
    # the page (on PostgreSQL each read statement takes its own snapshot).
    with registry.read() as session:
        total = session.scalar(select(func.count()).select_from(Scorecard).where(*conditions))
        rows = session.execute(page).all()
    return ScorecardPage(
        total=int(total or 0),
        limit=limit,
        offset=offset,
        items=[_summary(row) for row in rows],
    )


@router.get("/{ref}", response_model=StoredScorecardOut)
async def fetch(
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


def _conditions(
    spec: str | None,
    ready: bool | None,
    since: datetime | None,
    until: datetime | None,
) -> list[ColumnElement[bool]]:
    """The filters, with the meaning ``list_scorecards`` gives them (since <= t < until)."""
    conditions: list[ColumnElement[bool]] = []
    if spec is not None:
        conditions.append(Scorecard.spec_name == spec)
    if ready is not None:
        conditions.append(Scorecard.ready == ready)
    if since is not None:
        conditions.append(Scorecard.evaluated_at >= since)
    if until is not None:
        conditions.append(Scorecard.evaluated_at < until)
    return conditions


def _existing(registry: Registry, document: dict[str, Any]) -> bool:
    """Whether this exact document is recorded already (so the upload answers 200, not 201)."""
    try:
        get_scorecard(registry, digest(document))
    except (NotFoundError, ValueError):  # ValueError: no canonical form; recording says why
        return False
    return True


class _Summarised(Protocol):
    """What a listing row and a stored scorecard both have: the indexed columns."""

    @property
    def id(self) -> int: ...
    @property
    def sha256(self) -> str: ...
    @property
    def spec_name(self) -> str: ...
    @property
    def spec_path(self) -> str: ...
    @property
    def evaluated_at(self) -> datetime: ...
    @property
    def recorded_at(self) -> datetime: ...
    @property
    def recorded_by(self) -> str: ...
    @property
    def ready(self) -> bool: ...
    @property
    def score(self) -> float: ...


def _summary(stored: _Summarised) -> ScorecardSummary:
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
