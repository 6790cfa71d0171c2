"""What the dashboard shows, read from the registry: plain data for the templates and charts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import select

from golive.registry import Registry, StoredScorecard, latest_scorecard
from golive.registry.instants import rfc3339
from golive.registry.models import CheckResult, Scorecard
from golive.spec.models import Expectation, ExpectationField

# Worst first, so what blocks a release is read first.
STATUS_ORDER = ("error", "fail", "no_data", "warn", "waived", "pass")
TREND_POINTS = 60
HISTORY_POINTS = 200
_EXPECTATION: TypeAdapter[Expectation] = TypeAdapter(ExpectationField)


@dataclass(frozen=True)
class Chart:
    """A chart the page's script draws: a line (values over time) or status-coloured bars."""

    kind: str  # "line" or "bar"
    label: str
    labels: list[str]
    values: list[float | None]
    statuses: list[str] | None = None
    threshold: float | None = None
    y_range: tuple[float, float] | None = None  # fixed axis (scores: 0 to 1), else fitted

    def as_json(self) -> dict[str, Any]:
        """The chart as the ``data-chart`` attribute carries it."""
        return {
            "kind": self.kind,
            "label": self.label,
            "labels": self.labels,
            "values": self.values,
            "statuses": self.statuses,
            "threshold": self.threshold,
            "y_range": self.y_range,
        }


@dataclass(frozen=True)
class SpecOverview:
    """One spec on the overview: its latest verdict, its checks worst first, its score trend."""

    latest: StoredScorecard
    checks: list[dict[str, Any]]
    trend: Chart


def worst_first(checks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Checks ordered error, fail, no_data, warn, waived, pass (then as the spec lists them)."""

    def rank(check: dict[str, Any]) -> int:
        status = check.get("status")
        return STATUS_ORDER.index(status) if status in STATUS_ORDER else 0

    return sorted(checks, key=rank)


def overview(registry: Registry) -> list[SpecOverview]:
    """Every spec with its latest scorecard, specs that are not ready first."""
    with registry.read() as session:
        names = list(session.scalars(select(Scorecard.spec_name).distinct()))
    specs = []
    for name in names:
        latest = latest_scorecard(registry, name)
        if latest is None:  # recorded between the two reads: shown on the next load
            continue
        specs.append(
            SpecOverview(latest, worst_first(latest.document["checks"]), _trend(registry, name))
        )
    return sorted(specs, key=lambda s: (s.latest.ready, s.latest.spec_name))


def _trend(registry: Registry, spec_name: str) -> Chart:
    query = (
        select(Scorecard.evaluated_at, Scorecard.score)
        .where(Scorecard.spec_name == spec_name)
        .order_by(Scorecard.evaluated_at.desc(), Scorecard.id.desc())
        .limit(TREND_POINTS)
    )
    with registry.read() as session:
        rows = list(reversed(session.execute(query).all()))
    return Chart(
        kind="line",
        label=f"score of {spec_name}",
        labels=[rfc3339(r.evaluated_at) for r in rows],
        values=[r.score for r in rows],
        y_range=(0.0, 1.0),
    )


def bucket_chart(check: dict[str, Any]) -> Chart | None:
    """The buckets of a check with ``every``, as bars coloured by status; None without buckets."""
    buckets = check.get("buckets")
    if not buckets:
        return None
    return Chart(
        kind="bar",
        label=f"{check['id']} per bucket",
        labels=[b["end"] for b in buckets],
        values=[b["observed"] for b in buckets],
        statuses=[b["status"] for b in buckets],
        threshold=threshold(check.get("expect")),
    )


def check_history(registry: Registry, spec_name: str, check_id: str) -> Chart:
    """One check's observed value over the spec's past scorecards, against its threshold."""
    query = (
        select(Scorecard.evaluated_at, CheckResult.observed, CheckResult.status)
        .join(CheckResult, CheckResult.scorecard_id == Scorecard.id)
        .where(Scorecard.spec_name == spec_name, CheckResult.check_id == check_id)
        .order_by(Scorecard.evaluated_at.desc(), Scorecard.id.desc())
        .limit(HISTORY_POINTS)
    )
    with registry.read() as session:
        rows = list(reversed(session.execute(query).all()))
    latest = latest_scorecard(registry, spec_name)
    expect = None
    if latest is not None:
        expect = next(
            (c.get("expect") for c in latest.document["checks"] if c.get("id") == check_id), None
        )
    return Chart(
        kind="line",
        label=f"{check_id} observed",
        labels=[rfc3339(r.evaluated_at) for r in rows],
        values=[r.observed for r in rows],
        statuses=[r.status for r in rows],
        threshold=threshold(expect),
    )


def shown_number(value: Any) -> str:
    """A measured value for people: integers whole, others to six significant digits."""
    if value is None:
        return "–"
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        # Large values are seconds or counts: whole units read better than 1.20779e+06.
        return f"{value:.6g}" if abs(value) < 1e6 else f"{value:.0f}"
    return str(value)


def threshold(expect: Any) -> float | None:
    """The number in an ``expect`` such as ``<= 0.10`` or ``>= 7d`` (in seconds), if any."""
    if not isinstance(expect, str):
        return None
    try:
        return _EXPECTATION.validate_python(expect).value
    except ValidationError:
        return None
