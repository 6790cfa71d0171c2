"""Benchmark: golive ``FlagClient.is_enabled`` against the UnleashClient package, same toggle.

A flexibleRollout toggle with two constraints is evaluated for 1,000,000 distinct
user ids by golive and, side by side in the same run, by UnleashClient's local
engine (bootstrapped from a dict, ``fetch_toggles=False``, no network). Every id
must get the same answer from both; the script prints the cost per call and the
ratio, and exits 1 on any disagreement or if golive is under the target speed-up.

UnleashClient pulls a native engine, so it lives in its own venv: when it is not
importable here, the script creates ``--venv`` (default /tmp/golive-bench-venv),
installs the ``bench`` extra's UnleashClient there and re-runs itself with that
interpreter and golive's ``src`` on ``PYTHONPATH`` (``golive.flags`` needs only
mmh3 and httpx).

Usage: python benchmarks/bench_flags.py [--ids 1000000] [--json]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Keep in step with the `bench` extra in pyproject.toml.
BENCH_REQUIREMENTS = ["UnleashClient>=6,<7", "mmh3>=4.1,<6", "httpx>=0.27,<1"]
TARGET_SPEEDUP = 20.0

TOGGLE: dict[str, Any] = {
    "name": "checkout-v2",
    "enabled": True,
    "strategies": [
        {
            "name": "flexibleRollout",
            "parameters": {"rollout": "25", "stickiness": "userId", "groupId": "checkout-v2"},
            "constraints": [
                {
                    "contextName": "environment",
                    "operator": "IN",
                    "values": ["production", "staging"],
                },
                {"contextName": "country", "operator": "NOT_IN", "values": ["KP", "IR", "SY"]},
            ],
        }
    ],
}
ENVIRONMENTS = ["production", "production", "staging", "development"]
COUNTRIES = ["NO", "SE", "DE", "US", "KP", "BR", "IN"]


def contexts(n: int) -> list[dict[str, Any]]:
    """``n`` distinct user ids, with environments and countries that sometimes fail a constraint."""
    return [
        {
            "userId": f"user-{i}",
            "environment": ENVIRONMENTS[i % len(ENVIRONMENTS)],
            "properties": {"country": COUNTRIES[i % len(COUNTRIES)]},
        }
        for i in range(n)
    ]


def ensure_unleash_client(venv: Path) -> None:
    """Re-run this script in a venv that has UnleashClient, creating the venv if needed."""
    try:
        import UnleashClient  # noqa: F401
    except ImportError:
        pass
    else:
        return
    if os.environ.get("GOLIVE_BENCH_REEXEC"):
        sys.exit(f"UnleashClient is still not importable with {sys.executable}")
    python = venv / "bin" / "python"
    if not python.exists():
        print(f"creating {venv} with {', '.join(BENCH_REQUIREMENTS)}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *BENCH_REQUIREMENTS], check=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "GOLIVE_BENCH_REEXEC": "1"}
    os.execve(str(python), [str(python), __file__, *sys.argv[1:]], env)


def time_calls(is_enabled: Any, name: str, ctxs: list[dict[str, Any]]) -> tuple[list[bool], float]:
    """The answers for every context and the seconds it took."""
    start = time.perf_counter()
    answers = [is_enabled(name, ctx) for ctx in ctxs]
    return answers, time.perf_counter() - start


def unleash_client(tmp: str) -> Any:
    """An UnleashClient evaluating ``TOGGLE`` locally, without any network."""
    from UnleashClient import UnleashClient
    from UnleashClient.cache import FileCache
    from UnleashClient.utils import InstanceAllowType

    cache = FileCache("golive-bench", directory=tmp)
    cache.bootstrap_from_dict({"version": 1, "features": [TOGGLE]})
    client = UnleashClient(
        url="http://127.0.0.1:9/api",  # never contacted: fetch_toggles=False, metrics off
        app_name="golive-bench",
        disable_metrics=True,
        disable_registration=True,
        cache=cache,
        multiple_instance_mode=InstanceAllowType.SILENTLY_ALLOW,
    )
    client.initialize_client(fetch_toggles=False)
    return client


def main() -> int:
    """Run the benchmark; 0 if every answer agrees and golive meets the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ids", type=int, default=1_000_000, help="distinct user ids")
    parser.add_argument("--venv", type=Path, default=Path("/tmp/golive-bench-venv"))
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    ensure_unleash_client(args.venv)
    logging.getLogger("UnleashClient").setLevel(logging.ERROR)

    from importlib.metadata import version

    from golive.flags import FlagClient, parse_flags

    ctxs = contexts(args.ids)
    golive = FlagClient(parse_flags({"version": 1, "features": [TOGGLE]}, source="bench"))
    ours, golive_s = time_calls(golive.is_enabled, TOGGLE["name"], ctxs)
    with tempfile.TemporaryDirectory() as tmp:
        unleash = unleash_client(tmp)
        try:
            theirs, unleash_s = time_calls(unleash.is_enabled, TOGGLE["name"], ctxs)
        finally:
            unleash.destroy()

    mismatches = [ctx["userId"] for ctx, a, b in zip(ctxs, ours, theirs, strict=True) if a != b]
    results = {
        "ids": args.ids,
        "enabled": sum(ours),
        "golive_us_per_call": golive_s / args.ids * 1e6,
        "unleash_us_per_call": unleash_s / args.ids * 1e6,
        "speedup": unleash_s / golive_s,
        "mismatches": len(mismatches),
        "unleashclient": version("UnleashClient"),
        "yggdrasil_engine": version("yggdrasil-engine"),
        "python": sys.version.split()[0],
    }
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(f"flexibleRollout 25% + 2 constraints, {args.ids:,} distinct user ids")
        print(f"  golive FlagClient.is_enabled   {results['golive_us_per_call']:8.3f} µs/call")
        print(
            f"  UnleashClient {results['unleashclient']:<8} is_enabled "
            f"{results['unleash_us_per_call']:8.3f} µs/call"
        )
        print(f"  speed-up {results['speedup']:.1f}x (target >= {TARGET_SPEEDUP:.0f}x)")
        print(f"  same answer for every id: {not mismatches} ({results['enabled']:,} enabled)")
    if mismatches:
        print(f"disagreement for {len(mismatches)} ids, e.g. {mismatches[:5]}", file=sys.stderr)
        return 1
    return 0 if results["speedup"] >= TARGET_SPEEDUP else 1


if __name__ == "__main__":
    sys.exit(main())
