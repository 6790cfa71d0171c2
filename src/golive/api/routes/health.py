"""``/healthz`` (the process answers) and ``/readyz`` (the registry answers): no token needed."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy import text

from golive.api.auth import registry_of
from golive.api.schemas import Health
from golive.registry import Registry

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    """Liveness: the process is up and answering."""
    return Health(status="ok")


@router.get("/readyz", response_model=Health, responses={503: {"description": "unreachable"}})
async def readyz(registry: Registry = Depends(registry_of)) -> Health:
    """Readiness: the registry database answers a query (503 with a problem body if not)."""
    with registry.read() as session:
        session.execute(text("SELECT 1"))
    return Health(status="ok")
