"""The items register: read it (viewer), block and unblock an item (engineer).

The register's items live in the spec, so each request carries the spec's text; reading
is a ``POST`` for that reason and writes nothing. Status is computed by the library from
evidence; READY_FOR_GO_LIVE comes only from a signed promotion (``golive item promote``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request

from golive.api.auth import actor_of, registry_of, require
from golive.api.governance_schemas import Document, ItemBlock, SpecBody
from golive.api.specs import request_spec
from golive.governance.items import block, item_register, item_status, unblock
from golive.registry import Registry
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
