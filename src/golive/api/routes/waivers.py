"""``POST /waivers``: record a waiver the approver signed elsewhere (``golive waive`` over HTTP).

The client builds the waiver's terms as docs/api.md shows, signs
``golive-waiver-v1:<sha256 of their canonical JSON>`` and sends the signature; the
server rebuilds the terms from the request with the library, refuses any the policy
does not allow, and verifies the signature over them before writing anything.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from golive.api.auth import actor_of, registry_of, require
from golive.api.errors import field_problem
from golive.api.governance_schemas import Document, WaiverIn
from golive.api.specs import request_spec
from golive.errors import BadSignature
from golive.governance.keys import load_public_key
from golive.governance.waivers import record_waiver, waiver_terms
from golive.registry import Registry
from golive.registry.instants import parse_rfc3339
from golive.registry.tokens import Role, TokenInfo

router = APIRouter(prefix="/waivers", tags=["waivers"])


@router.post("", status_code=201, response_model=Document)
def waive(
    body: WaiverIn,
    request: Request,
    registry: Registry = Depends(registry_of),
    token: TokenInfo = Depends(require(Role.APPROVER)),
) -> dict[str, Any]:
    """Verify and record a ``golive.waiver/v1``; until it expires the check reads ``waived``."""
    spec = request_spec(request, body.spec)
    with field_problem("public_key"):
        public = load_public_key(body.public_key, "public_key")
    terms = waiver_terms(
        registry,
        spec,
        body.check_id,
        reason=body.reason,
        created_at=parse_rfc3339(body.created_at, "created_at"),
        expires_at=parse_rfc3339(body.expires_at, "expires_at"),
        public=public,
        release=body.release,
    )
    with field_problem("signature", BadSignature):
        return record_waiver(
            registry, spec, terms, body.signature, public=public, actor=actor_of(token)
        )
