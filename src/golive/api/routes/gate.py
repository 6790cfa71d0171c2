"""``POST /releases/{version}/gate``: the go/no-go decision, recorded as ``golive gate`` does."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request

from golive.api.auth import actor_of, registry_of, require
from golive.api.governance_schemas import Document, SpecBody
from golive.api.specs import request_spec
from golive.governance.gate import decide
from golive.registry import Registry
from golive.registry.tokens import Role, TokenInfo

router = APIRouter(prefix="/releases", tags=["gate"])


@router.post("/{version}/gate", response_model=Document)
def gate(
    version: Annotated[str, Path(pattern=r"^[^\x00]+$")],
    body: SpecBody,
    request: Request,
    registry: Registry = Depends(registry_of),
    token: TokenInfo = Depends(require(Role.ENGINEER)),
) -> dict[str, Any]:
    """Judge every rule now, record the ``golive.gate-decision/v1`` and answer it (200 whether
    allowed or denied: ``allowed`` says which, as `golive gate --json` prints it)."""
    spec = request_spec(request, body.spec)
    return decide(registry, spec, version, actor=actor_of(token))
