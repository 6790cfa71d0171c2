"""The alerts source: records from the alerts golive received, latest state or every event."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from golive.observe.intake import receive_alertmanager
from golive.registry import open_registry
from golive.sources import alerts
from golive.spec.sources import AlertsSource

PAYLOAD = Path(__file__).parents[1] / "data" / "observe" / "alertmanager" / "webhook_v4.json"


def _fill(url: str) -> None:
    body = json.loads(PAYLOAD.read_text())
    with open_registry(url) as registry:
        receive_alertmanager(
            registry, body, actor="am", clock=lambda: datetime(2025, 12, 17, 11, tzinfo=UTC)
        )
        body["alerts"][0]["status"] = "resolved"
        body["alerts"][0]["endsAt"] = "2025-12-17T10:30:00Z"
        receive_alertmanager(
            registry, body, actor="am", clock=lambda: datetime(2025, 12, 17, 12, tzinfo=UTC)
        )


def test_one_record_per_alert_in_its_latest_state(registry_url: str, tmp_path: Path) -> None:
    _fill(registry_url)
    out = alerts.read(AlertsSource(type="alerts", registry=registry_url), tmp_path)
    assert out.time_field == "starts_at"
    assert out.rows == [
        {
            "alertname": "HighErrorRate",
            "severity": "critical",
            "status": "resolved",
            "labels": {"alertname": "HighErrorRate", "severity": "critical", "service": "shop"},
            "annotations": {"summary": "5xx above 20%"},
            "starts_at": "2025-12-17T10:00:00Z",
            "ends_at": "2025-12-17T10:30:00Z",
            "fingerprint": "c0ffee0000000001",
        },
        {
            "alertname": "HighErrorRate",
            "severity": "warning",
            "status": "resolved",
            "labels": {"alertname": "HighErrorRate", "severity": "warning", "service": "shop"},
            "annotations": {"summary": "5xx above 5%"},
            "starts_at": "2025-12-17T09:00:00Z",
            "ends_at": "2025-12-17T09:30:00Z",
            "fingerprint": "c0ffee0000000002",
        },
    ]
    (item,) = out.evidence
    assert item.records == 2
    assert item.path.endswith("#alert_events")
    assert len(item.sha256 or "") == 64


def test_events_keep_every_notification(registry_url: str, tmp_path: Path) -> None:
    _fill(registry_url)
    out = alerts.read(
        AlertsSource(type="alerts", registry=registry_url, records="events"), tmp_path
    )
    assert [(r["fingerprint"], r["status"], r["received_at"]) for r in out.rows] == [
        ("c0ffee0000000001", "firing", "2025-12-17T11:00:00Z"),
        ("c0ffee0000000002", "resolved", "2025-12-17T11:00:00Z"),
        ("c0ffee0000000001", "resolved", "2025-12-17T12:00:00Z"),
    ]


def test_default_registry_next_to_the_spec_that_does_not_exist_is_no_evidence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GOLIVE_REGISTRY", raising=False)
    out = alerts.read(AlertsSource(type="alerts"), tmp_path)
    assert (out.rows, out.evidence) == ([], [])
    assert not (tmp_path / ".golive").exists()  # nothing created by reading


def test_empty_registry_is_evidence_of_no_alerts(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    open_registry(url).close()
    out = alerts.read(AlertsSource(type="alerts", registry=url), tmp_path)
    assert out.rows == []
    assert out.evidence[0].records == 0
