"""What every evidence source hands to the engine.

A source turns its input into *records*: JSON-serialisable dicts, one per event,
test case, finding, sample, ... Times inside records are RFC 3339 strings in UTC
(``2025-12-18T00:00:00Z``) or epoch numbers. Alongside the records it reports
what it read (:class:`EvidenceItem`), so the scorecard can name every byte behind
a verdict by hash.

Fail closed: a source that cannot read its input raises :class:`EvidenceError`
(its checks become ``error``); a source whose input does not exist returns no
evidence items (its checks become ``no_data``). It never invents records.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

MAX_INVALID_LINES_LISTED = 20


@dataclass(frozen=True)
class EvidenceItem:
    """One input a source read: a file, a URL, a query, a command run."""

    path: str
    sha256: str | None
    records: int
    invalid: int = 0
    invalid_lines: tuple[int, ...] = ()
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Records:
    """Records produced in Python by a source adapter, with what was read to make them."""

    rows: list[dict[str, Any]]
    evidence: list[EvidenceItem]
    time_field: str | None = None


RecordReader = Callable[[Any, Path, datetime], Records]
"""Reads a non-JSONL source into records: (source config, spec folder, evaluation instant)."""
