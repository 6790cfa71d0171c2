"""``POST /api/v1/alerts``: Alertmanager's webhook recorded, incidents opened as the spec says."""

from __future__ import annotations

import json

import pytest

from golive.governance.incidents import list_incidents
from golive.registry import list_alerts
from golive.registry.models import AuditLog
from golive.registry.tokens import Role
from golive.spec.governance import IncidentPolicy

from .conftest import Api, alertmanager_webhook

URL = "/api/v1/alerts"


def _audit_count(api: Api) -> int:
    with api.registry.read() as session:
        return session.query(AuditLog).count()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"version": "3"}, "version", "Input should be '4'"),
        ({"alerts": [{"status": "firing"}]}, "alerts[0].labels", "Field required"),
        ({"alerts": "none"}, "alerts", "Input should be a valid list"),
    ],
)
def test_a_bad_payload_is_422_naming_the_field_and_writes_nothing(
    api: Api, change: dict[str, object], field: str, message: str
) -> None:
    api.app.state.incident_policy = IncidentPolicy(open_on=["critical"])
    before = _audit_count(api)
    body = {**alertmanager_webhook(), **change}
    response = api.client.post(URL, json=body, headers=api.auth(Role.ENGINEER))
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert {"field": field, "message": message} in response.json()["errors"]
    assert list_alerts(api.registry) == []
    assert list_incidents(api.registry) == []
    assert _audit_count(api) == before


@pytest.mark.parametrize(
    ("escaped", "message"),
    [
        ("\\u0000", "contains a NUL character"),
        ("\\ud800", "is not valid Unicode (a lone surrogate)"),
    ],
)
def test_text_no_database_can_store_is_422_on_every_database(
    api: Api, escaped: str, message: str
) -> None:
    body = json.dumps(alertmanager_webhook()).replace("5xx above 20%", f"bad {escaped}")
    headers = {**api.auth(Role.ENGINEER), "content-type": "application/json"}
    response = api.client.post(URL, content=body.encode(), headers=headers)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "alerts[0].annotations.summary", "message": message}
    ]
    assert list_alerts(api.registry) == []


def test_a_bad_alert_among_good_ones_records_none_of_them(api: Api) -> None:
    body = alertmanager_webhook()
    body["alerts"][1]["startsAt"] = "yesterday"
    response = api.client.post(URL, json=body, headers=api.auth(Role.ENGINEER))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "alerts[1].startsAt"
    assert list_alerts(api.registry) == []


def test_without_a_policy_alerts_are_recorded_and_no_incident_opens(api: Api) -> None:
    response = api.client.post(URL, json=alertmanager_webhook(), headers=api.auth(Role.ENGINEER))
    assert response.status_code == 200
    answer = response.json()
    assert (answer["received"], answer["recorded"]) == (2, 2)
    assert answer["incidents"] == {"opened": [], "resolved": []}
    assert [(a.fingerprint, a.status) for a in list_alerts(api.registry)] == [
        ("c0ffee0000000001", "firing"),
        ("c0ffee0000000002", "resolved"),
    ]
    assert list_incidents(api.registry) == []


def test_a_critical_alert_opens_an_incident_once_and_its_resolution_resolves_it(
    api: Api,
) -> None:
    api.app.state.incident_policy = IncidentPolicy(open_on=["critical"])
    auth = api.auth(Role.ENGINEER)
    first = api.client.post(URL, json=alertmanager_webhook(), headers=auth).json()
    assert first["incidents"] == {"opened": ["INC-1"], "resolved": []}
    again = api.client.post(URL, json=alertmanager_webhook(), headers=auth).json()
    assert (again["recorded"], again["incidents"]) == (0, {"opened": [], "resolved": []})
    (incident,) = list_incidents(api.registry)
    assert (incident.title, incident.severity, incident.commander, incident.open) == (
        "alert HighErrorRate firing: 5xx above 20%",
        "sev2",
        "token:engineer",
        True,
    )
    resolved = alertmanager_webhook()
    resolved["status"] = "resolved"
    resolved["alerts"][0].update(status="resolved", endsAt="2025-12-17T10:20:00Z")
    answer = api.client.post(URL, json=resolved, headers=auth).json()
    assert answer["incidents"] == {"opened": [], "resolved": ["INC-1"]}
    assert not list_incidents(api.registry)[0].open
