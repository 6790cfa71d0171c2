"""Alertmanager webhook bodies: validated, recorded once per state, audited."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from golive.errors import UsageError
from golive.observe.intake import receive_alertmanager
from golive.registry import list_alerts, open_registry, verify_audit

PAYLOAD = Path(__file__).parents[1] / "data" / "observe" / "alertmanager" / "webhook_v4.json"
NOW = datetime(2025, 12, 17, 10, 5, tzinfo=UTC)


def payload() -> dict[str, Any]:
    return dict(json.loads(PAYLOAD.read_text()))


def test_records_firing_and_resolved_alerts(registry_url: str) -> None:
    with open_registry(registry_url) as registry:
        intake = receive_alertmanager(registry, payload(), actor="alertmanager", clock=lambda: NOW)
        assert intake.recorded == 2
        assert [(a.fingerprint, a.status, a.new) for a in intake.alerts] == [
            ("c0ffee0000000001", "firing", True),
            ("c0ffee0000000002", "resolved", True),
        ]
        stored = list_alerts(registry)
        assert verify_audit(registry).ok
    critical, warning = stored
    assert (critical.alertname, critical.severity, critical.status) == (
        "HighErrorRate",
        "critical",
        "firing",
    )
    assert critical.ends_at is None  # Alertmanager's zero time means "not ended"
    assert critical.labels["service"] == "shop"
    assert critical.annotations == {"summary": "5xx above 20%"}
    assert critical.received_at == NOW
    assert warning.ends_at == datetime(2025, 12, 17, 9, 30, tzinfo=UTC)
    assert intake.as_json()["recorded"] == 2


def test_repeated_notifications_are_recorded_once(registry_url: str) -> None:
    with open_registry(registry_url) as registry:
        receive_alertmanager(registry, payload(), actor="am")
        again = receive_alertmanager(registry, payload(), actor="am")
        assert again.recorded == 0
        assert [a.new for a in again.alerts] == [False, False]
        resolved = payload()
        resolved["alerts"][0]["status"] = "resolved"
        resolved["alerts"][0]["endsAt"] = "2025-12-17T10:20:00Z"
        later = receive_alertmanager(registry, resolved, actor="am")
        assert [(a.fingerprint, a.status) for a in later.alerts if a.new] == [
            ("c0ffee0000000001", "resolved")
        ]
        assert len(list_alerts(registry)) == 3


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda p: p.update(version="3"), "version: Input should be '4'"),
        (lambda p: p.pop("alerts"), "alerts: Field required"),
        (lambda p: p["alerts"][0].update(status="pending"), "alerts.0.status: Input should be"),
        (lambda p: p["alerts"][0].update(fingerprint=""), "alerts.0.fingerprint: String should"),
        (lambda p: p["alerts"][0].update(startsAt="yesterday"), "alerts.0.startsAt: Input should"),
        (
            lambda p: p["alerts"][0].update(startsAt="2025-12-17T10:00:00"),
            "alerts.0.startsAt: Input should have timezone info",
        ),
    ],
)
def test_bad_payloads_are_refused_and_nothing_is_recorded(
    tmp_path: Path, change: Any, message: str
) -> None:
    body = copy.deepcopy(payload())
    change(body)
    with open_registry(f"sqlite:///{tmp_path / 'r.db'}") as registry:
        with pytest.raises(UsageError, match="not an Alertmanager webhook payload") as caught:
            receive_alertmanager(registry, body, actor="am")
        assert message in str(caught.value)
        assert list_alerts(registry) == []


def test_not_even_an_object_is_refused(tmp_path: Path) -> None:
    with (
        open_registry(f"sqlite:///{tmp_path / 'r.db'}") as registry,
        pytest.raises(UsageError, match="body: Input should be a valid dictionary"),
    ):
        receive_alertmanager(registry, ["nope"], actor="am")
