"""JSON Lines evidence: which files a source names, their digests, and their bad lines.

The records themselves are read by the engine's SQL engine (DuckDB) in one scan;
this module finds the files, hashes them (streamed), and, only when the scan
reports invalid lines, finds their line numbers for the scorecard.
"""

from __future__ import annotations

import glob
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from golive.engine.timeparse import to_epoch_us
from golive.sources.base import MAX_INVALID_LINES_LISTED

CHUNK = 1 << 20


@dataclass(frozen=True)
class Expansion:
    """The files a source's patterns name, and the patterns that named nothing."""

    files: list[Path]
    unmatched: list[str]


def expand(patterns: list[str], base_dir: Path) -> Expansion:
    """Resolve paths and globs relative to ``base_dir``: sorted, without duplicates."""
    found: dict[Path, None] = {}
    unmatched: list[str] = []
    for pattern in patterns:
        full = Path(pattern) if Path(pattern).is_absolute() else base_dir / pattern
        if glob.has_magic(pattern):
            matches = sorted(Path(p) for p in glob.glob(str(full), recursive=True))
            matches = [m for m in matches if m.is_file()]
        else:
            matches = [full] if full.is_file() else []
        if not matches:
            unmatched.append(pattern)
        for match in matches:
            found.setdefault(match, None)
    return Expansion(sorted(found), unmatched)


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def display_path(path: Path, base_dir: Path) -> str:
    """The path as the scorecard shows it: relative to the spec's folder when inside it."""
    try:
        return path.resolve().relative_to(base_dir.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _lookup(record: dict[str, Any], dotted: str) -> object:
    current: object = record
    for part in dotted.split("."):
        if not isinstance(current, dict):
            return None
        current = current.get(part)
    return current


def invalid_lines(
    path: Path, time_field: str | None, limit: int = MAX_INVALID_LINES_LISTED
) -> list[int]:
    """Line numbers (1-based) of lines that are not a JSON object, or lack a valid time.

    Blank lines are skipped, as the scan skips them. ``time_field`` is None when no
    window applies to the checks that read this file.
    """
    found: list[int] = []
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw, parse_constant=_reject_constant)
            except ValueError:
                found.append(number)
            else:
                if not isinstance(record, dict) or (
                    time_field is not None and to_epoch_us(_lookup(record, time_field)) is None
                ):
                    found.append(number)
            if len(found) >= limit:
                break
    return found
