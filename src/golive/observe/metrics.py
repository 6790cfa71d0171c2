"""golive's Prometheus metrics, read from the registry at scrape time.

Every replica of ``golive serve`` reading one registry serves the same numbers, because
the gauges are computed from the registry (briefly cached), not kept in memory. The
governance, flag and rollout metrics are emitted only once their tables exist: the
collector probes the schema, so it works before and after those capabilities land.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry, write_to_textfile
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session

from golive.errors import UsageError
from golive.registry import Registry, latest_scorecard
from golive.registry.models import CHECK_STATUSES, Scorecard

DEFAULT_TTL_S = 5.0
TERMINAL_INCIDENT_KINDS = ("resolved", "closed")


class RegistryCollector(Collector):
    """The registry-derived gauges: readiness, score, check statuses, governance, rollouts."""

    def __init__(
        self,
        registry: Registry,
        *,
        spec: str | None = None,
        ttl: float = DEFAULT_TTL_S,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.registry = registry
        self.spec = spec
        self.ttl = ttl
        self._clock = clock
        self._now = now
        self._lock = threading.Lock()
        self._cached: tuple[float, list[Metric]] | None = None

    def collect(self) -> Iterable[Metric]:
        """The metric families, read again when the cached ones are older than ``ttl``."""
        with self._lock:
            if self._cached is None or self._clock() - self._cached[0] >= self.ttl:
                self._cached = (self._clock(), self.read())
            return list(self._cached[1])

    def read(self) -> list[Metric]:
        """Read every metric from the registry now."""
        families = scorecard_metrics(self.registry, self.spec)
        with self.registry.read() as session:
            tables = _columns(session)
            now = self._now()
            for build in _OPTIONAL:
                family = build(session, tables, now)
                if family is not None:
                    families.append(family)
        return families


def scorecard_metrics(registry: Registry, spec: str | None) -> list[Metric]:
    """Gauges of each spec's latest scorecard (only ``spec`` when given)."""
    ready = GaugeMetricFamily("golive_ready", "1 if the latest scorecard is ready", labels=["spec"])
    score = GaugeMetricFamily(
        "golive_score", "Score of the latest scorecard (0..1)", labels=["spec"]
    )
    status = GaugeMetricFamily(
        "golive_check_status",
        "1 on the check's status in the latest scorecard, 0 on the other statuses",
        labels=["spec", "check", "status"],
    )
    observed = GaugeMetricFamily(
        "golive_check_observed",
        "The check's observed value in the latest scorecard (absent when null)",
        labels=["spec", "check"],
    )
    stamp = GaugeMetricFamily(
        "golive_scorecard_timestamp_seconds",
        "Evaluation instant of the latest scorecard, Unix seconds",
        labels=["spec"],
    )
    for name in _spec_names(registry, spec):
        card = latest_scorecard(registry, name)
        if card is None:
            continue
        ready.add_metric([name], 1.0 if card.ready else 0.0)
        score.add_metric([name], card.score)
        stamp.add_metric([name], card.evaluated_at.timestamp())
        for check in card.document.get("checks", []):
            for each in CHECK_STATUSES:
                status.add_metric(
                    [name, check["id"], each], 1.0 if check["status"] == each else 0.0
                )
            if isinstance(check.get("observed"), int | float):
                observed.add_metric([name, check["id"]], float(check["observed"]))
    return [ready, score, status, observed, stamp]


def _spec_names(registry: Registry, spec: str | None) -> list[str]:
    if spec is not None:
        return [spec]
    with registry.read() as session:
        return sorted(session.scalars(select(Scorecard.spec_name).distinct()))


def _columns(session: Session) -> dict[str, set[str]]:
    inspector = inspect(session.connection())
    return {t: {c["name"] for c in inspector.get_columns(t)} for t in inspector.get_table_names()}


def _has(tables: dict[str, set[str]], table: str, *columns: str) -> bool:
    return table in tables and set(columns) <= tables[table]


def _gate_decisions(session: Session, tables: dict[str, set[str]], now: datetime) -> Metric | None:
    if not _has(tables, "gate_decisions", "allowed"):
        return None
    family = CounterMetricFamily(
        "golive_gate_decisions", "Gate decisions recorded, by outcome", labels=["allowed"]
    )
    counts = {True: 0, False: 0}
    for allowed, count in session.execute(
        text("SELECT allowed, COUNT(*) FROM gate_decisions GROUP BY allowed")
    ):
        counts[bool(allowed)] += int(count)
    for allowed, count in counts.items():
        family.add_metric(["true" if allowed else "false"], count)
    return family


def _rehearsal_age(session: Session, tables: dict[str, set[str]], now: datetime) -> Metric | None:
    if not _has(tables, "rehearsals", "performed_at", "document"):
        return None
    family = GaugeMetricFamily(
        "golive_rehearsal_age_seconds",
        "Seconds since the latest successful rollback rehearsal",
        labels=["spec"],
    )
    newest: dict[str, datetime] = {}
    query = text("SELECT performed_at, status, document FROM rehearsals")
    for performed_at, status, document in session.execute(query):
        if str(status).lower() not in ("pass", "passed", "ok", "success", "succeeded"):
            continue
        spec = str(_field(document, "spec_name", "spec") or "")
        at = _instant(performed_at)
        if spec not in newest or at > newest[spec]:
            newest[spec] = at
    for spec, at in sorted(newest.items()):
        family.add_metric([spec], max(0.0, (now - at).total_seconds()))
    return family


def _incidents(session: Session, tables: dict[str, set[str]], now: datetime) -> Metric | None:
    if not _has(tables, "incident_events", "incident", "kind", "document"):
        return None
    family = GaugeMetricFamily(
        "golive_open_incidents",
        "Incidents opened and not resolved, by severity",
        labels=["severity"],
    )
    for severity, count in sorted(_open_incidents(session).items()):
        family.add_metric([severity], count)
    return family


def _open_incidents(session: Session) -> dict[str, int]:
    severity: dict[str, str] = {}
    closed: set[str] = set()
    query = text("SELECT incident, kind, document FROM incident_events ORDER BY id")
    for incident, kind, document in session.execute(query):
        if kind in TERMINAL_INCIDENT_KINDS:
            closed.add(incident)
        found = _field(document, "severity")
        if found is not None and incident not in severity:
            severity[incident] = str(found)
    counts: dict[str, int] = {}
    for incident, level in severity.items():
        if incident not in closed:
            counts[level] = counts.get(level, 0) + 1
    return counts


def _postmortems(session: Session, tables: dict[str, set[str]], now: datetime) -> Metric | None:
    if not _has(tables, "incident_events", "incident", "kind", "document"):
        return None
    due: dict[str, datetime] = {}
    written: set[str] = set()
    query = text("SELECT incident, kind, document FROM incident_events ORDER BY id")
    for incident, kind, document in session.execute(query):
        if kind == "postmortem":
            written.add(incident)
        found = _field(document, "postmortem_due_at")
        if isinstance(found, str):
            due[incident] = _instant(found)
    overdue = sum(1 for i, at in due.items() if i not in written and at < now)
    family = GaugeMetricFamily(
        "golive_postmortems_overdue", "Resolved incidents whose postmortem is past due"
    )
    family.add_metric([], overdue)
    return family


def _latest_decisions(session: Session, key: str) -> list[Any]:
    query = text(
        f"SELECT d.{key}, d.wave, d.percentage FROM rollout_decisions d "
        f"JOIN (SELECT {key}, MAX(id) AS id FROM rollout_decisions GROUP BY {key}) m "
        "ON d.id = m.id ORDER BY 1"
    )
    return list(session.execute(query))


def _flag_percentage(session: Session, tables: dict[str, set[str]], now: datetime) -> Metric | None:
    if not _has(tables, "rollout_decisions", "flag", "wave", "percentage"):
        return None
    family = GaugeMetricFamily(
        "golive_flag_rollout_percentage",
        "Percentage of traffic the flag's rollout has reached",
        labels=["flag"],
    )
    for flag, _wave, percentage in _latest_decisions(session, "flag"):
        family.add_metric([flag], float(percentage))
    return family


def _rollout_wave(session: Session, tables: dict[str, set[str]], now: datetime) -> Metric | None:
    if not _has(tables, "rollout_decisions", "rollout", "wave", "percentage"):
        return None
    family = GaugeMetricFamily(
        "golive_rollout_wave", "Current wave of each rollout", labels=["rollout"]
    )
    for rollout, wave, _percentage in _latest_decisions(session, "rollout"):
        family.add_metric([rollout], float(wave))
    return family


_OPTIONAL: Sequence[Callable[[Session, dict[str, set[str]], datetime], Metric | None]] = (
    _gate_decisions,
    _rehearsal_age,
    _incidents,
    _postmortems,
    _flag_percentage,
    _rollout_wave,
)


def _field(document: Any, *names: str) -> Any:
    try:
        parsed = json.loads(document) if isinstance(document, str) else document
    except ValueError:
        return None
    if not isinstance(parsed, dict):
        return None
    for name in names:
        if name in parsed:
            return parsed[name]
    return None


def _instant(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed


def metrics_registry(registry: Registry, *, spec: str | None = None) -> CollectorRegistry:
    """A Prometheus registry holding only golive's registry-derived metrics."""
    collectors = CollectorRegistry(auto_describe=False)
    collectors.register(RegistryCollector(registry, spec=spec))
    return collectors


def export_textfile(registry: Registry, path: Path, *, spec: str | None = None) -> int:
    """Write the metrics in node_exporter's textfile format, atomically; return the series count."""
    if path.suffix != ".prom":
        raise UsageError(
            f"--textfile {path}: node_exporter's textfile collector only reads *.prom files; "
            f"use a name such as {path.with_suffix('.prom').name}"
        )
    collectors = metrics_registry(registry, spec=spec)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Writes a temporary file beside PATH and renames it: a scrape never sees half a file.
        write_to_textfile(str(path), collectors)
    except OSError as exc:
        raise UsageError(f"--textfile {path}: cannot write: {exc.strerror or exc}") from None
    return sum(len(m.samples) for m in collectors.collect())
