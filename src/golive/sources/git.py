"""Commits of a local git repository, read with one ``git log`` (no shell)."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path
from typing import Any

from golive.errors import EvidenceError
from golive.sources._time import parse_timestamp
from golive.sources.base import EvidenceItem, Records
from golive.spec.sources import GitSource

_RS, _US = "\x1e", "\x1f"
# sha, author, email, committer time, author time, decorations, subject, body; then names.
_FORMAT = "%x1e" + "%x1f".join(["%H", "%an", "%ae", "%cI", "%aI", "%D", "%s", "%b"]) + "%x1f"
TIMEOUT_S = 120


def read(config: GitSource, base_dir: Path) -> Records:
    """One record per commit in ``rev``: sha, author, email, time, subject, body, paths, tags."""
    repo = base_dir / config.path
    if not repo.exists():
        return Records([], [], config.time)
    argv = [
        "git",
        "-C",
        str(repo),
        "-c",
        "core.quotepath=off",
        "log",
        "--no-color",
        "--no-show-signature",
        f"--format={_FORMAT}",
        "--name-only",
        "-z",
        "--end-of-options",
        config.rev,
        "--",
        *config.paths,
    ]
    try:
        done = subprocess.run(argv, capture_output=True, timeout=TIMEOUT_S, check=False)
    except FileNotFoundError:
        raise EvidenceError(
            "git: the git program is not installed (needed by a git source)"
        ) from None
    except subprocess.TimeoutExpired:
        raise EvidenceError(f"{config.path}: git log timed out after {TIMEOUT_S}s") from None
    stderr = done.stderr.decode("utf-8", errors="replace").strip()
    if done.returncode != 0:
        if "not a git repository" in stderr:
            raise EvidenceError(f"{config.path}: not a git repository") from None
        if not _has_commits(repo):
            # A repository without commits yet: zero commits is evidence, not an error.
            done = subprocess.CompletedProcess(argv, 0, b"", b"")
        else:
            raise EvidenceError(f"{config.path}: git log {config.rev} failed: {stderr}")
    rows = [_commit(chunk) for chunk in done.stdout.decode("utf-8", "replace").split(_RS)[1:]]
    item = EvidenceItem(
        config.path,
        hashlib.sha256(done.stdout).hexdigest(),
        len(rows),
        detail={"rev": config.rev, "argv": argv[3:]},
    )
    return Records(rows, [item], config.time)


def _has_commits(repo: Path) -> bool:
    probe = ["git", "-C", str(repo), "rev-list", "-n", "1", "--all"]
    done = subprocess.run(probe, capture_output=True, timeout=TIMEOUT_S, check=False)
    return done.returncode != 0 or bool(done.stdout.strip())


def _commit(chunk: str) -> dict[str, Any]:
    sha, author, email, ctime, atime, refs, subject, rest = chunk.split(_US, 7)
    body, _, names = rest.rpartition(_US)
    return {
        "sha": sha,
        "author": author,
        "email": email,
        "time": parse_timestamp(ctime),
        "author_time": parse_timestamp(atime),
        "subject": subject,
        "body": body.strip(),
        "paths": [p.strip("\n") for p in names.split("\0") if p.strip("\n")],
        "tags": [r.removeprefix("tag: ") for r in refs.split(", ") if r.startswith("tag: ")],
    }
