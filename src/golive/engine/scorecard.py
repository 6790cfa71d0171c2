"""The scorecard: the result of evaluating a spec, and its ``golive.scorecard/v1`` JSON."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from golive.canonical import digest
from golive.engine.status import STATUSES, Status, is_ready, score
from golive.times import rfc3339

SCHEMA = "golive.scorecard/v1"


@dataclass(frozen=True)
class EvidenceRef:
    """One input behind a check: what was read, its digest, how much of it was usable."""

    source: str
    path: str
    sha256: str | None
    records: int
    invalid: int
    invalid_lines: tuple[int, ...]
    window: dict[str, str] | None
    # What else identifies the input, by source type: a SQL server's version and the rows
    # it scanned, a file's size in bytes. Omitted from the JSON when empty (additive field).
    detail: Mapping[str, str | int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "source": self.source,
            "path": self.path,
            "sha256": self.sha256,
            "records": self.records,
            "invalid": self.invalid,
            "invalid_lines": list(self.invalid_lines),
            "window": self.window,
        }
        if self.detail:
            document["detail"] = dict(self.detail)
        return document


@dataclass(frozen=True)
class BucketResult:
    """One ``every`` bucket of a check."""

    start: str
    end: str
    observed: float | int | None
    status: Status

    def as_json(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "observed": self.observed,
            "status": self.status,
        }


@dataclass(frozen=True)
class CheckResult:
    """The verdict on one check, with the evidence behind it."""

    id: str
    title: str | None
    status: Status
    required: bool
    weight: float
    measure: str
    observed: float | int | None
    expect: str
    warn: str | None
    message: str
    evidence: tuple[EvidenceRef, ...] = ()
    buckets: tuple[BucketResult, ...] | None = None
    # The waiver that turned this check into ``waived`` (golive.governance.waivers); the
    # scorecard document carries a "waiver" key only when there is one.
    waiver: dict[str, Any] | None = None

    def as_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "required": self.required,
            "weight": self.weight,
            "measure": self.measure,
            "observed": self.observed,
            "expect": self.expect,
            "warn": self.warn,
            "buckets": None if self.buckets is None else [b.as_json() for b in self.buckets],
            "message": self.message,
            "evidence": [e.as_json() for e in self.evidence],
        }
        if self.waiver is not None:
            document["waiver"] = self.waiver
        return document


@dataclass(frozen=True)
class Scorecard:
    """Every check's verdict at one instant, and whether the spec is ready."""

    spec_name: str
    spec_path: str
    spec_sha256: str
    evaluated_at: datetime
    checks: tuple[CheckResult, ...] = field(default_factory=tuple)

    @property
    def ready(self) -> bool:
        return is_ready(c.status for c in self.checks if c.required)

    @property
    def score(self) -> float:
        return score((c.status, c.weight) for c in self.checks)

    @property
    def summary(self) -> dict[str, int]:
        counts: dict[str, int] = dict.fromkeys(STATUSES, 0)
        for check in self.checks:
            counts[check.status] += 1
        return counts

    def to_document(self) -> dict[str, Any]:
        """The ``golive.scorecard/v1`` document (DESIGN.md)."""
        return {
            "schema": SCHEMA,
            "spec": {"name": self.spec_name, "path": self.spec_path, "sha256": self.spec_sha256},
            "evaluated_at": rfc3339(self.evaluated_at),
            "ready": self.ready,
            "score": self.score,
            "summary": self.summary,
            "checks": [c.as_json() for c in self.checks],
        }

    @property
    def sha256(self) -> str:
        """The scorecard's identity: SHA-256 of its canonical JSON."""
        return digest(self.to_document())
