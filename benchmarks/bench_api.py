"""Benchmark: `golive serve` on loopback over PostgreSQL holding 10,000 scorecards and 500
releases, under locust.

The script creates a scratch schema in the PostgreSQL database named by
``--postgres`` (default ``$GOLIVE_TEST_POSTGRES_URL``), fills it with
``--scorecards`` scorecards and ``--releases`` release manifests (one
transaction per 1,000 scorecards or 500 releases, audit chain included, so
``golive audit verify`` holds) and a few flags, creates a viewer and an engineer
token, starts ``golive serve`` on a free loopback port and drives it with
locust, headless and bounded: ``--users`` users each sending one request per
second for ``--seconds``, each at its own random phase of the second
(``--arrivals burst``: all at the same instant of each second instead). The
mix, issue #6's: half scorecard reads (listings: newest page, per spec,
filtered and paged; fetches by sha256 and by id), 35%
flag polls (``GET /api/v1/flags`` with the last ETag in ``If-None-Match``, as
``FlagClient`` polls: mostly 304) and 15% gate decisions (``POST
/api/v1/releases/{version}/gate`` with the release's spec text, engineer token).
It prints a Markdown table of P50/P95/P99 and errors per request kind, and exits
1 when P95 is over the target or any request failed. The schema is dropped at
the end.

``--cpu-per-request N`` measures instead what one request of each kind costs
the server: ``golive serve --workers 1`` answers N requests of each kind one at
a time, in 5 rounds, and the server's CPU time (``/proc/<pid>/stat``, its
children included) over them is divided by N; each kind's best round is shown.

locust (the ``bench`` extra) pulls gevent, so it lives in its own venv: the
script creates ``--venv`` (default /tmp/golive-bench-locust) when it has no
``locust`` and installs it there; the locustfile needs nothing from golive.

``--client httpx`` sends the same mix at the same rate from one open-loop asyncio
httpx client instead, which needs far less CPU than 200 locust users on a small
machine.

Usage: .venv/bin/python benchmarks/bench_api.py [--scorecards 10000] [--releases 500]
       [--users 200] [--seconds 60] [--workers 2] [--client locust|httpx]
       [--arrivals spread|burst] [--json]
       [--cpu-per-request N]
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import csv
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from golive.canonical import canonical_json, digest
from golive.governance.releases import FileRef, ReleaseInput, build_manifest
from golive.governance.store import add
from golive.registry import Registry, append_audit, open_registry
from golive.registry.documents import scorecard_facts
from golive.registry.flag_edits import new_flag
from golive.registry.flags import create_flag
from golive.registry.governance import Release
from golive.registry.models import CheckResult, Scorecard
from golive.registry.scorecards import latest_scorecard
from golive.registry.tokens import Role, create_token

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "data" / "registry" / "scorecard.json"
# Keep in step with the `bench` extra in pyproject.toml.
LOCUST_REQUIREMENT = "locust>=2.20,<3"
TARGET_P95_MS = 50.0
SPECS = [f"service-{n:02d}" for n in range(20)]
BATCH = 1000
RELEASE_BATCH = 500
FLAGS = 5
T0 = datetime(2025, 1, 1, tzinfo=UTC)
KEYS = ROOT / "tests" / "data" / "governance"
# The governance section every bench spec carries: what the gate judges a release by.
GOVERNANCE = """
governance:
  approvers:
{approvers}
  approvals: {{min: 2, distinct_from_creator: true}}
  waivers: {{max_days: 30}}
  rehearsal: {{max_age: 30d}}
  postmortem: {{due: 72h}}
  scorecard: {{max_age: 24h}}
"""

LOCUSTFILE = """
import json, os, random, time
import gevent
# FastHttpUser (geventhttpclient): python-requests in HttpUser costs more client time than
# the requests it times.
from locust import FastHttpUser, task

TOKEN = os.environ["GOLIVE_BENCH_TOKEN"]
ENGINEER = os.environ["GOLIVE_BENCH_ENGINEER"]
SHAS = json.loads(os.environ["GOLIVE_BENCH_SHAS"])
IDS = int(os.environ["GOLIVE_BENCH_IDS"])
SPECS = json.loads(os.environ["GOLIVE_BENCH_SPECS"])
RELEASES = json.loads(os.environ["GOLIVE_BENCH_RELEASES"])  # [[version, spec name], ...]
SPEC_TEXTS = json.loads(os.environ["GOLIVE_BENCH_SPEC_TEXTS"])  # {spec name: golive.yaml}
# "spread": each user at its own phase of the second, as independent clients are;
# "burst": every user at the same instant of each second (a thundering herd).
ARRIVALS = os.environ.get("GOLIVE_BENCH_ARRIVALS", "spread")
START = time.perf_counter() + 2.0  # after every user is spawned (--spawn-rate is --users)


class Reader(FastHttpUser):
    def wait_time(self):
        # One request a second at this user's phase: the next slot is a second after the
        # last planned one, however long the last request took. (locust's
        # constant_throughput counts from the user's creation, so users created together
        # fire together whatever their first sleep was.)
        self.next_at += 1.0
        return max(0.0, self.next_at - time.perf_counter())

    def on_start(self):
        self.auth = {"Authorization": "Bearer " + TOKEN}
        self.engineer = {"Authorization": "Bearer " + ENGINEER}
        self.etag = None
        if ARRIVALS == "spread":
            self.next_at = time.perf_counter() + random.random()
        else:
            self.next_at = START
        gevent.sleep(max(0.0, self.next_at - time.perf_counter()))

    @task(3)
    def newest(self):
        self.client.get("/api/v1/scorecards?limit=20", headers=self.auth, name="list newest")

    @task(2)
    def per_spec(self):
        spec = random.choice(SPECS)
        self.client.get(
            "/api/v1/scorecards?limit=20&spec=" + spec, headers=self.auth, name="list by spec"
        )

    @task(1)
    def filtered(self):
        offset = random.randrange(0, 2000)
        self.client.get(
            "/api/v1/scorecards?ready=false&since=2025-01-10T00:00:00Z&limit=20&offset=%d" % offset,
            headers=self.auth,
            name="list filtered, paged",
        )

    @task(3)
    def by_sha(self):
        self.client.get(
            "/api/v1/scorecards/" + random.choice(SHAS), headers=self.auth, name="fetch by sha256"
        )

    @task(1)
    def by_id(self):
        self.client.get(
            "/api/v1/scorecards/%d" % random.randint(1, IDS), headers=self.auth, name="fetch by id"
        )

    @task(7)
    def flag_poll(self):
        # As FlagClient polls: the last ETag back in If-None-Match, so mostly 304.
        headers = dict(self.auth)
        if self.etag:
            headers["If-None-Match"] = self.etag
        with self.client.get(
            "/api/v1/flags", headers=headers, name="flag poll", catch_response=True
        ) as response:
            if response.status_code in (200, 304):
                self.etag = response.headers.get("ETag") or self.etag
                response.success()
            else:
                response.failure("status %d" % response.status_code)

    @task(3)
    def gate(self):
        version, spec = random.choice(RELEASES)
        self.client.post(
            "/api/v1/releases/%s/gate" % version,
            json={"spec": SPEC_TEXTS[spec]},
            headers=self.engineer,
            name="gate decision",
        )
"""


def documents(count: int) -> list[dict[str, Any]]:
    """``count`` distinct scorecards over ``SPECS``, one every 5 minutes, some ready."""
    sample = json.loads(SAMPLE.read_text())
    rng = random.Random(7)
    result = []
    for n in range(count):
        document = copy.deepcopy(sample)
        document["spec"]["name"] = SPECS[n % len(SPECS)]
        document["evaluated_at"] = (T0 + timedelta(minutes=5 * n)).strftime("%Y-%m-%dT%H:%M:%SZ")
        observed = round(rng.uniform(0.0, 0.2), 4)
        passing = observed <= 0.10
        document["checks"][1].update(
            status="pass" if passing else "fail",
            observed=observed,
            message=f"{observed} <= 0.10" if passing else f"{observed} is not <= 0.10",
        )
        document["summary"].update({"pass": 2 if passing else 1, "fail": 0 if passing else 1})
        document["ready"], document["score"] = passing, 1.0 if passing else 0.5
        result.append(document)
    return result


def seed(registry: Registry, docs: list[dict[str, Any]]) -> list[str]:
    """Record ``docs`` a batch per transaction, each with its check rows and audit entry.

    ``record_scorecard`` takes one transaction per document; this does what it does
    for a thousand at a time, so seeding 10,000 takes seconds.
    """
    shas = []
    now = datetime.now(UTC)
    for start in range(0, len(docs), BATCH):
        with registry.write() as session:
            for document in docs[start : start + BATCH]:
                facts = scorecard_facts(document)
                sha = digest(document)
                shas.append(sha)
                session.add(
                    Scorecard(
                        sha256=sha,
                        spec_name=facts.spec_name,
                        spec_path=facts.spec_path,
                        spec_sha256=facts.spec_sha256,
                        evaluated_at=facts.evaluated_at,
                        recorded_at=now,
                        recorded_by="bench",
                        ready=facts.ready,
                        score=facts.score,
                        trace_id=None,
                        document=canonical_json(document).decode("utf-8"),
                        checks=[
                            CheckResult(
                                check_id=c.id,
                                status=c.status,
                                observed=c.observed,
                                required=c.required,
                            )
                            for c in facts.checks
                        ],
                    )
                )
                append_audit(
                    session,
                    action="scorecard.recorded",
                    entity="scorecard",
                    entity_id=sha,
                    payload={
                        "spec_name": facts.spec_name,
                        "ready": facts.ready,
                        "score": facts.score,
                    },
                    actor="bench",
                    at=now,
                )
    return shas


def spec_texts() -> dict[str, str]:
    """Each bench spec's golive.yaml text, with the governance section the gate needs."""
    approvers = "\n".join(
        f'    {name}: "{(KEYS / f"{name}_ed25519.pub").read_text().strip()}"'
        for name in ("alice", "bob", "carol")
    )
    section = GOVERNANCE.format(approvers=approvers)
    return {name: f"version: 1\nname: {name}\n{section}" for name in SPECS}


def seed_releases(registry: Registry, count: int) -> list[tuple[str, str]]:
    """``count`` releases (version, spec name) over ``SPECS``, each a revision-1 manifest
    recorded as ``create_release`` records it, ``RELEASE_BATCH`` per transaction."""
    cards = {name: latest_scorecard(registry, name) for name in SPECS}
    now = datetime.now(UTC)
    releases = [(f"1.{n // 100}.{n % 100}", SPECS[n % len(SPECS)]) for n in range(count)]
    for start in range(0, count, RELEASE_BATCH):
        with registry.write() as session:
            for version, spec_name in releases[start : start + RELEASE_BATCH]:
                artifact = FileRef(f"dist/{spec_name}-{version}.whl", 6, digest(version))
                manifest = build_manifest(
                    ReleaseInput(version, (artifact,)),
                    spec_name=spec_name,
                    revision=1,
                    creator="bench",
                    created_at=now,
                    scorecard=cards[spec_name],
                )
                row = Release(version=version, revision=1, spec_name=spec_name)
                add(
                    session,
                    row,
                    manifest,
                    entity="release",
                    summary={"version": version, "revision": 1},
                    actor="bench",
                    at=now,
                )
    return releases


def seed_flags(registry: Registry) -> None:
    """``FLAGS`` flags, as ``golive flags create`` makes them, some on and rolled out."""
    for n in range(FLAGS):
        flag = new_flag(f"bench-flag-{n}", rollout=20 * n, enabled=n % 2 == 0)
        create_flag(registry, flag, actor="bench")


def locust_binary(venv: Path) -> Path:
    """``locust`` in ``venv``, installing it there first if needed."""
    binary = venv / "bin" / "locust"
    if not binary.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(venv / "bin" / "pip"), "install", "--quiet", LOCUST_REQUIREMENT], check=True
        )
    return binary


def free_port() -> int:
    """A TCP port free on loopback now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_up(base: str, process: subprocess.Popen[bytes]) -> None:
    """Poll /readyz until the service answers (60 s at most)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"golive serve exited with {process.returncode}")
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    sys.exit("golive serve did not become ready within 60 s")


KINDS = [  # (name, weight): the locustfile's tasks
    ("list newest", 3),
    ("list by spec", 2),
    ("list filtered, paged", 1),
    ("fetch by sha256", 3),
    ("fetch by id", 1),
    ("flag poll", 7),
    ("gate decision", 3),
]


@dataclass
class Seeded:
    """What the load needs from the seeded registry: tokens, digests, releases, specs."""

    viewer: str
    engineer: str
    shas: list[str]
    releases: list[tuple[str, str]]
    texts: dict[str, str]
    # The ETag of the last flag poll's answer, sent back as FlagClient does.
    etag: str | None = None


def _request(kind: str, rng: random.Random, seeded: Seeded) -> httpx.Request:
    """One request of ``kind``, as the locustfile's task of that name sends it."""
    viewer = {"Authorization": f"Bearer {seeded.viewer}"}
    if kind == "flag poll":
        etag = {} if seeded.etag is None else {"If-None-Match": seeded.etag}
        return httpx.Request("GET", "/api/v1/flags", headers={**viewer, **etag})
    if kind == "gate decision":
        version, spec = rng.choice(seeded.releases)
        return httpx.Request(
            "POST",
            f"/api/v1/releases/{version}/gate",
            json={"spec": seeded.texts[spec]},
            headers={"Authorization": f"Bearer {seeded.engineer}"},
        )
    return httpx.Request("GET", _path(kind, rng, seeded.shas), headers=viewer)


def _answered(kind: str, response: httpx.Response, seeded: Seeded) -> bool:
    """Whether ``response`` is a success, keeping a flag poll's ETag for the next one."""
    if kind != "flag poll":
        return response.status_code == 200
    if response.status_code == 200:
        seeded.etag = response.headers.get("ETag")
    return response.status_code in (200, 304)


def _path(kind: str, rng: random.Random, shas: list[str]) -> str:
    if kind == "list newest":
        return "/api/v1/scorecards?limit=20"
    if kind == "list by spec":
        return f"/api/v1/scorecards?limit=20&spec={rng.choice(SPECS)}"
    if kind == "list filtered, paged":
        offset = rng.randrange(0, 2000)
        return f"/api/v1/scorecards?ready=false&since=2025-01-10T00:00:00Z&limit=20&offset={offset}"
    if kind == "fetch by sha256":
        return f"/api/v1/scorecards/{rng.choice(shas)}"
    return f"/api/v1/scorecards/{rng.randint(1, len(shas))}"


async def open_loop(base: str, seeded: Seeded, rate: int, seconds: int) -> list[dict[str, Any]]:
    """Send ``rate`` requests/s of the locustfile's mix for ``seconds``, on schedule."""
    rng = random.Random(3)
    names = [name for name, _ in KINDS]
    weights = [weight for _, weight in KINDS]
    timings: dict[str, list[float]] = {name: [] for name in names}
    failures: dict[str, int] = dict.fromkeys(names, 0)
    limits = httpx.Limits(max_connections=rate * 2, max_keepalive_connections=rate * 2)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:

        async def one(kind: str) -> None:
            request = client.build_request(**_parts(_request(kind, rng, seeded)))
            started = time.perf_counter()
            try:
                ok = _answered(kind, await client.send(request), seeded)
            except httpx.HTTPError:
                ok = False
            timings[kind].append((time.perf_counter() - started) * 1000)
            failures[kind] += 0 if ok else 1

        tasks = []
        start = time.perf_counter()
        for n in range(rate * seconds):
            await asyncio.sleep(max(0.0, start + n / rate - time.perf_counter()))
            kind = rng.choices(names, weights)[0]
            tasks.append(asyncio.create_task(one(kind)))
        await asyncio.gather(*tasks)
    rows = [_row(name, timings[name], failures[name], seconds) for name in names]
    everything = [t for name in names for t in timings[name]]
    return [*rows, _row("Aggregated", everything, sum(failures.values()), seconds)]


def _parts(request: httpx.Request) -> dict[str, Any]:
    """``request`` as ``build_request`` arguments, so a client's base URL applies."""
    return {
        "method": request.method,
        "url": request.url.raw_path.decode("ascii"),
        "headers": request.headers,
        "content": request.content,
    }


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` and its live descendants (``/proc``)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except FileNotFoundError:
            continue
    return total


ROUNDS = 5


def cpu_per_request(base: str, pid: int, seeded: Seeded, count: int) -> list[dict[str, Any]]:
    """The server's CPU and the wall time per request of each kind, ``count`` requests one
    at a time (after 20 to warm up), in ``ROUNDS`` rounds that each go through every kind.

    Each kind's figure is its best round: other work on a shared machine only ever adds
    CPU time (cache misses, a slower clock), so the least is the closest to its cost.
    """
    rng = random.Random(5)
    per_round: dict[str, list[tuple[float, float]]] = {kind: [] for kind, _ in KINDS}
    failed = dict.fromkeys(per_round, 0)
    with httpx.Client(base_url=base, timeout=30) as client:

        def send(kind: str) -> bool:
            request = client.build_request(**_parts(_request(kind, rng, seeded)))
            return _answered(kind, client.send(request), seeded)

        for kind in per_round:
            failed[kind] += sum(not send(kind) for _ in range(20))
        for _ in range(ROUNDS):
            for kind in per_round:
                cpu, started = cpu_seconds(pid), time.perf_counter()
                failed[kind] += sum(not send(kind) for _ in range(count))
                per_round[kind].append(
                    (
                        (cpu_seconds(pid) - cpu) * 1000 / count,
                        (time.perf_counter() - started) * 1000 / count,
                    )
                )
    return [
        {
            "name": kind,
            "requests": count * ROUNDS,
            "failures": failed[kind],
            "cpu_ms": min(c for c, _ in rounds),
            "wall_ms": min(w for _, w in rounds),
        }
        for kind, rounds in per_round.items()
    ]


def _row(name: str, times: list[float], failed: int, seconds: int) -> dict[str, Any]:
    ordered = sorted(times) or [0.0]

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return {
        "name": name,
        "requests": len(times),
        "failures": failed,
        "rps": len(times) / seconds,
        "p50_ms": at(0.50),
        "p95_ms": at(0.95),
        "p99_ms": at(0.99),
    }


def read_stats(prefix: Path) -> list[dict[str, Any]]:
    """Rows of locust's ``<prefix>_stats.csv``: name, requests, failures, P50/P95/P99 ms."""
    with open(f"{prefix}_stats.csv", newline="") as handle:
        return [
            {
                "name": row["Name"],
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]),
                "p50_ms": float(row["50%"]),
                "p95_ms": float(row["95%"]),
                "p99_ms": float(row["99%"]),
            }
            for row in csv.DictReader(handle)
        ]


def table(rows: list[dict[str, Any]]) -> str:
    """The stats as a Markdown table."""
    lines = [
        "| request | requests | failures | req/s | P50 ms | P95 ms | P99 ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['name']} | {r['requests']} | {r['failures']} | {r['rps']:.1f} | "
            f"{r['p50_ms']:.0f} | {r['p95_ms']:.0f} | {r['p99_ms']:.0f} |"
        )
    return "\n".join(lines)


def cpu_table(rows: list[dict[str, Any]]) -> str:
    """The CPU per request as a Markdown table."""
    lines = [
        "| request | requests | failures | server CPU ms/request | wall ms/request |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['name']} | {r['requests']} | {r['failures']} | {r['cpu_ms']:.2f} | "
            f"{r['wall_ms']:.2f} |"
        )
    return "\n".join(lines)


def main() -> int:
    """Seed, serve, load, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default=os.environ.get("GOLIVE_TEST_POSTGRES_URL"))
    parser.add_argument("--scorecards", type=int, default=10_000)
    parser.add_argument("--releases", type=int, default=500)
    parser.add_argument(
        "--users",
        default="200",
        help="each user sends 1 request/s; a comma-separated list runs one load after another "
        "on the same registry (e.g. 50,100,200)",
    )
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--client",
        choices=["locust", "httpx"],
        default="locust",
        help="locust (users at 1 request/s each), or an open-loop asyncio httpx client sending "
        "the same mix at the same rate with far less client CPU",
    )
    parser.add_argument(
        "--arrivals",
        choices=["spread", "burst"],
        default="spread",
        help="locust only: each user at its own random phase of the second (spread, as "
        "independent clients are), or every user at the same instant of each second (burst)",
    )
    parser.add_argument(
        "--cpu-per-request",
        type=int,
        metavar="N",
        help="instead of a load, measure the server's CPU per request: N requests of each kind "
        "one at a time against one worker, in 5 rounds (the best round is shown)",
    )
    parser.add_argument("--venv", type=Path, default=Path("/tmp/golive-bench-locust"))
    parser.add_argument("--json", action="store_true", help="print the rows as JSON too")
    args = parser.parse_args()
    if not args.postgres:
        sys.exit("no PostgreSQL: pass --postgres URL or set GOLIVE_TEST_POSTGRES_URL")
    locust = None if args.client == "httpx" or args.cpu_per_request else locust_binary(args.venv)
    schema = f"golive_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(args.postgres)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = (
        make_url(args.postgres)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )
    try:
        with open_registry(url) as registry:
            started = time.perf_counter()
            shas = seed(registry, documents(args.scorecards))
            releases = seed_releases(registry, args.releases)
            seed_flags(registry)
            seeded = Seeded(
                viewer=create_token(registry, "bench", Role.VIEWER, actor="bench").token,
                engineer=create_token(registry, "bench-eng", Role.ENGINEER, actor="bench").token,
                shas=shas,
                releases=releases,
                texts=spec_texts(),
            )
            seeded_s = time.perf_counter() - started
        print(
            f"seeded {len(shas)} scorecards, {len(releases)} releases and {FLAGS} flags "
            f"in {seeded_s:.1f} s",
            file=sys.stderr,
        )
        if args.cpu_per_request:
            return measure_cpu(args, url, seeded)
        failed = 0
        for users in (int(n) for n in args.users.split(",")):
            failed |= run_load(args, users, url, locust, seeded)
        return failed
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


@contextmanager
def served(url: str, workers: int, folder: Path) -> Iterator[tuple[str, int]]:
    """``golive serve`` over ``url`` on a free loopback port: its base URL and pid."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    golive = Path(sys.executable).parent / "golive"
    command = [str(golive), "serve", "--port", str(port), "--registry", url]
    server = subprocess.Popen(
        [*command, "--workers", str(workers)],
        stdout=subprocess.DEVNULL,
        stderr=open(folder / "serve.log", "wb"),  # noqa: SIM115
    )
    try:
        wait_until_up(base, server)
        yield base, server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)


def measure_cpu(args: argparse.Namespace, url: str, seeded: Seeded) -> int:
    """Print the server's CPU per request of each kind; 0 when every request succeeded."""
    with (
        tempfile.TemporaryDirectory(prefix="golive-bench-api-") as scratch,
        served(url, 1, Path(scratch)) as (base, pid),
    ):
        rows = cpu_per_request(base, pid, seeded, args.cpu_per_request)
    print(
        f"\nserver CPU per request, best of {ROUNDS} rounds of {args.cpu_per_request} "
        "sequential requests of each kind"
    )
    print(cpu_table(rows))
    if args.json:
        print(json.dumps(rows, indent=2))
    return 0 if all(r["failures"] == 0 for r in rows) else 1


def run_load(
    args: argparse.Namespace, users: int, url: str, locust: Path | None, seeded: Seeded
) -> int:
    """Serve ``url``, run the load against it, print the table; 0 when on target."""
    # Other work on the machine shows in the latencies: say how busy it was.
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="golive-bench-api-") as scratch:
        folder = Path(scratch)
        (folder / "locustfile.py").write_text(LOCUSTFILE)
        with served(url, args.workers, folder) as (base, _pid):
            if locust is None:
                rows = asyncio.run(open_loop(base, seeded, users, args.seconds))
                load_failed = False
            else:
                rows, load_failed = locust_load(args, users, base, locust, folder, seeded)
    print(
        f"\n{args.client}{'' if locust is None else f' ({args.arrivals} arrivals)'}: "
        f"{users} requests/s for {args.seconds} s, {args.workers} worker(s), "
        f"load average before: {load_before:.1f}"
    )
    print(table(rows))
    total = next(r for r in rows if r["name"] == "Aggregated")
    if args.json:
        print(json.dumps(rows, indent=2))
    if load_failed:
        return 1
    on_target = total["p95_ms"] < TARGET_P95_MS and total["failures"] == 0
    print(
        f"\nP95 {total['p95_ms']:.0f} ms (target < {TARGET_P95_MS:.0f} ms), "
        f"{total['failures']} failed of {total['requests']}: "
        + ("on target" if on_target else "NOT on target")
    )
    return 0 if on_target else 1


def locust_load(
    args: argparse.Namespace, users: int, base: str, locust: Path, folder: Path, seeded: Seeded
) -> tuple[list[dict[str, Any]], bool]:
    """Run locust headless against ``base``: its rows, and whether locust itself failed."""
    env = {
        **os.environ,
        "GOLIVE_BENCH_ARRIVALS": args.arrivals,
        "GOLIVE_BENCH_TOKEN": seeded.viewer,
        "GOLIVE_BENCH_ENGINEER": seeded.engineer,
        "GOLIVE_BENCH_SHAS": json.dumps(random.Random(1).sample(seeded.shas, 500)),
        "GOLIVE_BENCH_IDS": str(len(seeded.shas)),
        "GOLIVE_BENCH_SPECS": json.dumps(SPECS),
        "GOLIVE_BENCH_RELEASES": json.dumps(seeded.releases),
        "GOLIVE_BENCH_SPEC_TEXTS": json.dumps(seeded.texts),
    }
    prefix = folder / "run"
    load = subprocess.run(
        [
            str(locust),
            "-f",
            str(folder / "locustfile.py"),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(users),
            "--run-time",
            f"{args.seconds}s",
            "--host",
            base,
            "--csv",
            str(prefix),
            "--only-summary",
            "--stop-timeout",
            "5",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=args.seconds + 120,
    )
    load_failed = load.returncode not in (0, 1)
    if load_failed:
        print(load.stderr[-2000:], file=sys.stderr)
    return read_stats(prefix), load_failed


if __name__ == "__main__":
    sys.exit(main())
