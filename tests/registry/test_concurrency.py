"""Many writers at once, and a writer killed mid-transaction, on SQLite and PostgreSQL."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import time
from datetime import timedelta
from multiprocessing.synchronize import Barrier, Event

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from golive.registry import list_scorecards, open_registry, record_scorecard, verify_audit
from golive.registry.audit import append_audit
from golive.registry.database import WRITE_LOCK_KEY
from golive.registry.models import Scorecard

from .registry_builders import T0, scorecard

PROCESSES = 8
WRITES = 200
# fork: children start in milliseconds; the parent holds no open connection when it forks.
CONTEXT = multiprocessing.get_context("fork")


def _writer(url: str, worker: int, start: Barrier) -> None:
    with open_registry(url) as registry:
        start.wait(timeout=60)
        for n in range(WRITES):
            document = scorecard(name=f"worker-{worker}", observed=n)
            record_scorecard(
                registry, document, actor=f"worker-{worker}", clock=lambda n=n: T0 + timedelta(n)
            )


@pytest.mark.slow
def test_eight_processes_write_at_once_and_the_chain_holds(registry_url: str) -> None:
    open_registry(registry_url).close()  # migrate once, so the children race only on writes
    start = CONTEXT.Barrier(PROCESSES)
    workers = [
        CONTEXT.Process(target=_writer, args=(registry_url, w, start)) for w in range(PROCESSES)
    ]
    began = time.monotonic()
    for process in workers:
        process.start()
    for process in workers:
        process.join(timeout=120)
    elapsed = time.monotonic() - began
    assert [p.exitcode for p in workers] == [0] * PROCESSES, f"after {elapsed:.1f}s"

    with open_registry(registry_url) as registry:
        with registry.read() as session:
            assert session.scalar(select(func.count()).select_from(Scorecard)) == 1600
        for worker in range(PROCESSES):
            assert len(list_scorecards(registry, spec_name=f"worker-{worker}", limit=500)) == 200
        report = verify_audit(registry)
    assert (report.ok, report.entries) == (True, PROCESSES * WRITES)


def _killed_writer(url: str, inside: Event) -> None:
    with open_registry(url) as registry, registry.write() as session:
        session.add(
            Scorecard(
                sha256="d" * 64,
                spec_name="half-written",
                spec_path="golive.yaml",
                spec_sha256="0" * 64,
                evaluated_at=T0,
                recorded_at=T0,
                recorded_by="victim",
                ready=False,
                score=0.0,
                document="{}",
            )
        )
        session.flush()
        append_audit(
            session,
            action="scorecard.recorded",
            entity="scorecard",
            entity_id="d" * 64,
            payload={},
            actor="victim",
            at=T0,
        )
        inside.set()
        time.sleep(120)  # killed here, holding the write lock, before COMMIT


def _write_lock_is_held(url: str) -> bool:
    """Whether another process holds the registry's write lock right now (asks without waiting)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        probe = sqlite3.connect(str(parsed.database), timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            return "locked" in str(exc)
        finally:
            probe.close()
        return False
    engine = create_engine(parsed)
    try:
        with engine.begin() as connection:
            got = connection.scalar(
                text("SELECT pg_try_advisory_xact_lock(:key, hashtext(current_schema()))"),
                {"key": WRITE_LOCK_KEY},
            )
    finally:
        engine.dispose()
    return not got


def test_a_write_holds_the_lock_from_its_start_to_its_end(registry_url: str) -> None:
    with open_registry(registry_url) as registry:
        assert not _write_lock_is_held(registry_url)
        with registry.write():
            assert _write_lock_is_held(registry_url)
        assert not _write_lock_is_held(registry_url)
        with registry.read():
            assert not _write_lock_is_held(registry_url)


@pytest.mark.slow
def test_writer_killed_mid_transaction_leaves_a_registry_that_opens_and_verifies(
    registry_url: str,
) -> None:
    with open_registry(registry_url) as registry:
        record_scorecard(registry, scorecard(), actor="carol", clock=lambda: T0)
    inside = CONTEXT.Event()
    victim = CONTEXT.Process(target=_killed_writer, args=(registry_url, inside))
    victim.start()
    assert inside.wait(timeout=60), "the writer never reached its transaction"
    assert _write_lock_is_held(registry_url), "the writer is not inside a write transaction"
    assert victim.pid is not None
    os.kill(victim.pid, signal.SIGKILL)
    victim.join(timeout=30)
    assert victim.exitcode == -signal.SIGKILL

    with open_registry(registry_url) as registry:
        assert verify_audit(registry).entries == 1
        assert [s.spec_name for s in list_scorecards(registry)] == ["governance-v5-battle-tested"]
        # The dead writer's lock is gone: the next write goes through and extends the chain.
        record_scorecard(registry, scorecard(name="after"), actor="carol", clock=lambda: T0)
        report = verify_audit(registry)
    assert (report.ok, report.entries) == (True, 2)
