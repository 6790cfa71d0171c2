"""``/flags``: the flags export that ``FlagClient.from_url`` polls, and the admin's edits.

``GET /flags`` answers the ``golive.flags/v1`` document ``golive flags export`` writes,
with a strong ``ETag`` (the SHA-256 of its canonical JSON): a poller that sends it back
in ``If-None-Match`` gets ``304 Not Modified`` until a flag changes. Creating and
changing flags go through the same library as ``golive flags create|set``, so every
change lands in the audit chain with the token as actor.

Pollers ask far more often than flags change, so each request reads the stored
definitions (checked against the audit chain, as every export is) and the ETag
and body made from them are kept keyed by those definitions: a change to any
flag is a new key at once, on every replica, and nothing is kept for a time.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Response
from fastapi.responses import JSONResponse

from golive.api.auth import actor_of, registry_of, require
from golive.api.governance_schemas import Document, FlagCreate, FlagOut, FlagSet
from golive.canonical import digest
from golive.registry import Registry
from golive.registry.flag_edits import flag_edit, new_flag, parse_constraint
from golive.registry.flags import (
    Definitions,
    StoredFlag,
    create_flag,
    export_of,
    flag_definitions,
    update_flag,
)
from golive.registry.instants import rfc3339
from golive.registry.tokens import Role, TokenInfo

router = APIRouter(prefix="/flags", tags=["flags"])
FLAG = Path(description="The flag's name.", pattern=r"^[^\x00/]+$", max_length=200)


# async: a poll is two short indexed reads, answered on the event loop like the other
# hot reads (golive.api.auth); under load the hop to the thread pool cost more than them.
@router.get(
    "",
    response_model=Document,
    responses={304: {"description": "Not modified: the ETag sent in If-None-Match still holds."}},
)
async def export(
    if_none_match: Annotated[str | None, Header(max_length=10_000)] = None,
    registry: Registry = Depends(registry_of),
    _token: TokenInfo = Depends(require(Role.VIEWER)),
) -> Response:
    """Every flag as ``golive.flags/v1`` (what ``FlagClient.from_url`` loads), with an ETag."""
    etag, body = _rendered(flag_definitions(registry))
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if if_none_match is not None and _matches(if_none_match, etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=JSONResponse.media_type, headers=headers)


@lru_cache(maxsize=16)
def _rendered(definitions: Definitions) -> tuple[str, bytes]:
    """The ETag and JSON body of the export of ``definitions`` (kept by them: see above)."""
    document = export_of(definitions)
    return f'"{digest(document)}"', bytes(JSONResponse(document).body)


@router.post("", status_code=201, response_model=FlagOut)
def create(
    body: FlagCreate,
    registry: Registry = Depends(registry_of),
    token: TokenInfo = Depends(require(Role.ADMIN)),
) -> FlagOut:
    """Create a flag (admin), as ``golive flags create`` does: off and at 0% unless told."""
    flag = new_flag(
        body.name,
        description=body.description,
        strategy=body.strategy,
        rollout=body.rollout,
        stickiness=body.stickiness,
        group_id=body.group_id,
        user_ids=body.user_ids,
        constraints=tuple(parse_constraint(c) for c in body.constraints),
        enabled=body.enabled,
    )
    return _out(create_flag(registry, flag, actor=actor_of(token)), changed=True)


@router.patch("/{name}", response_model=FlagOut)
def change(
    name: Annotated[str, FLAG],
    body: FlagSet,
    registry: Registry = Depends(registry_of),
    token: TokenInfo = Depends(require(Role.ADMIN)),
) -> FlagOut:
    """Change a flag (admin), as ``golive flags set`` does; ``changed`` is false when the
    definition was already so (nothing is written then)."""
    edit = flag_edit(
        enabled=body.enabled,
        rollout=body.rollout,
        stickiness=body.stickiness,
        group_id=body.group_id,
        constraints=tuple(parse_constraint(c) for c in body.constraints),
        clear_constraints=body.clear_constraints,
        description=body.description,
    )
    stored, changed = update_flag(registry, name, edit, actor=actor_of(token))
    return _out(stored, changed=changed)


def _matches(if_none_match: str, etag: str) -> bool:
    """RFC 9110's weak comparison, which ``If-None-Match`` uses; ``*`` matches any."""
    tags = [t.strip() for t in if_none_match.split(",")]
    return "*" in tags or any(t.removeprefix("W/") == etag for t in tags)


def _out(stored: StoredFlag, *, changed: bool) -> FlagOut:
    document: dict[str, Any] = stored.flag.to_dict()
    return FlagOut(
        flag=document,
        version=stored.version,
        created_at=rfc3339(stored.created_at),
        created_by=stored.created_by,
        updated_at=rfc3339(stored.updated_at),
        updated_by=stored.updated_by,
        changed=changed,
    )
