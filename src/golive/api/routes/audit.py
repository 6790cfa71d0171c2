"""``/audit/verify``: recompute the registry's hash-chained audit log."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Depends

from golive.api.auth import registry_of, require
from golive.api.schemas import AuditVerification
from golive.registry import Registry, verify_audit
from golive.registry.tokens import Role, TokenInfo

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("/verify", response_model=AuditVerification)
def verify(
    registry: Registry = Depends(registry_of),
    _token: TokenInfo = Depends(require(Role.VIEWER)),
) -> AuditVerification:
    """Recompute the chain: ``ok`` true when intact, else the first broken entry and why."""
    return AuditVerification(**asdict(verify_audit(registry)))
