"""Rollout fixtures: the small spec of tests/data/rollout copied beside evidence we write."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from golive.flags.model import Flag
from golive.registry import Registry, create_flag, open_registry
from golive.registry.flags import with_rollout

SPEC = Path(__file__).parent.parent / "data" / "rollout" / "golive.yaml"
T0 = datetime(2025, 12, 1, tzinfo=UTC)


def hours(n: float) -> datetime:
    """T0 plus ``n`` hours."""
    return T0 + timedelta(hours=n)


class Evidence:
    """Appends canary requests (one a minute) and alerts to the spec's evidence files."""

    def __init__(self, folder: Path) -> None:
        self.requests = folder / "evidence" / "requests.jsonl"
        self.alerts = folder / "evidence" / "alerts.jsonl"
        self.requests.parent.mkdir(parents=True, exist_ok=True)
        self.requests.touch()
        self.alerts.touch()

    def canary(self, start: float, end: float, *, errors: float = 0.0, ms: float = 100) -> None:
        """One canary request a minute in ``(start, end]`` hours; every 1/errors-th fails."""
        every = round(1 / errors) if errors else 0
        minutes = round((end - start) * 60)
        with self.requests.open("a") as out:
            for i in range(1, minutes + 1):
                record = {
                    "ts": (hours(start) + timedelta(minutes=i)).isoformat(),
                    "cohort": "canary",
                    "status": "error" if every and i % every == 0 else "ok",
                    "latency_ms": ms,
                }
                out.write(json.dumps(record) + "\n")

    def alert(self, at: float, severity: str = "critical") -> None:
        """One alert at ``at`` hours."""
        with self.alerts.open("a") as out:
            record = {"ts": hours(at).isoformat(), "alertname": "X", "severity": severity}
            out.write(json.dumps(record) + "\n")


@pytest.fixture
def spec_file(tmp_path: Path) -> Path:
    """The test spec, copied into tmp_path."""
    target = tmp_path / "golive.yaml"
    shutil.copy(SPEC, target)
    return target


@pytest.fixture
def evidence(spec_file: Path) -> Evidence:
    """Empty evidence files beside the spec."""
    return Evidence(spec_file.parent)


@pytest.fixture
def store(registry_url: str) -> Iterator[Registry]:
    """An open registry holding flag ``f``: enabled, flexibleRollout at 0%."""
    with open_registry(registry_url) as opened:
        create_flag(opened, with_rollout(Flag("f", True), 0), actor="alice", clock=lambda: T0)
        yield opened
