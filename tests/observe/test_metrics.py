"""The registry collector: gauges from the latest scorecards, probed optional tables, caching."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text
from typer.testing import CliRunner

from golive.cli.app import app
from golive.errors import UsageError
from golive.observe.metrics import RegistryCollector, export_textfile, metrics_registry
from golive.registry import Registry, open_registry
from golive.registry.tokens import Role, create_token
from tests.observe.conftest import (
    AT,
    binary,
    free_port,
    golive_serve,
    record_small_spec,
    server_process,
    wait_until,
)

EXAMPLE = Path(__file__).parents[2] / "examples" / "battle-tested" / "golive.yaml"

NOW = datetime(2025, 12, 18, 1, tzinfo=UTC)


def samples(
    registry: Registry, spec: str | None = None
) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text_form = generate_latest(metrics_registry(registry, spec=spec)).decode()
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text_form)
        for s in family.samples
    }


def test_gauges_of_the_latest_scorecard(registry_url: str) -> None:
    record_small_spec(registry_url, AT - timedelta(days=1))
    record_small_spec(registry_url, AT)
    with open_registry(registry_url) as registry:
        got = samples(registry)
    spec = ("spec", "observe-small")
    assert got[("golive_ready", (spec,))] == 1.0
    assert got[("golive_score", (spec,))] == 1.0
    assert got[("golive_scorecard_timestamp_seconds", (spec,))] == AT.timestamp()
    assert got[("golive_check_observed", (("check", "deploys"), spec))] == 3.0
    statuses = {
        dict(labels)["status"]: value
        for (name, labels), value in got.items()
        if name == "golive_check_status" and dict(labels)["check"] == "deploys"
    }
    assert statuses == {"pass": 1, "warn": 0, "fail": 0, "no_data": 0, "error": 0, "waived": 0}


def test_spec_filter_and_empty_registry(registry_url: str) -> None:
    record_small_spec(registry_url)
    with open_registry(registry_url) as registry:
        assert not any(name == "golive_ready" for name, _ in samples(registry, spec="other"))


def test_cache_reads_the_registry_once_per_ttl(registry_url: str) -> None:
    ticks = [0.0]
    with open_registry(registry_url) as registry:
        collector = RegistryCollector(registry, ttl=5.0, clock=lambda: ticks[0])
        first = list(collector.collect())
        assert first[0].samples == []
        record_small_spec(registry_url)
        ticks[0] = 4.9
        assert next(iter(collector.collect())).samples == []
        ticks[0] = 5.0
        assert [s.value for s in next(iter(collector.collect())).samples] == [1.0]


def test_optional_tables_are_probed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    with open_registry(url) as registry, registry.engine.begin() as connection:
        # The probe reads tables by shape: replace the real ones with minimal ones.
        for table in ("gate_decisions", "rehearsals", "incident_events", "rollout_decisions"):
            connection.exec_driver_sql(f"DROP TABLE IF EXISTS {table}")
        connection.exec_driver_sql(
            "CREATE TABLE gate_decisions (id INTEGER, version TEXT, allowed BOOLEAN)"
        )
        connection.exec_driver_sql(
            "INSERT INTO gate_decisions VALUES (1, 'v1', 1), (2, 'v2', 0), (3, 'v3', 1)"
        )
        connection.exec_driver_sql(
            "CREATE TABLE rehearsals (id INTEGER, status TEXT, performed_at TEXT, document TEXT)"
        )
        connection.execute(
            text("INSERT INTO rehearsals VALUES (1, 'passed', '2025-12-17 01:00:00', :d)"),
            {"d": '{"spec_name": "shop"}'},
        )
        connection.exec_driver_sql(
            "CREATE TABLE incident_events "
            "(id INTEGER, incident TEXT, kind TEXT, at TEXT, document TEXT)"
        )
        for number, (incident, kind, doc) in enumerate(
            [
                ("INC-1", "opened", '{"severity": "critical"}'),
                ("INC-2", "opened", '{"severity": "warning"}'),
                ("INC-2", "resolved", '{"postmortem_due_at": "2025-12-17T00:00:00Z"}'),
                ("INC-3", "opened", '{"severity": "critical"}'),
            ]
        ):
            connection.execute(
                text("INSERT INTO incident_events VALUES (:n, :i, :k, '', :d)"),
                {"n": number, "i": incident, "k": kind, "d": doc},
            )
        connection.exec_driver_sql(
            "CREATE TABLE rollout_decisions "
            "(id INTEGER, rollout TEXT, flag TEXT, wave INTEGER, percentage INTEGER)"
        )
        connection.exec_driver_sql(
            "INSERT INTO rollout_decisions VALUES (1, 'canary', 'new-checkout', 1, 5), "
            "(2, 'canary', 'new-checkout', 2, 25)"
        )
    with open_registry(url) as registry:
        families = {f.name: f for f in RegistryCollector(registry, now=lambda: NOW).read()}
    values = {
        name: {
            tuple(s.labels.values()): s.value
            for s in family.samples
            if not s.name.endswith("_created")
        }
        for name, family in families.items()
    }
    assert values["golive_gate_decisions"] == {("true",): 2, ("false",): 1}
    assert values["golive_rehearsal_age_seconds"] == {("shop",): 86400.0}
    assert values["golive_open_incidents"] == {("critical",): 2}
    assert values["golive_postmortems_overdue"] == {(): 1}
    assert values["golive_flag_rollout_percentage"] == {("new-checkout",): 25.0}
    assert values["golive_rollout_wave"] == {("canary",): 2.0}


def test_textfile_is_written_atomically_and_only_as_prom(tmp_path: Path, registry_url: str) -> None:
    record_small_spec(registry_url)
    target = tmp_path / "textfile" / "golive.prom"
    with open_registry(registry_url) as registry:
        series = export_textfile(registry, target)
        with pytest.raises(
            UsageError, match=r"only reads \*.prom files; use a name such as x.prom"
        ):
            export_textfile(registry, tmp_path / "x.txt")
    content = target.read_text()
    assert 'golive_ready{spec="observe-small"} 1.0' in content
    assert series == sum(1 for line in content.splitlines() if not line.startswith("#"))
    assert [p.name for p in target.parent.iterdir()] == ["golive.prom"]  # no temporary left


@pytest.mark.slow
def test_real_prometheus_scrapes_golive_serve_with_a_token(tmp_path: Path) -> None:
    prometheus = binary("prometheus", "prometheus")
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    checked = CliRunner().invoke(
        app, ["check", str(EXAMPLE), "--at", "2025-12-18T00:00:00Z", "--registry", url]
    )
    assert checked.exit_code == 0, checked.output
    with open_registry(url) as registry:
        token = create_token(registry, "prometheus", Role.VIEWER, actor="ops").token
    (tmp_path / "viewer.token").write_text(token + "\n")
    with golive_serve(tmp_path, url) as golive:
        target = golive.removeprefix("http://")
        (tmp_path / "prometheus.yml").write_text(
            "global:\n  scrape_interval: 1s\n"
            "scrape_configs:\n"
            "  - job_name: golive\n"
            "    authorization: {credentials_file: viewer.token}\n"
            f"    static_configs: [{{targets: ['{target}']}}]\n"
            "  - job_name: anonymous\n"
            f"    static_configs: [{{targets: ['{target}']}}]\n"
        )
        prom_port = free_port()
        prom = f"http://127.0.0.1:{prom_port}"
        argv = [
            prometheus,
            "--config.file=prometheus.yml",
            "--storage.tsdb.path=tsdb",
            f"--web.listen-address=127.0.0.1:{prom_port}",
        ]
        with server_process(argv, tmp_path, f"{prom}/-/ready"):
            ready = _query(prom, 'golive_ready{spec="governance-v5-battle-tested"}')
            refused = _query(prom, 'golive_http_request_duration_seconds_count{status="401"}')
            anonymous = _query(prom, 'up{job="anonymous"}')
    assert (ready["metric"]["job"], ready["value"][1]) == ("golive", "1")
    assert anonymous["value"][1] == "0"  # /metrics answers 401 without the token...
    assert refused["metric"]["route"] == "/metrics"  # ...as golive's histogram counts


def _query(prometheus: str, query: str) -> dict[str, Any]:
    """The first sample of an instant PromQL query, once Prometheus has one."""

    def first() -> dict[str, Any] | None:
        body = httpx.get(f"{prometheus}/api/v1/query", params={"query": query}, timeout=5).json()
        return dict(body["data"]["result"][0]) if body["data"]["result"] else None

    return wait_until(f"Prometheus to return {query}", first)
