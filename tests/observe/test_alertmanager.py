"""A real Alertmanager delivers alerts to golive's webhook handler; a check sees them."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from golive.engine.evaluate import evaluate
from golive.observe.intake import receive_alertmanager
from golive.registry import list_alerts, open_registry
from golive.sources.readers import readers
from golive.spec.loader import load_spec
from tests.observe.conftest import Loopback, Received, binary, free_port, server_process

SPEC = """\
version: 1
name: wave-alerts
sources:
  alerts:
    type: alerts
    registry: {registry}
checks:
  - id: no-critical
    source: alerts
    where: severity == "critical" and status == "firing"
    measure: count
    expect: "== 0"
    window: 1h
  - id: warnings-seen
    source: alerts
    where: severity == "warning"
    measure: count
    expect: ">= 1"
    window: 1h
"""


def _wait(what: str, condition: Any, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.3)


@pytest.mark.slow
def test_alertmanager_delivers_and_a_check_sees_the_alerts(
    tmp_path: Path, loopback: Loopback
) -> None:
    alertmanager = binary("prometheus-alertmanager", "prometheus-alertmanager")
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    registry = open_registry(url)

    def webhook(got: Received) -> tuple[int, bytes]:
        intake = receive_alertmanager(registry, json.loads(got.body), actor="alertmanager")
        return 200, json.dumps(intake.as_json()).encode()

    loopback.on_post.append(webhook)
    (tmp_path / "alertmanager.yml").write_text(
        "route:\n  receiver: golive\n  group_by: [alertname]\n"
        "  group_wait: 1s\n  group_interval: 1s\n  repeat_interval: 1h\n"
        "receivers:\n  - name: golive\n    webhook_configs:\n"
        f"      - url: {loopback.url}/api/v1/alerts\n        send_resolved: true\n"
    )
    port = free_port()
    am = f"http://127.0.0.1:{port}"
    argv = [
        alertmanager,
        "--config.file=alertmanager.yml",
        "--storage.path=data",
        f"--web.listen-address=127.0.0.1:{port}",
        "--cluster.listen-address=",
    ]
    now = datetime.now(UTC).replace(microsecond=0)
    started = (now - timedelta(minutes=2)).isoformat().replace("+00:00", "Z")
    alerts = [
        {
            "labels": {"alertname": "HighErrorRate", "severity": "critical", "service": "shop"},
            "annotations": {"summary": "5xx above 20%"},
            "startsAt": started,
            "generatorURL": "http://prometheus.example/graph",
        },
        {
            "labels": {"alertname": "SlowBatch", "severity": "warning", "service": "shop"},
            "annotations": {"summary": "p95 batch above 1000 ms"},
            "startsAt": started,
        },
    ]
    try:
        with server_process(argv, tmp_path, f"{am}/-/ready"):
            assert httpx.post(f"{am}/api/v2/alerts", json=alerts, timeout=5).status_code == 200
            _wait("both alerts delivered", lambda: len(list_alerts(registry)) >= 2)

            firing = _evaluate(tmp_path, url)
            assert firing["no-critical"] == ("fail", 1)
            assert firing["warnings-seen"] == ("pass", 1)

            # Resolve the critical alert: Alertmanager sends the resolution (send_resolved).
            ended = (datetime.now(UTC) - timedelta(seconds=1)).isoformat().replace("+00:00", "Z")
            resolved = [{**alerts[0], "endsAt": ended}]
            assert httpx.post(f"{am}/api/v2/alerts", json=resolved, timeout=5).status_code == 200
            _wait(
                "the resolution delivered",
                lambda: any(a.status == "resolved" for a in list_alerts(registry)),
            )
    finally:
        registry.close()

    webhook_posts = [r for r in loopback.requests if r.path == "/api/v1/alerts"]
    assert all(json.loads(r.body)["version"] == "4" for r in webhook_posts)
    after = _evaluate(tmp_path, url)
    assert after["no-critical"] == ("pass", 0)
    with open_registry(url) as reopened:
        stored = list_alerts(reopened)
    critical = [a for a in stored if a.alertname == "HighErrorRate"]
    assert [a.status for a in critical] == ["firing", "resolved"]
    assert critical[0].fingerprint == critical[1].fingerprint
    assert critical[1].ends_at is not None


def _evaluate(folder: Path, url: str) -> dict[str, tuple[str, object]]:
    spec = folder / "golive.yaml"
    spec.write_text(SPEC.format(registry=url))
    loaded = load_spec(spec)
    card = evaluate(
        loaded.spec,
        base_dir=loaded.base_dir,
        spec_path="golive.yaml",
        spec_sha256=loaded.sha256,
        at=datetime.now(UTC),
        readers=readers(commands=False),
    )
    return {c.id: (c.status, c.observed) for c in card.checks}
