"""Incidents over HTTP: open, resolve, postmortem, as ``golive incident`` does."""

from __future__ import annotations

from golive.governance.incidents import get_incident
from golive.registry.tokens import Role

from .conftest import Api

URL = "/api/v1/incidents"


def test_an_unknown_severity_is_422_and_opens_nothing(api: Api) -> None:
    response = api.client.post(
        URL, json={"title": "down", "severity": "sev9"}, headers=api.auth(Role.ENGINEER)
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "severity"
    assert api.client.get(URL, headers=api.auth(Role.VIEWER)).json() == []


def test_unknown_incident_is_404_and_postmortem_of_an_open_one_is_400(api: Api) -> None:
    missing = api.client.get(f"{URL}/INC-7", headers=api.auth(Role.VIEWER))
    assert missing.status_code == 404
    api.client.post(
        URL, json={"title": "down", "severity": "sev2"}, headers=api.auth(Role.ENGINEER)
    )
    early = api.client.post(
        f"{URL}/INC-1/postmortem", json={"root_cause": "bad flag"}, headers=api.auth(Role.ENGINEER)
    )
    assert early.status_code == 400
    assert early.json()["detail"] == "INC-1 is still open; resolve it before its postmortem"


def test_open_resolve_and_postmortem(api: Api) -> None:
    opened = api.client.post(
        URL,
        json={"title": "checkout returns 500", "severity": "sev2"},
        headers=api.auth(Role.ENGINEER),
    )
    assert opened.status_code == 201, opened.text
    assert opened.json()["id"] == "INC-1"
    assert opened.json()["commander"] == "token:engineer"
    resolved = api.client.post(
        f"{URL}/INC-1/resolve", json={"summary": "rolled back"}, headers=api.auth(Role.ENGINEER)
    )
    assert resolved.status_code == 200
    assert resolved.json()["resolved_at"] is not None
    again = api.client.post(
        f"{URL}/INC-1/resolve", json={"summary": "twice"}, headers=api.auth(Role.ENGINEER)
    )
    assert again.status_code == 400
    postmortem = api.client.post(
        f"{URL}/INC-1/postmortem",
        json={"root_cause": "a bad flag", "actions": ["alert on 5xx"]},
        headers=api.auth(Role.ENGINEER),
    )
    assert postmortem.status_code == 201, postmortem.text
    body = postmortem.json()
    assert "a bad flag" in body["markdown"]
    assert "alert on 5xx" in body["markdown"]
    assert body["incident"]["postmortem_at"] is not None
    assert get_incident(api.registry, "INC-1").postmortem_at is not None
    listed = api.client.get(URL, headers=api.auth(Role.VIEWER)).json()
    assert [i["id"] for i in listed] == ["INC-1"]
