"""Rollback rehearsals: a real drill in a real git repository, and imported records."""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from golive.errors import UsageError
from golive.governance.rehearsals import (
    latest_ok_rehearsal,
    parse_rehearsal,
    record_rehearsal,
    rehearse,
)
from golive.registry import Registry, verify_audit
from tests.governance.builders import rehearsal
from tests.governance.conftest import T0, Clock


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "service"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "config.yaml").write_text("replicas: 3\n")
    (root / "other.txt").write_text("leave me alone\n")
    git(root, "add", ".")
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "initial")
    return root


def ticking() -> Iterator[float]:
    yield 10.0
    yield 10.25


@pytest.mark.parametrize("strategy", ["git_revert", "restore_copy"])
def test_a_drill_rolls_back_only_the_target(repo: Path, clock: Clock, strategy: str) -> None:
    before = hashlib.sha256(b"replicas: 3\n").hexdigest()
    other_mtime = (repo / "other.txt").stat().st_mtime_ns
    ticks = ticking()
    record = rehearse(repo, Path("config.yaml"), strategy, clock=clock, timer=lambda: next(ticks))
    assert record["status"] == "rollback_ok"
    assert record["before_checksum"] == record["after_checksum"] == before
    assert record["rollback_strategy"] == strategy
    assert record["duration_ms"] == 250
    assert record["performed_at"] == "2025-12-18T00:00:00Z"
    assert record["target"] == "config.yaml"
    assert (repo / "config.yaml").read_text() == "replicas: 3\n"
    assert (repo / "other.txt").stat().st_mtime_ns == other_mtime
    assert git(repo, "status", "--porcelain") == ""
    log = git(repo, "log", "--format=%s", "--name-only", "-2").split("\n")
    assert "golive rehearsal: marked change" in log
    changed = {line for line in log if line.endswith((".yaml", ".txt"))}
    assert changed == {"config.yaml"}


def test_a_dirty_tree_untracked_target_or_non_repo_is_refused(
    repo: Path, tmp_path: Path, clock: Clock
) -> None:
    (repo / "new.txt").write_text("untracked\n")
    with pytest.raises(UsageError, match=r"find new\.txt among tracked files"):
        rehearse(repo, Path("new.txt"), "git_revert", clock=clock)
    with pytest.raises(UsageError, match="has uncommitted changes; a rehearsal needs a clean"):
        rehearse(repo, Path("config.yaml"), "git_revert", clock=clock)
    with pytest.raises(UsageError, match="unknown strategy 'x'; use one of git_revert"):
        rehearse(repo, Path("config.yaml"), "x", clock=clock)
    with pytest.raises(UsageError, match="is outside the repository"):
        rehearse(repo, tmp_path / "elsewhere.txt", "git_revert", clock=clock)
    elsewhere = tmp_path / "plain"
    elsewhere.mkdir()
    with pytest.raises(UsageError, match="is --repo a git work tree"):
        rehearse(elsewhere, Path("a"), "git_revert", clock=clock)


def test_an_import_must_not_claim_more_than_it_shows() -> None:
    record = parse_rehearsal(rehearsal(T0), "drill.json")
    assert record["schema"] == "golive.rehearsal/v1"
    lying = {**rehearsal(T0), "after_checksum": "c" * 64}
    with pytest.raises(UsageError, match="status is rollback_ok but the checksums differ"):
        parse_rehearsal(lying, "drill.json")
    with pytest.raises(UsageError, match=r"drill\.json: status must be one of rollback_ok"):
        parse_rehearsal({**rehearsal(T0), "status": "fine"}, "drill.json")
    with pytest.raises(UsageError, match=r"performed_at 'None' is not an RFC 3339 instant"):
        parse_rehearsal({**rehearsal(T0), "performed_at": None}, "drill.json")
    with pytest.raises(UsageError, match="duration_ms must be a whole number"):
        parse_rehearsal({**rehearsal(T0), "duration_ms": -1}, "drill.json")


def test_the_latest_ok_rehearsal_ignores_failures_and_the_future(
    registry: Registry, clock: Clock
) -> None:
    from datetime import timedelta

    record_rehearsal(registry, rehearsal(T0), actor="ops", clock=clock)
    record_rehearsal(registry, rehearsal(T0 + timedelta(days=1), "rollback_failed"), actor="o")
    record_rehearsal(registry, rehearsal(T0 + timedelta(days=5)), actor="ops")
    latest = latest_ok_rehearsal(registry, T0 + timedelta(days=2))
    assert latest is not None
    assert latest["performed_at"] == "2025-12-18T00:00:00Z"
    assert latest_ok_rehearsal(registry, T0 - timedelta(seconds=1)) is None
    assert verify_audit(registry).entries == 3
