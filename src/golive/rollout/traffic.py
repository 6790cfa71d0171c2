"""Synthetic traffic for rollout simulations: requests and alerts as JSON Lines, seeded.

Each request is in the ``canary`` cohort (the flag on) with the rollout's current
percentage as probability, else ``control``. Canary requests carry the faults in
effect: an error rate, a latency regression (the P95 to reach), or critical
alerts per hour. Slow requests (over 1000 ms) raise a ``SlowBatch`` warning.
"""

from __future__ import annotations

import json
import math
import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from golive.errors import UsageError
from golive.spec.durations import format_duration, parse_duration
from golive.times import rfc3339

BASE_ERROR_RATE = 0.01
BASE_MEDIAN_MS = 120.0
SIGMA = 0.5  # lognormal spread: P95 is the median times exp(1.645 * SIGMA), about 2.27x
P95_FACTOR = math.exp(1.6448536 * SIGMA)
SLOW_MS = 1000.0
KINDS = {"errors": "rate", "latency": "p95", "alerts": "per_hour"}


@dataclass(frozen=True)
class Fault:
    """A fault injected into canary traffic during one wave, from ``after`` for ``duration``."""

    kind: str  # errors (value: error rate), latency (value: P95 ms), alerts (critical per hour)
    wave: int
    value: float
    after: int
    duration: int

    def active(self, wave: int, into_wave: float) -> bool:
        """Whether the fault applies ``into_wave`` seconds after wave ``wave`` started."""
        return wave == self.wave and self.after <= into_wave < self.after + self.duration

    def describe(self) -> str:
        """``errors rate=0.1 in wave 2 from +42h for 12h``."""
        value = f"{self.value:g}"
        return (
            f"{self.kind} {KINDS[self.kind]}={value} in wave {self.wave} "
            f"from +{format_duration(self.after)} for {format_duration(self.duration)}"
        )

    def to_json(self) -> dict[str, Any]:
        """The fault as JSON."""
        return {
            "kind": self.kind,
            "wave": self.wave,
            KINDS[self.kind]: self.value,
            "after_s": self.after,
            "for_s": self.duration,
        }


_FAULT = re.compile(r"(?P<kind>[a-z]+):(?P<args>.*)")


def parse_fault(text: str) -> Fault:
    """``errors:wave=2,rate=0.1,after=42h,for=12h`` (or ``latency:...,p95=800``,
    ``alerts:...,per_hour=2``) as a Fault."""
    match = _FAULT.fullmatch(text.strip())
    usage = (
        f"invalid fault {text!r}; expected KIND:wave=N,VALUE,after=DURATION,for=DURATION "
        "such as errors:wave=2,rate=0.1,after=42h,for=12h, latency:wave=3,p95=800,after=6h,"
        "for=12h or alerts:wave=2,per_hour=1,after=0s,for=6h"
    )
    if match is None or match["kind"] not in KINDS:
        raise UsageError(usage)
    kind = match["kind"]
    args: dict[str, str] = {}
    for part in match["args"].split(","):
        key, sep, value = part.partition("=")
        if not sep:
            raise UsageError(usage)
        args[key.strip()] = value.strip()
    wanted = {"wave", KINDS[kind], "after", "for"}
    if set(args) != wanted:
        raise UsageError(f"{usage}; {kind} takes exactly {', '.join(sorted(wanted))}")
    try:
        wave, value = int(args["wave"]), float(args[KINDS[kind]])
        after = 0 if args["after"] in ("0", "0s") else parse_duration(args["after"])
        duration = parse_duration(args["for"])
    except ValueError as exc:
        raise UsageError(f"{usage} ({exc})") from None
    if wave < 1 or value < 0 or (kind == "errors" and value > 1):
        raise UsageError(f"{usage}; wave counts from 1, an error rate is 0-1")
    return Fault(kind, wave, value, after, duration)


DEFAULT_FAULTS = (
    Fault("errors", 2, 0.10, parse_duration("42h"), parse_duration("12h")),
    Fault("latency", 3, 800.0, parse_duration("42h"), parse_duration("12h")),
)


@dataclass
class Traffic:
    """Writes requests and alerts from the last written instant up to a new one."""

    requests: TextIO
    alerts: TextIO
    rng: random.Random
    per_hour: int
    until: datetime

    def advance(
        self,
        to: datetime,
        *,
        percentage: int,
        wave: int,
        wave_started_at: datetime,
        faults: tuple[Fault, ...],
    ) -> int:
        """Write the traffic of ``(until, to]`` at ``percentage``; the requests written."""
        step = 3600.0 / self.per_hour
        written = 0
        t = self.until + timedelta(seconds=step)
        while t <= to:
            into = (t - wave_started_at).total_seconds()
            active = [f for f in faults if f.active(wave, into)]
            self._request(t, self.rng.random() * 100 < percentage, active)
            for f in active:
                if f.kind == "alerts" and self.rng.random() < f.value * step / 3600:
                    self._alert(t, "InvariantViolation", "critical")
            written += 1
            t += timedelta(seconds=step)
        self.until = to
        self.requests.flush()
        self.alerts.flush()
        return written

    def close(self) -> None:
        """Close both files."""
        self.requests.close()
        self.alerts.close()

    def _request(self, t: datetime, canary: bool, faults: list[Fault]) -> None:
        error_rate, median = BASE_ERROR_RATE, BASE_MEDIAN_MS
        for f in faults if canary else []:
            if f.kind == "errors":
                error_rate = f.value
            elif f.kind == "latency":
                median = f.value / P95_FACTOR
        latency = round(self.rng.lognormvariate(math.log(median), SIGMA), 1)
        cohort = "canary" if canary else "control"
        record = {
            "ts": rfc3339(t),
            "cohort": cohort,
            "status": "error" if self.rng.random() < error_rate else "ok",
            "latency_ms": latency,
        }
        self.requests.write(json.dumps(record) + "\n")
        if latency > SLOW_MS:
            self._alert(t, "SlowBatch", "warning", cohort=cohort)

    def _alert(self, t: datetime, name: str, severity: str, **labels: str) -> None:
        record = {"ts": rfc3339(t), "alertname": name, "severity": severity, **labels}
        self.alerts.write(json.dumps(record) + "\n")


def open_traffic(
    requests: Path, alerts: Path, *, seed: int, per_hour: int, since: datetime
) -> Traffic:
    """A Traffic writer appending to the two files (created empty), starting at ``since``."""
    if per_hour < 1:
        raise UsageError(f"--requests-per-hour must be at least 1, got {per_hour}")
    for path in (requests, alerts):
        path.parent.mkdir(parents=True, exist_ok=True)
    return Traffic(
        requests=requests.open("w", encoding="utf-8"),
        alerts=alerts.open("w", encoding="utf-8"),
        rng=random.Random(seed),
        per_hour=per_hour,
        until=since,
    )
