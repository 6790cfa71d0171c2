"""Rollback rehearsals done elsewhere (``golive rehearsal import`` over HTTP), and the latest."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from golive.api.auth import actor_of, registry_of, require
from golive.api.governance_schemas import Document, RehearsalIn
from golive.governance.rehearsals import list_rehearsals, parse_rehearsal, record_rehearsal
from golive.registry import Registry
from golive.registry.tokens import Role, TokenInfo

router = APIRouter(prefix="/rehearsals", tags=["rehearsals"])


@router.post("", status_code=201, response_model=Document)
def record(
    body: RehearsalIn,
    registry: Registry = Depends(registry_of),
    token: TokenInfo = Depends(require(Role.ENGINEER)),
) -> dict[str, Any]:
    """Record a drill: ``rollback_ok`` only when ``after_checksum`` equals ``before_checksum``."""
    document = parse_rehearsal(body.model_dump(exclude_none=True), "rehearsal")
    return record_rehearsal(registry, document, actor=actor_of(token))


@router.get("", response_model=list[Document])
def listing(
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    registry: Registry = Depends(registry_of),
    _token: TokenInfo = Depends(require(Role.VIEWER)),
) -> list[dict[str, Any]]:
    """The most recently performed rehearsals, newest first."""
    return list_rehearsals(registry, limit=limit)
