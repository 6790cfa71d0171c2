"""Incidents opened and resolved by Alertmanager's alerts, as governance.incidents says."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from golive.errors import SpecError
from golive.governance.alert_incidents import (
    ALERTS_SPEC_ENV,
    incident_policy_from_env,
    incident_policy_of,
    incidents_from_alerts,
)
from golive.governance.incidents import get_incident, list_incidents, resolve_incident
from golive.registry import Registry, StoredAlert, record_alerts, verify_audit
from golive.registry.alerts import Alert
from golive.spec.governance import IncidentPolicy

STARTED = datetime(2025, 12, 17, 10, 0, tzinfo=UTC)
CRITICAL = IncidentPolicy(open_on=["critical"])


def _alert(
    registry: Registry,
    status: str = "firing",
    *,
    severity: str = "critical",
    fingerprint: str = "c0ffee01",
    starts_at: datetime = STARTED,
) -> list[StoredAlert]:
    ends_at = starts_at + timedelta(minutes=30) if status == "resolved" else None
    alert = Alert(
        fingerprint=fingerprint,
        status=status,
        labels={"alertname": "HighErrorRate", "severity": severity},
        annotations={"summary": "5xx above 20%"},
        starts_at=starts_at,
        ends_at=ends_at,
    )
    return record_alerts(registry, [alert], receiver="golive", actor="token:am")


def test_no_policy_opens_nothing(registry: Registry) -> None:
    changes = incidents_from_alerts(registry, _alert(registry), IncidentPolicy(), actor="am")
    assert (changes.opened, changes.resolved) == ([], [])
    assert list_incidents(registry) == []


def test_a_severity_not_listed_opens_nothing(registry: Registry) -> None:
    alerts = _alert(registry, severity="warning")
    assert incidents_from_alerts(registry, alerts, CRITICAL, actor="am").opened == []
    assert list_incidents(registry) == []


def test_a_resolution_with_no_incident_resolves_nothing(registry: Registry) -> None:
    alerts = _alert(registry, "resolved")
    assert incidents_from_alerts(registry, alerts, CRITICAL, actor="am").resolved == []


def test_firing_opens_one_incident_and_resolution_resolves_it(registry: Registry) -> None:
    policy = IncidentPolicy(open_on=["critical", "warning"], severity="sev1")
    opened = incidents_from_alerts(registry, _alert(registry), policy, actor="token:am")
    assert opened.opened == ["INC-1"]
    incident = get_incident(registry, "INC-1")
    assert (incident.title, incident.severity, incident.commander) == (
        "alert HighErrorRate firing: 5xx above 20%",
        "sev1",
        "token:am",
    )
    assert incident.timeline[0]["alert"] == {
        "fingerprint": "c0ffee01",
        "alertname": "HighErrorRate",
        "severity": "critical",
        "starts_at": "2025-12-17T10:00:00Z",
    }
    # Alertmanager repeats the notification, or retries it: no second incident.
    for _ in range(2):
        again = incidents_from_alerts(registry, _alert(registry), policy, actor="token:am")
        assert again.opened == []
    resolved = incidents_from_alerts(registry, _alert(registry, "resolved"), policy, actor="am")
    assert resolved.resolved == ["INC-1"]
    incident = get_incident(registry, "INC-1")
    assert not incident.open
    assert incident.timeline[-1]["text"] == (
        "alert HighErrorRate resolved at 2025-12-17T10:30:00Z (Alertmanager)"
    )
    # The resolution delivered again changes nothing.
    assert incidents_from_alerts(registry, _alert(registry, "resolved"), policy, actor="am") == (
        type(resolved)()
    )
    assert [i.id for i in list_incidents(registry)] == ["INC-1"]
    assert verify_audit(registry).ok


def test_firing_again_after_resolution_opens_a_new_incident(registry: Registry) -> None:
    incidents_from_alerts(registry, _alert(registry), CRITICAL, actor="am")
    incidents_from_alerts(registry, _alert(registry, "resolved"), CRITICAL, actor="am")
    later = _alert(registry, starts_at=STARTED + timedelta(hours=3))
    assert incidents_from_alerts(registry, later, CRITICAL, actor="am").opened == ["INC-2"]
    assert [(i.id, i.open) for i in list_incidents(registry)] == [
        ("INC-2", True),
        ("INC-1", False),
    ]


def test_an_incident_resolved_by_hand_is_not_reopened_by_the_same_firing(
    registry: Registry,
) -> None:
    incidents_from_alerts(registry, _alert(registry), CRITICAL, actor="am")
    resolve_incident(registry, "INC-1", "rolled back", actor="carol")
    assert incidents_from_alerts(registry, _alert(registry), CRITICAL, actor="am").opened == []
    # Its alert's resolution leaves the incident as carol resolved it.
    resolution = incidents_from_alerts(registry, _alert(registry, "resolved"), CRITICAL, actor="a")
    assert resolution.resolved == []


def test_two_alerts_open_two_incidents_in_one_call(registry: Registry) -> None:
    alerts = _alert(registry, fingerprint="aa") + _alert(registry, fingerprint="bb")
    assert incidents_from_alerts(registry, alerts, CRITICAL, actor="am").opened == [
        "INC-1",
        "INC-2",
    ]


def test_the_policy_comes_from_the_spec_the_environment_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = tmp_path / "golive.yaml"
    spec.write_text(
        "version: 1\nname: shop\ngovernance:\n"
        "  incidents: {open_on: [critical, warning], severity: sev3}\n"
    )
    monkeypatch.delenv(ALERTS_SPEC_ENV, raising=False)
    assert incident_policy_from_env() == IncidentPolicy()
    monkeypatch.setenv(ALERTS_SPEC_ENV, str(spec))
    assert incident_policy_from_env() == IncidentPolicy(
        open_on=["critical", "warning"], severity="sev3"
    )
    (tmp_path / "plain.yaml").write_text("version: 1\nname: plain\n")
    assert incident_policy_of(tmp_path / "plain.yaml") == IncidentPolicy()


def test_an_unknown_severity_in_open_on_is_a_spec_error(tmp_path: Path) -> None:
    spec = tmp_path / "golive.yaml"
    spec.write_text("version: 1\nname: shop\ngovernance:\n  incidents: {open_on: [sev1]}\n")
    with pytest.raises(SpecError) as raised:
        incident_policy_of(spec)
    assert "governance.incidents.open_on" in str(raised.value)
    assert "critical" in str(raised.value)
