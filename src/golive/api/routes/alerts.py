"""``POST /alerts``: Alertmanager's webhook (payload version 4), recorded as evidence.

Each alert state is recorded once (:func:`golive.observe.intake.receive_alertmanager`);
a firing alert whose severity is in the served spec's ``governance.incidents.open_on``
opens an incident, and its resolution resolves it
(:func:`golive.governance.alert_incidents.incidents_from_alerts`). Alertmanager sends
an engineer token with ``http_config.authorization``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Request
from pydantic import BaseModel

from golive.api.auth import actor_of, registry_of, require
from golive.governance.alert_incidents import incidents_from_alerts
from golive.observe.intake import WebhookPayload, receive_alertmanager
from golive.registry import Registry
from golive.registry.tokens import Role, TokenInfo

router = APIRouter(prefix="/alerts", tags=["alerts"])


class AlertState(BaseModel):
    """One alert of the notification and whether its state was new to the registry."""

    fingerprint: str
    status: str
    sha256: str
    new: bool


class IncidentChanges(BaseModel):
    """Incidents the notification opened and resolved (ids such as ``INC-3``)."""

    opened: list[str]
    resolved: list[str]


class AlertsReceived(BaseModel):
    """What one webhook call recorded."""

    received: int
    recorded: int
    alerts: list[AlertState]
    incidents: IncidentChanges


@router.post("", response_model=AlertsReceived)
def receive(
    request: Request,
    payload: Annotated[WebhookPayload, Body(description="Alertmanager's webhook body")],
    registry: Registry = Depends(registry_of),
    token: TokenInfo = Depends(require(Role.ENGINEER)),
) -> AlertsReceived:
    """Record the alerts; open or resolve incidents as ``governance.incidents`` says."""
    actor = actor_of(token)
    intake = receive_alertmanager(registry, payload, actor=actor)
    changes = incidents_from_alerts(
        registry, intake.alerts, request.app.state.incident_policy, actor=actor
    )
    return AlertsReceived.model_validate(
        {
            **intake.as_json(),
            "incidents": {"opened": changes.opened, "resolved": changes.resolved},
        }
    )
