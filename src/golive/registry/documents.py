"""Read the facts the registry indexes out of a ``golive.scorecard/v1`` document.

The registry refuses a document it cannot index, or one whose verdict contradicts
its own checks: a scorecard that says ``ready`` while a required check fails is
never stored.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from golive.errors import UsageError
from golive.registry.instants import parse_rfc3339
from golive.registry.models import CHECK_STATUSES

SCHEMA = "golive.scorecard/v1"
# Statuses that let a required check count towards ``ready`` (DESIGN.md).
READY_STATUSES = ("pass", "warn", "waived")


@dataclass(frozen=True)
class CheckFacts:
    """The columns of one ``check_results`` row."""

    id: str
    status: str
    observed: float | None
    required: bool


@dataclass(frozen=True)
class ScorecardFacts:
    """The columns of one ``scorecards`` row, taken from the document."""

    spec_name: str
    spec_path: str
    spec_sha256: str
    evaluated_at: datetime
    ready: bool
    score: float
    checks: tuple[CheckFacts, ...]


def scorecard_facts(document: Any) -> ScorecardFacts:
    """Validate ``document`` as a scorecard and return what the registry indexes.

    Only the dangerous contradiction is refused (``ready`` with a blocking required
    check); a document that is more cautious than its checks is kept as it is.
    """
    if not isinstance(document, dict):
        raise _bad("the document", "a JSON object", document)
    if document.get("schema") != SCHEMA:
        raise _bad("schema", repr(SCHEMA), document.get("schema"))
    spec = document.get("spec")
    if not isinstance(spec, dict):
        raise _bad("spec", "an object with name, path and sha256", spec)
    checks = document.get("checks")
    if not isinstance(checks, list):
        raise _bad("checks", "a list", checks)
    evaluated_at = _string(document, "evaluated_at", "evaluated_at")
    try:
        instant = parse_rfc3339(evaluated_at, "evaluated_at")
    except ValueError as exc:
        raise UsageError(f"not a {SCHEMA} document: {exc}") from None
    facts = ScorecardFacts(
        spec_name=_string(spec, "name", "spec.name"),
        spec_path=_string(spec, "path", "spec.path"),
        spec_sha256=_string(spec, "sha256", "spec.sha256"),
        evaluated_at=instant,
        ready=_boolean(document, "ready", "ready"),
        score=_score(document.get("score")),
        checks=tuple(_check(check, i) for i, check in enumerate(checks)),
    )
    _check_unique_ids(facts.checks)
    _check_verdict(facts)
    return facts


def _check(check: Any, index: int) -> CheckFacts:
    where = f"checks[{index}]"
    if not isinstance(check, dict):
        raise _bad(where, "an object", check)
    status = _string(check, "status", f"{where}.status")
    if status not in CHECK_STATUSES:
        raise _bad(f"{where}.status", "one of " + ", ".join(CHECK_STATUSES), status)
    observed = check.get("observed")
    if observed is not None and not _is_number(observed):
        raise _bad(f"{where}.observed", "a number or null", observed)
    return CheckFacts(
        id=_string(check, "id", f"{where}.id"),
        status=status,
        observed=None if observed is None else float(observed),
        required=_boolean(check, "required", f"{where}.required"),
    )


def _check_unique_ids(checks: tuple[CheckFacts, ...]) -> None:
    seen: set[str] = set()
    for check in checks:
        if check.id in seen:
            raise UsageError(f"not a {SCHEMA} document: check id {check.id!r} appears twice")
        seen.add(check.id)


def _check_verdict(facts: ScorecardFacts) -> None:
    blocking = [c.id for c in facts.checks if c.required and c.status not in READY_STATUSES]
    if facts.ready and blocking:
        raise UsageError(
            f"inconsistent scorecard: ready is true but required check {blocking[0]!r} "
            "is not pass, warn or waived"
        )


def _score(value: Any) -> float:
    if not _is_number(value) or not 0 <= value <= 1:
        raise _bad("score", "a number from 0 to 1", value)
    return float(value)


def _string(mapping: dict[str, Any], key: str, where: str) -> str:
    value = mapping.get(key)
    if not isinstance(value, str) or not value:
        raise _bad(where, "a non-empty string", value)
    return value


def _boolean(mapping: dict[str, Any], key: str, where: str) -> bool:
    value = mapping.get(key)
    if not isinstance(value, bool):
        raise _bad(where, "true or false", value)
    return value


def _is_number(value: Any) -> bool:
    # NaN and infinities have no JSON form, so they cannot be part of a scorecard.
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _bad(where: str, expected: str, got: Any) -> UsageError:
    return UsageError(f"not a {SCHEMA} document: {where} must be {expected}, got {got!r}")
