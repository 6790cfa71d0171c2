"""JSON Lines evidence: which files a source names, their digests, and their bad lines.

The records themselves are read by the engine's SQL engine (DuckDB) in one scan;
this module finds the files, hashes them (streamed), and, only when the scan
reports invalid lines, finds their line numbers for the scorecard.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from golive.sources._files import Match, expand
from golive.sources.base import MAX_INVALID_LINES_LISTED
from golive.times import to_epoch_us


@dataclass(frozen=True)
class Expansion:
    """The files a source's patterns name, and the patterns that named nothing."""

    files: list[Match]
    unmatched: list[str]


def expand_each(patterns: list[str], base_dir: Path) -> Expansion:
    """Expand every pattern; a pattern that matches nothing is reported, not skipped.

    Fail closed: a source naming two logs of which one is missing has incomplete
    evidence, so its checks are ``no_data`` rather than judged on half the data.
    """
    found: dict[Path, Match] = {}
    unmatched: list[str] = []
    for pattern in patterns:
        matches = expand(pattern, base_dir)
        if not matches:
            unmatched.append(pattern)
        for match in matches:
            found.setdefault(match.path.resolve(), match)
    return Expansion(sorted(found.values(), key=lambda m: m.name), unmatched)


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
