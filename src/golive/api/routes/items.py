"""The items register: read it (viewer), block and unblock an item (engineer), promote one
(approver, signed by the client).

The register's items live in the spec, so each request carries the spec's text; reading
is a ``POST`` for that reason and writes nothing. Status is computed by the library from
evidence; READY_FOR_GO_LIVE comes only from a promotion the library accepts (every
required check passes, a reviewer other than the owner signed it).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request

from golive.api.auth import actor_of, registry_of, require
from golive.api.errors import field_problem
from golive.api.governance_schemas import Document, ItemBlock, PromotionIn, SpecBody
from golive.api.specs import request_spec
from golive.errors import BadSignature
from golive.governance.items import (
    block,
    item_register,
    item_status,
    promotion_terms,
    record_promotion,
    unblock,
)
from golive.governance.keys import load_public_key
from golive.registry import Registry
from golive.registry.instants import parse_rfc3339
from golive.registry.tokens import Role, TokenInfo

router = APIRouter(prefix="/items", tags=["items"])
ITEM = Path(description="The item id, such as UC-003.", pattern=r"^[^\x00]+$")


@router.post("/register", response_model=list[Document])
def register(
    body: SpecBody,
    request: Request,
    registry: Registry = Depends(registry_of),
    _token: TokenInfo = Depends(require(Role.VIEWER)),
) -> list[dict[str, Any]]:
    """The register, as ``golive item list --json`` prints it (records nothing)."""
    return [row.as_json() for row in item_register(registry, request_spec(request, body.spec))]


@router.post("/{item}/block", response_model=Document)
def block_item(
    item: Annotated[str, ITEM],
    body: ItemBlock,
    request: Request,
    registry: Registry = Depends(registry_of),
    token: TokenInfo = Depends(require(Role.ENGINEER)),
) -> dict[str, Any]:
    """Mark the item BLOCKED until it is unblocked; answers its register row."""
    spec = request_spec(request, body.spec)
    block(registry, spec, item, body.reason, actor=actor_of(token))
    return item_status(registry, spec, item).as_json()


@router.post("/{item}/unblock", response_model=Document)
def unblock_item(
    item: Annotated[str, ITEM],
    body: SpecBody,
    request: Request,
    registry: Registry = Depends(registry_of),
    token: TokenInfo = Depends(require(Role.ENGINEER)),
) -> dict[str, Any]:
    """Lift the item's block; its status is computed from evidence again."""
    spec = request_spec(request, body.spec)
    unblock(registry, spec, item, actor=actor_of(token))
    return item_status(registry, spec, item).as_json()


@router.post("/{item}/promotions", status_code=201, response_model=Document)
def promote_item(
    item: Annotated[str, ITEM],
    body: PromotionIn,
    request: Request,
    registry: Registry = Depends(registry_of),
    token: TokenInfo = Depends(require(Role.APPROVER)),
) -> dict[str, Any]:
    """Verify and record a promotion (``golive item promote``); the item reads
    READY_FOR_GO_LIVE while every check it requires passes."""
    spec = request_spec(request, body.spec)
    with field_problem("public_key"):
        public = load_public_key(body.public_key, "public_key")
    terms = promotion_terms(
        registry,
        spec,
        item,
        public=public,
        actor=actor_of(token),
        at=parse_rfc3339(body.at, "at"),
    )
    with field_problem("signature", BadSignature):
        return record_promotion(registry, spec, terms, body.signature, public=public)
