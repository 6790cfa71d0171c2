"""Write the evidence of the battle-tested example under ``telemetry/``.

Fourteen days of telemetry ending at the evaluation instant 2025-12-18T00:00:00Z,
so half of it lies outside the 7-day window and a few old records (an incident
before the fixes) show that the window matters. Deterministic: the same seed
gives the same bytes.

    python examples/battle-tested/generate.py            # rewrite telemetry/
    python examples/battle-tested/generate.py --out DIR  # write elsewhere
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

AT = datetime(2025, 12, 18, tzinfo=UTC)
DAYS = 14
SEED = 20251218
CET = timezone(timedelta(hours=1))

SAFE_PATHS = [
    "docs/runbook.md",
    "docs/core/overview.md",  # mentions core/ but is not under it
    "tests/test_router.py",
    "examples/wo_template.yaml",
    "bridge/adapters/slack.py",
    "telemetry/dashboards/router.json",
]
GUARDED_PATHS = ["core/router.py", "core/policy.py", "bridge/core/queue.py", "launchd/agent.plist"]
ERRORS = {
    "E-GW-TIMEOUT": "upstream gateway timed out after 30s",
    "E-SCHEMA-DRIFT": "work order payload missing field 'lane'",
    "E-LOCK-CONTENTION": "could not take the work-order lock in 5s",
    "E-DISK-QUOTA": "spool volume above 95%",
    "E-AUTH-EXPIRED": "service token expired",
}


def rfc3339_ms(t: datetime) -> str:
    """``2025-12-17T14:03:12.345Z``: UTC with milliseconds, as the router writes it."""
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def rfc3339_cet(t: datetime) -> str:
    """``2025-12-17T15:03:12+01:00``: the error catcher logs local time with its offset."""
    return t.astimezone(CET).isoformat(timespec="seconds")


def epoch_ms(t: datetime) -> int:
    """Milliseconds since the epoch, as the monitor writes its timestamps."""
    return int(t.timestamp() * 1000)


def day_start(day: int) -> datetime:
    """Midnight UTC of day ``day`` (0 is fourteen days before AT)."""
    return AT - timedelta(days=DAYS - day)


def router(rng: random.Random) -> list[dict[str, Any]]:
    """Gateway v3 router log: v5 work-order processing among legacy routing and health pings."""
    records: list[dict[str, Any]] = []
    for day in range(DAYS):
        offsets = sorted(rng.randrange(86_400_000) for _ in range(18))
        for ms in offsets:
            records.append(operation(rng, day_start(day) + timedelta(milliseconds=ms)))
    # One operation stamped exactly at the evaluation instant: a window ends inclusively.
    records.append(operation(rng, AT, action="process_v5", status="ok"))
    # The log kept growing after the evaluation instant: one millisecond later is outside.
    after = AT + timedelta(milliseconds=1)
    records.append(operation(rng, after, action="process_v5", status="error"))
    for n, record in enumerate(records, start=1):
        record["wo_id"] = f"WO-{n:05d}"
    return records


def operation(
    rng: random.Random, t: datetime, action: str | None = None, status: str | None = None
) -> dict[str, Any]:
    """One router record; ``wo_id`` is numbered afterwards, in time order."""
    action = action or rng.choices(["process_v5", "route_v3", "healthcheck"], [70, 20, 10])[0]
    if status is None:
        status = rng.choices(["ok", "error", "rejected"], [91, 4, 5])[0]
    lane = rng.choices(["local", "strict", "cloud"], [65, 25, 10])[0]
    return {
        "ts": rfc3339_ms(t),
        "action": action,
        "lane": lane if action == "process_v5" else None,
        "status": status if action == "process_v5" else "ok",
        "wo_id": None,
        "duration_ms": rng.randint(40, 900) if action != "healthcheck" else rng.randint(1, 5),
        "path": rng.choice(SAFE_PATHS + GUARDED_PATHS),
    }


def monitor(rng: random.Random) -> list[dict[str, Any]]:
    """The daily monitor (cron at 06:00 UTC): health state and backlog of the v5 queues."""
    records: list[dict[str, Any]] = []
    for day in range(DAYS):
        t = day_start(day) + timedelta(hours=6, seconds=rng.randrange(600))
        degraded = day == 4  # the incident, a week before the window
        records.append(
            {
                "timestamp": epoch_ms(t),
                "run_id": f"mon-{day + 1:03d}",
                "state": "degraded" if degraded else "healthy",
                "backlog": 7 if degraded else 0,
                "checks_failed": 2 if degraded else 0,
                "duration_ms": rng.randint(800, 2500),
            }
        )
    # A manual re-run stamped exactly at the window start: (at - 7d, at] leaves it out.
    records.append(
        {
            "timestamp": epoch_ms(AT - timedelta(days=7)),
            "run_id": "mon-manual-1",
            "state": "degraded",
            "backlog": 1,
            "checks_failed": 1,
            "duration_ms": 1900,
        }
    )
    records.sort(key=lambda r: int(r["timestamp"]))
    return records


def approvals(rng: random.Random) -> list[dict[str, Any]]:
    """Work-order approvals: automatic in whitelisted zones, by a person in guarded ones."""
    records: list[dict[str, Any]] = []
    for day in range(DAYS):
        for _ in range(6):
            t = day_start(day) + timedelta(seconds=rng.randrange(86_400))
            guarded = rng.random() < 0.3
            path = rng.choice(GUARDED_PATHS if guarded else SAFE_PATHS)
            records.append(
                {
                    "ts": t.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "wo_id": f"WO-{rng.randrange(1, 260):05d}",
                    "decision": "approved" if guarded else "auto_approved",
                    "approver": rng.choice(["ana", "bo", "chen"]) if guarded else "auto",
                    "path": path,
                }
            )
    # Before the whitelist was enforced (day 2): an auto-approval in core/.
    records.append(
        {
            "ts": (day_start(2) + timedelta(hours=11)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "wo_id": "WO-00031",
            "decision": "auto_approved",
            "approver": "auto",
            "path": "core/router.py",
        }
    )
    records.sort(key=lambda r: str(r["ts"]))
    return records


def errors(rng: random.Random) -> list[dict[str, Any]]:
    """Errors the v5 pipeline caught (with cause and where the work order went) and retries."""
    records: list[tuple[datetime, dict[str, Any]]] = []
    for day in range(DAYS):
        for _ in range(3):
            t = day_start(day) + timedelta(seconds=rng.randrange(86_400))
            error_id = rng.choice(sorted(ERRORS))
            caught = rng.random() < 0.7
            record: dict[str, Any] = {
                "ts": rfc3339_cet(t),
                "event": "error_caught" if caught else "error_retried",
                "error_id": error_id,
                "wo_id": f"WO-{rng.randrange(1, 260):05d}",
            }
            if caught:
                record["cause"] = ERRORS[error_id]
                record["moved_to"] = rng.choice(["quarantine/", "dlq/router/"]) + record["wo_id"]
            records.append((t, record))
    # Before the fix, caught errors were logged without a cause or a destination.
    old = [
        (day_start(3) + timedelta(hours=9), {"cause": None, "moved_to": "dlq/router/WO-00044"}),
        (day_start(5) + timedelta(hours=16), {"cause": ERRORS["E-DISK-QUOTA"]}),
        # 00:30 CET on the 11th is 23:30 UTC on the 10th: outside the window, by the offset.
        (AT - timedelta(days=7, minutes=30), {"cause": ERRORS["E-GW-TIMEOUT"], "moved_to": None}),
    ]
    for t, extra in old:
        base = {"ts": rfc3339_cet(t), "event": "error_caught", "error_id": "E-GW-TIMEOUT"}
        records.append((t, {**base, "wo_id": "WO-00044", **extra}))
    records.sort(key=lambda pair: pair[0])
    return [record for _, record in records]


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> None:
    """One compact JSON object per line, ``\\n`` line ends, in the given key order."""
    lines = [json.dumps(r, separators=(",", ":"), ensure_ascii=False) + "\n" for r in records]
    path.write_bytes("".join(lines).encode("utf-8"))


def generate(out: Path) -> list[Path]:
    """Write the four evidence files into ``out`` and return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    files = {
        "gateway_v3_router.log": router(rng),
        "monitor.log": monitor(rng),
        "approvals.log": approvals(rng),
        "errors.log": errors(rng),
    }
    for name, records in files.items():
        write_jsonl(out / name, records)
    return [out / name for name in files]


def main() -> None:
    """Command line: ``generate.py [--out DIR]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parent / "telemetry"
    parser.add_argument("--out", type=Path, default=default, help=f"folder (default {default})")
    args = parser.parse_args()
    for path in generate(args.out):
        print(path)


if __name__ == "__main__":
    main()
