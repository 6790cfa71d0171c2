"""Files matched by globs: one record per file with its size, modification time and SHA-256."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from golive.sources._files import expand, sha256_file
from golive.sources._time import from_epoch
from golive.sources.base import EvidenceItem, Records
from golive.spec.sources import FileSource


def read(config: FileSource, base_dir: Path) -> Records:
    """One record per matched file: path, size, mtime (RFC 3339 UTC), sha256."""
    rows: list[dict[str, Any]] = []
    evidence: list[EvidenceItem] = []
    for match in expand(config.path, base_dir):
        sha = sha256_file(match)
        stat = match.path.stat()
        rows.append(
            {
                "path": match.name,
                "size": stat.st_size,
                "mtime": from_epoch(stat.st_mtime),
                "sha256": sha,
            }
        )
        evidence.append(EvidenceItem(match.name, sha, 1))
    return Records(rows, evidence, config.time)
