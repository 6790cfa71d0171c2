"""``POST /releases/{version}/approvals``: record an approval the approver signed elsewhere.

The server never holds private keys: the client signs ``golive-approval-v1:<manifest
sha256>`` with its ed25519 key and sends the signature and its public key line; the
server verifies it with the same function the CLI's approvals go through.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request

from golive.api.auth import actor_of, registry_of, require
from golive.api.errors import field_problem
from golive.api.governance_schemas import ApprovalIn, Document
from golive.api.specs import request_spec
from golive.errors import BadSignature
from golive.governance.approvals import record_approval
from golive.governance.keys import load_public_key
from golive.registry import Registry
from golive.registry.tokens import Role, TokenInfo

router = APIRouter(prefix="/releases", tags=["approvals"])


@router.post("/{version}/approvals", status_code=201, response_model=Document)
def approve(
    version: Annotated[str, Path(pattern=r"^[^\x00]+$")],
    body: ApprovalIn,
    request: Request,
    registry: Registry = Depends(registry_of),
    token: TokenInfo = Depends(require(Role.APPROVER)),
) -> dict[str, Any]:
    """Verify the signature over the current manifest and record the approval
    (``golive.approval/v1``); a signature that does not verify writes nothing."""
    spec = request_spec(request, body.spec)
    with field_problem("public_key"):
        public = load_public_key(body.public_key, "public_key")
    with field_problem("signature", BadSignature):
        return record_approval(
            registry,
            spec,
            version,
            public,
            body.signature,
            manifest_sha256=body.manifest_sha256,
            actor=actor_of(token),
        )
