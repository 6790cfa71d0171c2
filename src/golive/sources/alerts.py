"""Alerts that Alertmanager delivered to golive, read from the registry.

``records: alerts`` gives one record per alert (its fingerprint and start) in its
latest state; ``records: events`` one per notification recorded. Fields: alertname,
severity, status (``firing``/``resolved``), labels, annotations, starts_at, ends_at,
fingerprint (and received_at for events).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from golive.canonical import digest
from golive.registry import StoredAlert, list_alerts
from golive.sources._registry import source_registry
from golive.sources.base import EvidenceItem, Records
from golive.spec.sources import AlertsSource
from golive.times import rfc3339


def read(config: AlertsSource, base_dir: Path) -> Records:
    """One record per alert (or per recorded notification) in the registry."""
    with source_registry(config.registry, base_dir) as registry:
        if registry is None:
            return Records([], [], config.time)
        stored = list_alerts(registry)
        shown = registry.url
    rows = [_row(a) for a in (stored if config.records == "events" else _latest(stored))]
    for row in rows if config.records == "alerts" else []:
        row.pop("received_at")
    item = EvidenceItem(f"{shown}#alert_events", digest(rows), len(rows))
    return Records(rows, [item], config.time)


def _latest(stored: list[StoredAlert]) -> list[StoredAlert]:
    latest: dict[tuple[str, str], StoredAlert] = {}
    for alert in stored:  # oldest first, so the last one seen is the latest state
        latest[(alert.fingerprint, rfc3339(alert.starts_at))] = alert
    return list(latest.values())


def _row(alert: StoredAlert) -> dict[str, Any]:
    return {
        "alertname": alert.alertname,
        "severity": alert.severity,
        "status": alert.status,
        "labels": alert.labels,
        "annotations": alert.annotations,
        "starts_at": rfc3339(alert.starts_at),
        "ends_at": None if alert.ends_at is None else rfc3339(alert.ends_at),
        "fingerprint": alert.fingerprint,
        "received_at": rfc3339(alert.received_at),
    }
