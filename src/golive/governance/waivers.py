"""Signed, expiring waivers, and how they turn a non-passing check into ``waived``.

A waiver is signed by an approver's key over ``golive-waiver-v1:<digest of its
terms>`` (spec, check, release, reason, created_at, expires_at). It is refused
for a check in ``governance.waivers.never`` and beyond ``max_days``. It applies
while ``at < expires_at``; from its expiry on it is ignored and the check says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from golive.canonical import digest
from golive.engine.scorecard import CheckResult, Scorecard
from golive.errors import GoliveError, UsageError
from golive.governance.approvals import approver_for, approvers_of, governance_of
from golive.governance.keys import WAIVER, PublicKey, SigningKey, check_signed_at, sign, verify
from golive.governance.releases import get_release
from golive.governance.store import add, document_of
from golive.registry.database import Registry
from golive.registry.governance import Waiver
from golive.registry.instants import Clock, as_utc, rfc3339, utc_now
from golive.spec.governance import Governance
from golive.spec.models import Spec

WAIVER_SCHEMA = "golive.waiver/v1"
# Statuses a waiver can cover: a check that already passes (or warns) needs none.
WAIVABLE = ("fail", "no_data", "error")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class ValidWaiver:
    """A recorded waiver whose signature and terms hold under the current spec."""

    sha256: str
    check_id: str
    release: str | None
    reason: str
    approver: str
    created_at: datetime
    expires_at: datetime

    def reference(self) -> dict[str, Any]:
        """What a waived check's ``waiver`` key holds."""
        return {
            "id": self.sha256,
            "approver": self.approver,
            "reason": self.reason,
            "expires_at": rfc3339(self.expires_at),
            "release": self.release,
        }

    def active(self, at: datetime) -> bool:
        """Whether the waiver applies at ``at`` (it expires at ``expires_at`` exactly)."""
        return at < self.expires_at


def parse_expiry(text: str) -> datetime:
    """``--expires``: a date (that day at 00:00Z) or an RFC 3339 instant."""
    value = text.strip()
    try:
        if _DATE.fullmatch(value):
            return datetime.fromisoformat(value).replace(tzinfo=UTC)
        parsed = datetime.fromisoformat(value)
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise UsageError(
            f"--expires {text!r}: expected a date such as 2026-01-31 (expires at 00:00Z that "
            "day) or an RFC 3339 instant such as 2026-01-31T12:00:00Z"
        )
    return parsed.astimezone(UTC)


def waive(
    registry: Registry,
    spec: Spec,
    check_id: str,
    *,
    reason: str,
    expires_at: datetime,
    key: SigningKey,
    release: str | None,
    actor: str,
    clock: Clock = utc_now,
) -> dict[str, Any]:
    """Sign and record a waiver of ``check_id``; refuse one the policy does not allow."""
    now = as_utc(clock(), "the clock's time")
    terms = waiver_terms(
        registry,
        spec,
        check_id,
        reason=reason,
        created_at=now,
        expires_at=expires_at,
        public=key.public,
        release=release,
    )
    return _record(registry, spec, terms, sign(key, WAIVER, digest(terms)), actor, now)


def waiver_terms(
    registry: Registry,
    spec: Spec,
    check_id: str,
    *,
    reason: str,
    created_at: datetime,
    expires_at: datetime,
    public: PublicKey,
    release: str | None,
) -> dict[str, Any]:
    """The terms a waiver's signature covers (its digest is signed); refused when the policy
    does not allow them."""
    governance = governance_of(spec)
    approver = approver_for(governance, public, "a waiver")
    created_at = as_utc(created_at, "created_at")
    expires_at = as_utc(expires_at, "--expires")
    known = [c.id for c in spec.checks]
    if check_id not in known:
        raise UsageError(
            f"spec {spec.name!r} has no check {check_id!r}; waive one of: "
            + (", ".join(known) or "(no checks)")
        )
    if not reason.strip():
        raise UsageError("--reason: say why the check may be waived")
    if release is not None:
        get_release(registry, release)
    terms = {
        "schema": WAIVER_SCHEMA,
        "spec": spec.name,
        "check_id": check_id,
        "release": release,
        "reason": reason.strip(),
        "created_at": rfc3339(created_at),
        "expires_at": rfc3339(expires_at),
        "approver": approver.name,
        "key_fingerprint": public.fingerprint,
    }
    problem = _policy_problem(terms, governance, created_at, expires_at)
    if problem is not None:
        raise UsageError(f"waiver of {check_id} refused: {problem}")
    return terms


def record_waiver(
    registry: Registry,
    spec: Spec,
    terms: dict[str, Any],
    signature: str,
    *,
    public: PublicKey,
    actor: str,
    clock: Clock = utc_now,
) -> dict[str, Any]:
    """Record a waiver signed elsewhere (the API never holds private keys): ``terms`` from
    :func:`waiver_terms`, signed no further than ``MAX_CLOCK_SKEW`` from now."""
    now = as_utc(clock(), "the clock's time")
    check_signed_at(datetime.fromisoformat(str(terms["created_at"])), now, "created_at", "waiver")
    verify(public, WAIVER, digest(terms), signature)
    return _record(registry, spec, terms, signature, actor, now)


def _record(
    registry: Registry,
    spec: Spec,
    terms: dict[str, Any],
    signature: str,
    actor: str,
    now: datetime,
) -> dict[str, Any]:
    document = {**terms, "signature": signature}
    expires_at = datetime.fromisoformat(str(terms["expires_at"]))
    with registry.write() as session:
        add(
            session,
            Waiver(spec_name=spec.name, check_id=terms["check_id"], expires_at=expires_at),
            document,
            entity="waiver",
            summary={
                "spec": spec.name,
                "check_id": terms["check_id"],
                "approver": terms["approver"],
            },
            actor=actor,
            at=now,
        )
    return document


def list_waivers(registry: Registry, spec_name: str) -> list[dict[str, Any]]:
    """Every waiver recorded for spec ``spec_name``, oldest first (unjudged: judging needs the
    spec's approvers, see :func:`load_waivers`)."""
    query = select(Waiver).where(Waiver.spec_name == spec_name).order_by(Waiver.id)
    with registry.read() as session:
        return [document_of(row, "waiver") for row in session.scalars(query)]


def load_waivers(registry: Registry, spec: Spec) -> tuple[list[ValidWaiver], list[str]]:
    """The spec's recorded waivers that verify, and why each of the others does not."""
    if spec.governance is None:
        return [], []
    query = select(Waiver).where(Waiver.spec_name == spec.name).order_by(Waiver.id)
    with registry.read() as session:
        documents = [(row.sha256, document_of(row, "waiver")) for row in session.scalars(query)]
    valid, problems = [], []
    for sha256, document in documents:
        try:
            valid.append(verified_waiver(sha256, document, spec.governance))
        except GoliveError as exc:
            problems.append(f"waiver {sha256[:16]} of {document.get('check_id')}: {exc}")
    return valid, problems


def verified_waiver(sha256: str, document: dict[str, Any], governance: Governance) -> ValidWaiver:
    """The waiver in ``document`` once its key, signature and terms hold; else UsageError."""
    terms = {k: v for k, v in document.items() if k != "signature"}
    approver = approvers_of(governance).get(str(terms.get("key_fingerprint")))
    if approver is None:
        raise UsageError("its key is not one of governance.approvers")
    verify(approver.key, WAIVER, digest(terms), str(document.get("signature", "")))
    created_at = datetime.fromisoformat(str(terms["created_at"]))
    expires_at = datetime.fromisoformat(str(terms["expires_at"]))
    problem = _policy_problem(terms, governance, created_at, expires_at)
    if problem is not None:
        raise UsageError(problem)
    return ValidWaiver(
        sha256=sha256,
        check_id=str(terms["check_id"]),
        release=terms.get("release"),
        reason=str(terms["reason"]),
        approver=approver.name,
        created_at=created_at,
        expires_at=expires_at,
    )


def apply_waivers(scorecard: Scorecard, waivers: list[ValidWaiver], at: datetime) -> Scorecard:
    """``scorecard`` with each non-passing check that a waiver active at ``at`` covers waived.

    The waiver that lasts longest is named in the check; an expired one is not applied,
    and the check's message says so.
    """
    by_check: dict[str, list[ValidWaiver]] = {}
    for waiver in waivers:
        by_check.setdefault(waiver.check_id, []).append(waiver)
    checks = [_applied(c, by_check.get(c.id, []), at) for c in scorecard.checks]
    return replace(scorecard, checks=tuple(checks))


def _applied(check: CheckResult, waivers: list[ValidWaiver], at: datetime) -> CheckResult:
    if check.status not in WAIVABLE or not waivers:
        return check
    active = [w for w in waivers if w.active(at)]
    if active:
        chosen = max(active, key=lambda w: w.expires_at)
        return replace(
            check,
            status="waived",
            waiver=chosen.reference(),
            message=f"waived by {chosen.approver} until {rfc3339(chosen.expires_at)} "
            f"({chosen.reason}); {check.status}: {check.message}",
        )
    last = max(waivers, key=lambda w: w.expires_at)
    return replace(
        check,
        message=f"{check.message}; waiver {last.sha256[:16]} by {last.approver} expired at "
        f"{rfc3339(last.expires_at)} and is not applied",
    )


def _policy_problem(
    terms: dict[str, Any], governance: Governance, created_at: datetime, expires_at: datetime
) -> str | None:
    if terms.get("check_id") in governance.waivers.never:
        return f"{terms.get('check_id')} is in governance.waivers.never and can never be waived"
    if expires_at <= created_at:
        return f"it would expire at {rfc3339(expires_at)}, which is not after its signing"
    limit = timedelta(days=governance.waivers.max_days)
    if expires_at - created_at > limit:
        return (
            f"it would last until {rfc3339(expires_at)}, longer than governance.waivers."
            f"max_days ({governance.waivers.max_days} days from {rfc3339(created_at)}, so at "
            f"most {rfc3339(created_at + limit)})"
        )
    return None
