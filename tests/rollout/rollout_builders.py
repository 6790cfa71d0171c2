"""The small rollout spec of tests/data/rollout and the evidence the tests write beside it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

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
