"""``/me`` for any token; listing, creating and revoking tokens for admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from golive.api.auth import actor_of, caller, registry_of, require
from golive.api.schemas import Me, TokenCreate, TokenCreated, TokenOut
from golive.registry import Registry
from golive.registry.instants import rfc3339
from golive.registry.tokens import (
    Role,
    TokenInfo,
    create_token,
    list_tokens,
    revoke_token,
)

router = APIRouter(tags=["tokens"])
_NAME = Path(description="The token's name.", pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


@router.get("/me", response_model=Me)
async def me(token: TokenInfo = Depends(caller)) -> Me:
    """The name and role of the token this request carries."""
    return Me(name=token.name, role=token.role.value)


@router.get("/tokens", response_model=list[TokenOut])
def tokens(
    registry: Registry = Depends(registry_of),
    _token: TokenInfo = Depends(require(Role.ADMIN)),
) -> list[TokenOut]:
    """Every token, revoked ones too (admin)."""
    return [_out(info) for info in list_tokens(registry)]


@router.post("/tokens", status_code=201, response_model=TokenCreated)
def create(
    body: TokenCreate,
    registry: Registry = Depends(registry_of),
    token: TokenInfo = Depends(require(Role.ADMIN)),
) -> TokenCreated:
    """Create a token (admin); the answer holds its secret, which is shown only here."""
    created = create_token(registry, body.name, Role(body.role), actor=actor_of(token))
    return TokenCreated(**_out(created.info).model_dump(), token=created.token)


@router.delete("/tokens/{name}", response_model=TokenOut)
def revoke(
    name: Annotated[str, _NAME],
    registry: Registry = Depends(registry_of),
    token: TokenInfo = Depends(require(Role.ADMIN)),
) -> TokenOut:
    """Revoke a token (admin): from now on it authenticates nothing."""
    return _out(revoke_token(registry, name, actor=actor_of(token)))


def _out(info: TokenInfo) -> TokenOut:
    return TokenOut(
        name=info.name,
        role=info.role.value,
        created_at=rfc3339(info.created_at),
        created_by=info.created_by,
        revoked_at=None if info.revoked_at is None else rfc3339(info.revoked_at),
        revoked_by=info.revoked_by,
    )
