"""Incidents: open, resolve, attach the postmortem (engineer); list and fetch (viewer)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path

from golive.api.auth import actor_of, registry_of, require
from golive.api.governance_schemas import Document, IncidentOpen, IncidentResolve, PostmortemIn
from golive.governance.incidents import (
    attach_postmortem,
    get_incident,
    list_incidents,
    open_incident,
    resolve_incident,
)
from golive.registry import Registry
from golive.registry.tokens import Role, TokenInfo

router = APIRouter(prefix="/incidents", tags=["incidents"])
INCIDENT = Path(description="The incident id, such as INC-3.", pattern=r"^INC-[1-9][0-9]{0,17}$")


@router.post("", status_code=201, response_model=Document)
def open_(
    body: IncidentOpen,
    registry: Registry = Depends(registry_of),
    token: TokenInfo = Depends(require(Role.ENGINEER)),
) -> dict[str, Any]:
    """Open an incident ``INC-<n>``; the token is its commander."""
    return open_incident(registry, body.title, body.severity, actor=actor_of(token)).as_json()


@router.get("", response_model=list[Document])
def listing(
    registry: Registry = Depends(registry_of),
    _token: TokenInfo = Depends(require(Role.VIEWER)),
) -> list[dict[str, Any]]:
    """Every incident, newest first, with its timeline."""
    return [incident.as_json() for incident in list_incidents(registry)]


@router.get("/{incident}", response_model=Document)
def fetch(
    incident: Annotated[str, INCIDENT],
    registry: Registry = Depends(registry_of),
    _token: TokenInfo = Depends(require(Role.VIEWER)),
) -> dict[str, Any]:
    """One incident and its timeline."""
    return get_incident(registry, incident).as_json()


@router.post("/{incident}/resolve", response_model=Document)
def resolve(
    incident: Annotated[str, INCIDENT],
    body: IncidentResolve,
    registry: Registry = Depends(registry_of),
    token: TokenInfo = Depends(require(Role.ENGINEER)),
) -> dict[str, Any]:
    """Resolve the incident; its postmortem falls due from now."""
    return resolve_incident(registry, incident, body.summary, actor=actor_of(token)).as_json()


@router.post("/{incident}/postmortem", status_code=201, response_model=Document)
def postmortem(
    incident: Annotated[str, INCIDENT],
    body: PostmortemIn,
    registry: Registry = Depends(registry_of),
    token: TokenInfo = Depends(require(Role.ENGINEER)),
) -> dict[str, Any]:
    """Render the postmortem Markdown, attach it to the resolved incident and answer both."""
    markdown = attach_postmortem(
        registry,
        incident,
        root_cause=body.root_cause,
        mitigations=body.mitigations,
        actions=body.actions,
        actor=actor_of(token),
    )
    return {"incident": get_incident(registry, incident).as_json(), "markdown": markdown}
