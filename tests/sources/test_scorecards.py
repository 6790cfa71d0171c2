"""The scorecards source: the registry's history as records, and stability checks over it."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from golive.engine.evaluate import evaluate
from golive.sources import scorecards
from golive.sources.readers import readers
from golive.spec.loader import load_spec
from golive.spec.sources import ScorecardsSource
from tests.observe.conftest import AT, record_small_spec


def test_one_record_per_scorecard_oldest_first(registry_url: str, tmp_path: Path) -> None:
    first = record_small_spec(registry_url, AT - timedelta(days=1))
    second = record_small_spec(registry_url, AT)
    out = scorecards.read(ScorecardsSource(type="scorecards", registry=registry_url), tmp_path)
    assert out.time_field == "evaluated_at"
    assert out.rows == [
        {
            "spec": "observe-small",
            "evaluated_at": "2025-12-17T00:00:00Z",
            "ready": False,
            "score": 0.0,
            "sha256": first,
            "checks": 2,
            "count_error": 0,
            "count_fail": 1,
            "count_no_data": 1,
            "count_pass": 0,
            "count_waived": 0,
            "count_warn": 0,
        },
        {
            "spec": "observe-small",
            "evaluated_at": "2025-12-18T00:00:00Z",
            "ready": True,
            "score": 1.0,
            "sha256": second,
            "checks": 2,
            "count_error": 0,
            "count_fail": 0,
            "count_no_data": 0,
            "count_pass": 2,
            "count_waived": 0,
            "count_warn": 0,
        },
    ]
    assert out.evidence[0].records == 2


def test_check_records_and_spec_filter(registry_url: str, tmp_path: Path) -> None:
    record_small_spec(registry_url, AT)
    config = ScorecardsSource(type="scorecards", registry=registry_url, records="checks")
    rows = scorecards.read(config, tmp_path).rows
    assert [(r["check"], r["status"], r["observed"]) for r in rows] == [
        ("deploys", "pass", 3),
        ("error-rate", "pass", pytest.approx(1 / 3)),
    ]
    other = ScorecardsSource(type="scorecards", registry=registry_url, spec="other")
    assert scorecards.read(other, tmp_path).rows == []


STABILITY = """\
version: 1
name: stability
sources:
  history:
    type: scorecards
    registry: {url}
    spec: observe-small
checks:
  - id: daily-monitor
    source: history
    measure: count
    window: 3d
    every: 24h
    expect: ">= 1"
  - id: ready-every-day
    source: history
    measure: ratio
    of: ready == true
    window: 3d
    every: 24h
    expect: "== 1"
"""


def test_stability_over_days_is_an_every_24h_check(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    for days in (2, 1, 0):
        record_small_spec(url, AT - timedelta(days=days, hours=1))
    spec = tmp_path / "stability.yaml"
    spec.write_text(STABILITY.format(url=url))

    def statuses(at: datetime) -> dict[str, str]:
        loaded = load_spec(spec)
        card = evaluate(
            loaded.spec,
            base_dir=tmp_path,
            spec_path="stability.yaml",
            spec_sha256=loaded.sha256,
            at=at,
            readers=readers(commands=False),
        )
        return {c.id: c.status for c in card.checks}

    # Three daily scorecards, but the first two were evaluated before the evidence
    # existed (not ready): the monitor ran every day, readiness was not stable.
    assert statuses(AT) == {"daily-monitor": "pass", "ready-every-day": "fail"}
    # A day later the window has a gap (no scorecard on the last day): the monitor fails.
    assert statuses(AT + timedelta(days=1))["daily-monitor"] == "fail"
