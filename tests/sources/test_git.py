"""The git source on a real repository built in the test."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import pytest

from golive.errors import EvidenceError
from golive.sources import git
from golive.spec.sources import GitSource


def _git(repo: Path, *args: str, when: str = "2025-12-01T10:00:00+00:00") -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Ada Lovelace",
        "GIT_AUTHOR_EMAIL": "ada@example.com",
        "GIT_COMMITTER_NAME": "Ada Lovelace",
        "GIT_COMMITTER_EMAIL": "ada@example.com",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
    }
    done = subprocess.run(
        ["git", "-C", str(repo), *args], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    (repo / "README.md").write_text("hello\n")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "Initial commit")
    _git(repo, "tag", "v1.0")
    (repo / "ops").mkdir()
    (repo / "ops" / "rollback plan.md").write_text("steps\n")
    (repo / "README.md").write_text("hello again\n")
    _git(repo, "add", "-A")
    message = "Rollback rehearsal: shop 1.4 -> 1.3\n\nRestored in 4m12s.\nRunbook followed."
    _git(repo, "commit", "-q", "-m", message, when="2025-12-15T12:30:00+02:00")
    _git(repo, "tag", "-a", "rehearsal-1", "-m", "rehearsal")
    return repo


def _read(base: Path, **keys: str) -> git.Records:
    return git.read(GitSource.model_validate({"type": "git", **keys}), base)


def test_commits_newest_first(repo: Path) -> None:
    out = _read(repo.parent, path="repo")
    first, second = out.rows[1], out.rows[0]
    assert second["subject"] == "Rollback rehearsal: shop 1.4 -> 1.3"
    assert second["body"] == "Restored in 4m12s.\nRunbook followed."
    assert second["time"] == "2025-12-15T10:30:00Z"  # committer time, in UTC
    assert second["author_time"] == "2025-12-15T10:30:00Z"
    assert second["paths"] == ["README.md", "ops/rollback plan.md"]
    assert second["tags"] == ["rehearsal-1"]
    assert (second["author"], second["email"]) == ("Ada Lovelace", "ada@example.com")
    assert second["sha"] == _git(repo, "rev-parse", "HEAD")
    assert first["subject"] == "Initial commit"
    assert first["body"] == ""
    assert first["tags"] == ["v1.0"]
    assert first["paths"] == ["README.md"]
    [item] = out.evidence
    assert (item.path, item.records, item.detail["rev"]) == ("repo", 2, "HEAD")
    assert out.time_field == "time"


def test_evidence_hash_is_of_the_git_log_output(repo: Path) -> None:
    out = _read(repo.parent, path="repo")
    raw = subprocess.run(
        ["git", "-C", str(repo), *out.evidence[0].detail["argv"]], capture_output=True, check=True
    ).stdout
    assert out.evidence[0].sha256 == hashlib.sha256(raw).hexdigest()


def test_a_range(repo: Path) -> None:
    out = _read(repo, rev="v1.0..HEAD")
    assert [r["subject"] for r in out.rows] == ["Rollback rehearsal: shop 1.4 -> 1.3"]


def test_not_a_repository_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    with pytest.raises(EvidenceError, match=r"^plain: not a git repository$"):
        _read(tmp_path, path="plain")


def test_unknown_revision_is_an_error(repo: Path) -> None:
    with pytest.raises(EvidenceError, match=r"^repo: git log nope failed: .*nope"):
        _read(repo.parent, path="repo", rev="nope")


def test_option_like_revision_is_refused() -> None:
    with pytest.raises(ValueError, match="must not start with '-'"):
        GitSource.model_validate({"type": "git", "rev": "--output=/tmp/x"})


def test_empty_repository_has_no_commits(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q")
    out = _read(tmp_path)
    assert out.rows == []
    assert out.evidence[0].records == 0


def test_missing_folder_is_no_evidence(tmp_path: Path) -> None:
    out = _read(tmp_path, path="absent")
    assert (out.rows, out.evidence) == ([], [])
