"""Request and response bodies of the API, as strict pydantic models (they make the OpenAPI).

``ScorecardDocument`` is the ``golive.scorecard/v1`` document that ``golive check
--json`` prints (DESIGN.md). It is strict: no unknown fields, no strings for
numbers, no numbers for booleans, and its summary and verdict must agree with its
checks. The registry still stores the document exactly as it was sent, so its
sha256 is the one ``golive check`` printed.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from golive.registry.documents import READY_STATUSES
from golive.registry.instants import parse_rfc3339

Status = Literal["pass", "warn", "fail", "no_data", "error", "waived"]


def _rfc3339(value: str) -> str:
    parse_rfc3339(value, "instant")
    return value


def _finite(value: float | None) -> float | None:
    if value is not None and not math.isfinite(value):
        raise ValueError("must be a finite number")
    return value


Instant = Annotated[
    str,
    AfterValidator(_rfc3339),
    Field(json_schema_extra={"format": "date-time"}, examples=["2025-12-18T00:00:00Z"]),
]
Number = Annotated[float | None, AfterValidator(_finite)]
# The largest integer RFC 8785 (canonical JSON, the documents' digests) can carry exactly:
# a larger one would make the digest fail, so it is refused at the edge with a 422.
JSON_SAFE_MAX = 2**53 - 1
Count = Annotated[int, Field(ge=0, le=JSON_SAFE_MAX)]
SafeInt = Annotated[int, Field(ge=-JSON_SAFE_MAX, le=JSON_SAFE_MAX)]


# Text the registry indexes in columns: PostgreSQL text cannot hold NUL, so it is refused
# everywhere, and the same document is accepted whichever database the registry is on.
Indexed = Annotated[str, Field(min_length=1, pattern=r"^[^\x00]+$")]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class SpecRef(_Strict):
    """The spec a scorecard evaluated: its name, path and the SHA-256 of its text."""

    name: Indexed
    path: Indexed
    sha256: Indexed


class EvidenceWindow(_Strict):
    """The time range of records the check read (empty strings for ``window: all``)."""

    start: str
    end: str


class Evidence(_Strict):
    """One input behind a check: what was read, its digest, how much was usable."""

    source: str
    path: str
    sha256: str | None
    records: Count
    invalid: Count
    invalid_lines: list[Count]
    window: EvidenceWindow | None
    detail: dict[str, str | SafeInt] | None = None


class Bucket(_Strict):
    """One ``every`` bucket of a check."""

    start: str
    end: str
    observed: Number
    status: Status


class WaiverRef(_Strict):
    """The signed waiver that turned a check into ``waived`` (``golive waive``)."""

    id: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    approver: str
    reason: str
    expires_at: Instant
    release: str | None


class Check(_Strict):
    """One check's verdict, with the evidence behind it."""

    id: Indexed
    title: str | None
    status: Status
    required: bool
    weight: Annotated[float, Field(ge=0, allow_inf_nan=False)] = 1
    measure: str
    observed: Number
    expect: str
    warn: str | None
    buckets: list[Bucket] | None
    message: str
    evidence: list[Evidence]
    waiver: WaiverRef | None = None


class Summary(_Strict):
    """How many checks ended in each status."""

    pass_: Annotated[int, Field(ge=0, le=JSON_SAFE_MAX, alias="pass")]
    warn: Count
    fail: Count
    no_data: Count
    error: Count
    waived: Count


class ScorecardDocument(_Strict):
    """A ``golive.scorecard/v1`` document, as ``golive check --json`` prints it."""

    schema_: Annotated[Literal["golive.scorecard/v1"], Field(alias="schema")]
    spec: SpecRef
    evaluated_at: Instant
    ready: bool
    score: Annotated[float, Field(ge=0, le=1)]
    summary: Summary
    checks: list[Check]

    @model_validator(mode="after")
    def _agrees_with_its_checks(self) -> ScorecardDocument:
        counts = dict.fromkeys(Summary.model_fields, 0)
        for check in self.checks:
            counts["pass_" if check.status == "pass" else check.status] += 1
        if counts != {name: getattr(self.summary, name) for name in Summary.model_fields}:
            raise ValueError("summary does not match the statuses of the checks")
        ids = [c.id for c in self.checks]
        if len(set(ids)) != len(ids):
            raise ValueError("check ids must be unique")
        blocking = [c.id for c in self.checks if c.required and c.status not in READY_STATUSES]
        if self.ready and blocking:
            raise ValueError(
                f"ready is true but required check {blocking[0]!r} is not pass, warn or waived"
            )
        return self


class ScorecardSummary(BaseModel):
    """A scorecard as listed: its identity and verdict, without the checks."""

    id: int
    sha256: str
    spec_name: str
    spec_path: str
    evaluated_at: str
    recorded_at: str
    recorded_by: str
    ready: bool
    score: float


class ScorecardPage(BaseModel):
    """One page of scorecards, newest evaluation first, and how many match in all."""

    total: int
    limit: int
    offset: int
    items: list[ScorecardSummary]


class StoredScorecardOut(ScorecardSummary):
    """A recorded scorecard with its whole document."""

    document: dict[str, Any] = Field(
        description="The golive.scorecard/v1 document exactly as recorded (see ScorecardDocument)."
    )


class AuditVerification(BaseModel):
    """The audit chain recomputed: intact, or the first broken entry and why."""

    ok: bool
    entries: int
    first_broken_seq: int | None
    reason: str | None
    head_hash: str | None


class Health(BaseModel):
    """Liveness or readiness."""

    status: Literal["ok"]


class Me(BaseModel):
    """The token a request authenticated with."""

    name: str
    role: Literal["viewer", "engineer", "approver", "admin"]


class TokenOut(BaseModel):
    """A token as listed (the secret is never stored, so never listed)."""

    name: str
    role: Literal["viewer", "engineer", "approver", "admin"]
    created_at: str
    created_by: str
    revoked_at: str | None
    revoked_by: str | None


class TokenCreate(_Strict):
    """A token to create."""

    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    role: Literal["viewer", "engineer", "approver", "admin"]


class TokenCreated(TokenOut):
    """A new token with its secret: shown once, in this answer only."""

    token: str
