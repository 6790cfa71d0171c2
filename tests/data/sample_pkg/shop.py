"""A tiny shop, insecure on purpose: the subject of golive's source adapter tests."""

from __future__ import annotations

import hashlib
import subprocess

API_PASSWORD = "hunter2"


def total(prices: list[float]) -> float:
    """Sum of the prices."""
    return sum(prices)


def checksum(data: bytes) -> str:
    """A weak digest (bandit flags MD5 as high severity)."""
    return hashlib.md5(data).hexdigest()


def archive(folder: str) -> None:
    """Archive a folder through a shell (bandit flags shell=True)."""
    subprocess.run(f"tar czf backup.tgz {folder}", shell=True, check=True)
