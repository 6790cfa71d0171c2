"""A real Alertmanager delivers alerts to ``golive serve``; incidents open and a check sees them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from golive.cli.app import app
from golive.governance.incidents import list_incidents
from golive.observe.tracing import BUFFER
from golive.registry import list_alerts, open_registry
from golive.registry.tokens import Role, create_token
from golive.sources import traces
from golive.spec.sources import TracesSource
from tests.observe.conftest import binary, free_port, golive_serve, server_process, wait_until

SPEC = """\
version: 1
name: wave-alerts
governance:
  incidents: {{open_on: [critical], severity: sev2}}
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


def _rfc3339(at: datetime) -> str:
    return at.replace(microsecond=0).isoformat().replace("+00:00", "Z")


@pytest.mark.slow
# The incident policy comes from --alerts-spec, or from the one spec served with --spec.
@pytest.mark.parametrize("option", ["--alerts-spec", "--spec"])
def test_alertmanager_delivers_to_golive_serve_which_opens_and_resolves_the_incident(
    tmp_path: Path, option: str
) -> None:
    alertmanager = binary("prometheus-alertmanager", "prometheus-alertmanager")
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    spec = tmp_path / "golive.yaml"
    spec.write_text(SPEC.format(registry=url))
    with open_registry(url) as registry:
        token = create_token(registry, "alertmanager", Role.ENGINEER, actor="ops").token
    (tmp_path / "engineer.token").write_text(token + "\n")
    started = _rfc3339(datetime.now(UTC) - timedelta(minutes=2))
    alerts: list[dict[str, Any]] = [
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
    with (
        open_registry(url) as registry,
        golive_serve(tmp_path, url, option, str(spec)) as golive,
    ):
        (tmp_path / "alertmanager.yml").write_text(
            "route:\n  receiver: golive\n  group_by: [alertname]\n"
            "  group_wait: 1s\n  group_interval: 1s\n  repeat_interval: 1h\n"
            "receivers:\n  - name: golive\n    webhook_configs:\n"
            f"      - url: {golive}/api/v1/alerts\n        send_resolved: true\n"
            "        http_config:\n          authorization: {credentials_file: engineer.token}\n"
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
        with server_process(argv, tmp_path, f"{am}/-/ready"):
            assert httpx.post(f"{am}/api/v2/alerts", json=alerts, timeout=5).status_code == 200
            wait_until("both alerts delivered", lambda: len(list_alerts(registry)) >= 2)
            (incident,) = wait_until("the incident", lambda: list_incidents(registry))
            assert (incident.title, incident.severity, incident.open) == (
                "alert HighErrorRate firing: 5xx above 20%",
                "sev2",
                True,
            )
            assert incident.commander == "token:alertmanager"
            assert _check(spec) == {"no-critical": ("fail", 1), "warnings-seen": ("pass", 1)}

            # End the critical alert: Alertmanager sends the resolution (send_resolved).
            ended = _rfc3339(datetime.now(UTC) - timedelta(seconds=1))
            resolved = [{**alerts[0], "endsAt": ended}]
            assert httpx.post(f"{am}/api/v2/alerts", json=resolved, timeout=5).status_code == 200
            wait_until(
                "the incident resolved", lambda: not list_incidents(registry)[0].open, timeout=90
            )
        stored = list_alerts(registry)
        incidents = list_incidents(registry)
    assert _check(spec) == {"no-critical": ("pass", 0), "warnings-seen": ("pass", 1)}
    assert [i.id for i in incidents] == ["INC-1"]  # one incident, however often AM repeated
    critical = [a for a in stored if a.alertname == "HighErrorRate"]
    assert [a.status for a in critical] == ["firing", "resolved"]
    assert critical[0].fingerprint == critical[1].fingerprint
    assert critical[1].ends_at is not None
    assert {a.receiver for a in stored} == {"golive"}
    # golive serve traced each delivery: server spans, buffered in the folder it ran in.
    spans = traces.read(TracesSource(type="traces", path=str(BUFFER)), tmp_path).rows
    deliveries = [s for s in spans if s["name"] == "POST /api/v1/alerts"]
    assert deliveries
    assert {s["kind"] for s in deliveries} == {"server"}
    assert {s["attributes"]["http"]["response"]["status_code"] for s in deliveries} == {200}


def _check(spec: Path) -> dict[str, tuple[str, object]]:
    """``golive check SPEC --json --no-record``: each check's status and observed value."""
    result = CliRunner().invoke(app, ["check", str(spec), "--json", "--no-record"])
    assert result.exit_code in (0, 1), result.output
    return {c["id"]: (c["status"], c["observed"]) for c in json.loads(result.stdout)["checks"]}
