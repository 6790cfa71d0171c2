"""Rollback rehearsals: a real drill in a git repository, or a record of one done elsewhere.

The drill (the "PR-9 live rollback"): checksum the target, commit a marked change to
it, roll that change back with the strategy, checksum again. It is ``rollback_ok``
only when the two checksums match. It refuses a dirty work tree and commits only
the target, so no other file is touched.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from golive.errors import UsageError
from golive.governance.store import add, document_of
from golive.registry.database import Registry
from golive.registry.governance import Rehearsal
from golive.registry.instants import Clock, as_utc, parse_rfc3339, rfc3339, utc_now

REHEARSAL_SCHEMA = "golive.rehearsal/v1"
STRATEGIES = ("git_revert", "restore_copy")
STATUSES = ("rollback_ok", "rollback_failed")
_SHA256 = re.compile(r"[0-9a-f]{64}")
# Commits of the drill carry their own identity, so they never pass for a person's work.
_GIT_IDENTITY = (
    "-c",
    "user.name=golive rehearsal",
    "-c",
    "user.email=rehearsal@golive.invalid",
    "-c",
    "commit.gpgsign=false",
)


def rehearse(
    repo: Path,
    target: Path,
    strategy: str,
    *,
    clock: Clock = utc_now,
    timer: Callable[[], float] = time.monotonic,
) -> dict[str, Any]:
    """Perform the drill on ``target`` in the git work tree ``repo``; return its record."""
    if strategy not in STRATEGIES:
        raise UsageError(f"unknown strategy {strategy!r}; use one of {', '.join(STRATEGIES)}")
    root = Path(_git(repo, "rev-parse", "--show-toplevel", what="find the repository")).resolve()
    path = (target if target.is_absolute() else root / target).resolve()
    if not path.is_relative_to(root):
        raise UsageError(f"--target {target} is outside the repository {root}")
    name = path.relative_to(root).as_posix()
    if not path.is_file():
        raise UsageError(f"--target {name}: no such file in {root}")
    _git(root, "ls-files", "--error-unmatch", "--", name, what=f"find {name} among tracked files")
    if _git(root, "status", "--porcelain", what="read the work tree status"):
        raise UsageError(
            f"{root} has uncommitted changes; a rehearsal needs a clean work tree "
            "(commit or stash them first)"
        )
    performed_at = as_utc(clock(), "the clock's time")
    original = path.read_bytes()
    before = hashlib.sha256(original).hexdigest()
    started = timer()
    commits: list[str] = []
    error = None
    try:
        path.write_bytes(original + f"\ngolive rehearsal marker {rfc3339(performed_at)}\n".encode())
        _commit(root, name, "golive rehearsal: marked change")
        commits.append(_git(root, "rev-parse", "HEAD", what="read HEAD"))
        if strategy == "git_revert":
            _git(root, *_GIT_IDENTITY, "revert", "--no-edit", "HEAD", what="revert the change")
        else:
            path.write_bytes(original)
            _commit(root, name, "golive rehearsal: restore the saved copy")
        commits.append(_git(root, "rev-parse", "HEAD", what="read HEAD"))
    except UsageError as exc:
        error = str(exc)
    duration_ms = round((timer() - started) * 1000)
    after = hashlib.sha256(path.read_bytes()).hexdigest()
    record: dict[str, Any] = {
        "schema": REHEARSAL_SCHEMA,
        "repo": str(root),
        "target": name,
        "rollback_strategy": strategy,
        "before_checksum": before,
        "after_checksum": after,
        "duration_ms": duration_ms,
        "status": "rollback_ok" if before == after and error is None else "rollback_failed",
        "performed_at": rfc3339(performed_at),
        "commits": commits,
    }
    if error is not None:
        record["error"] = error
    return record


def parse_rehearsal(document: Any, where: str) -> dict[str, Any]:
    """Validate a rehearsal record done elsewhere; refuse one that claims more than it shows."""
    if not isinstance(document, dict):
        raise UsageError(f"{where}: expected a JSON object with the rehearsal's fields")
    for key in ("before_checksum", "after_checksum"):
        if not isinstance(document.get(key), str) or not _SHA256.fullmatch(document[key]):
            raise UsageError(f"{where}: {key} must be a sha256 (64 lowercase hex digits)")
    strategy = document.get("rollback_strategy")
    if not isinstance(strategy, str) or not strategy.strip():
        raise UsageError(f"{where}: rollback_strategy must name the strategy, e.g. git_revert")
    duration = document.get("duration_ms")
    if isinstance(duration, bool) or not isinstance(duration, int) or duration < 0:
        raise UsageError(f"{where}: duration_ms must be a whole number of milliseconds, >= 0")
    status = document.get("status")
    if status not in STATUSES:
        raise UsageError(f"{where}: status must be one of {', '.join(STATUSES)}, got {status!r}")
    if status == "rollback_ok" and document["before_checksum"] != document["after_checksum"]:
        raise UsageError(
            f"{where}: status is rollback_ok but the checksums differ; a rollback is ok "
            "only when after_checksum equals before_checksum"
        )
    try:
        performed_at = parse_rfc3339(str(document.get("performed_at")), "performed_at")
    except ValueError as exc:
        raise UsageError(f"{where}: {exc}") from None
    return {**document, "schema": REHEARSAL_SCHEMA, "performed_at": rfc3339(performed_at)}


def record_rehearsal(
    registry: Registry, record: dict[str, Any], *, actor: str, clock: Clock = utc_now
) -> dict[str, Any]:
    """Store a rehearsal record (from :func:`rehearse` or :func:`parse_rehearsal`)."""
    record = parse_rehearsal(record, "rehearsal")
    now = as_utc(clock(), "the clock's time")
    with registry.write() as session:
        add(
            session,
            Rehearsal(
                status=record["status"],
                performed_at=parse_rfc3339(record["performed_at"], "performed_at"),
            ),
            record,
            entity="rehearsal",
            summary={"status": record["status"], "strategy": record["rollback_strategy"]},
            actor=actor,
            at=now,
        )
    return record


def list_rehearsals(registry: Registry, *, limit: int) -> list[dict[str, Any]]:
    """The ``limit`` most recently performed rehearsals, newest first."""
    query = select(Rehearsal).order_by(Rehearsal.performed_at.desc(), Rehearsal.id.desc())
    with registry.read() as session:
        return [document_of(r, "rehearsal") for r in session.scalars(query.limit(limit))]


def latest_ok_rehearsal(registry: Registry, at: datetime) -> dict[str, Any] | None:
    """The most recent ``rollback_ok`` rehearsal performed no later than ``at``."""
    query = (
        select(Rehearsal)
        .where(Rehearsal.status == "rollback_ok", Rehearsal.performed_at <= as_utc(at, "at"))
        .order_by(Rehearsal.performed_at.desc(), Rehearsal.id.desc())
        .limit(1)
    )
    with registry.read() as session:
        row = session.scalar(query)
        return None if row is None else document_of(row, "rehearsal")


def _commit(root: Path, name: str, message: str) -> None:
    _git(root, *_GIT_IDENTITY, "commit", "--quiet", "-m", message, "--", name, what="commit")


def _git(repo: Path, *args: str, what: str) -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(repo), *args], capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise UsageError("git is not installed; a rehearsal needs git") from None
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise UsageError(
            f"git could not {what} in {repo}: {detail[0] if detail else 'failed'}; "
            "is --repo a git work tree?"
        )
    return done.stdout.strip()


def rehearsals_until(registry: Registry, at: datetime) -> list[dict[str, Any]]:
    """Every rehearsal performed no later than ``at``, newest first."""
    query = (
        select(Rehearsal)
        .where(Rehearsal.performed_at <= as_utc(at, "at"))
        .order_by(Rehearsal.performed_at.desc(), Rehearsal.id.desc())
    )
    with registry.read() as session:
        return [
            {**document_of(row, "rehearsal"), "sha256": row.sha256}
            for row in session.scalars(query)
        ]
