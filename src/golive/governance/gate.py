"""The gate: may this release go live? One ``golive.gate-decision/v1`` per question.

Every rule is judged from the registry at one instant, fail-closed: evidence that
is missing, stale, unsigned or signed by the wrong key is a ``no``. The decision,
with one entry per rule and a human reason, is recorded like every other write.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from golive.governance.approvals import governance_of, list_approvals
from golive.governance.approvals import tally as approvals_tally
from golive.governance.incidents import BLOCKING, list_incidents
from golive.governance.items import READY, item_register
from golive.governance.rehearsals import latest_ok_rehearsal
from golive.governance.releases import StoredRelease, get_release
from golive.governance.store import add, document_of
from golive.governance.waivers import load_waivers
from golive.observe.tracing import gate_span
from golive.registry.database import Registry
from golive.registry.governance import GateDecision
from golive.registry.instants import Clock, as_utc, parse_rfc3339, rfc3339, utc_now
from golive.registry.scorecards import StoredScorecard, latest_scorecard
from golive.spec.durations import format_duration
from golive.spec.governance import Governance
from golive.spec.models import Duration, Spec

DECISION_SCHEMA = "golive.gate-decision/v1"


@dataclass(frozen=True)
class Rule:
    """One line of the go/no-go sheet."""

    rule: str
    ok: bool
    reason: str

    def as_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "ok": self.ok, "reason": self.reason}


def new_trace_id() -> str:
    """A random 16-byte hex trace id (the OpenTelemetry trace id will take its place)."""
    return secrets.token_hex(16)


def decide(
    registry: Registry,
    spec: Spec,
    version: str,
    *,
    actor: str,
    clock: Clock = utc_now,
    trace_id: str | None = None,
) -> dict[str, Any]:
    """Judge every rule for ``version`` now, record the decision and return it.

    The decision is made in a ``deployment.gate`` span. Its ``trace_id`` is the one the
    caller gives, else the span's when tracing is on, else a random one.
    """
    with gate_span(version, spec=spec.name) as span:
        document = _decide(
            registry, spec, version, actor=actor, clock=clock, trace_id=trace_id or span.trace_id
        )
        card = document["scorecard"]
        span.decided(
            allowed=document["allowed"],
            scorecard=None if card is None else card["sha256"],
            scorecard_id=None if card is None else card["id"],
        )
    return document


def _decide(
    registry: Registry,
    spec: Spec,
    version: str,
    *,
    actor: str,
    clock: Clock,
    trace_id: str | None,
) -> dict[str, Any]:
    governance = governance_of(spec)
    release = get_release(registry, version)
    now = as_utc(clock(), "the clock's time")
    card = latest_scorecard(registry, spec.name)
    rules = [
        _scorecard_rule(card, now, governance.scorecard.max_age),
        _approvals_rule(registry, governance, release),
        _waivers_rule(registry, spec, card, version, now),
        _rehearsal_rule(registry, now, governance.rehearsal.max_age),
        *_incident_rules(registry, now, timedelta(seconds=governance.postmortem.due.seconds)),
        _items_rule(registry, spec, release),
    ]
    document = {
        "schema": DECISION_SCHEMA,
        "allowed": all(r.ok for r in rules),
        "release": {
            "version": release.version,
            "revision": release.revision,
            "manifest_sha256": release.sha256,
        },
        "scorecard": None
        if card is None
        else {
            "id": card.id,
            "sha256": card.sha256,
            "evaluated_at": rfc3339(card.evaluated_at),
            "ready": card.ready,
        },
        "decided_at": rfc3339(now),
        "decided_by": actor,
        "trace_id": trace_id or new_trace_id(),
        "rules": [r.as_json() for r in rules],
    }
    with registry.write() as session:
        add(
            session,
            GateDecision(version=version, allowed=document["allowed"]),
            document,
            entity="gate_decision",
            summary={"release": version, "allowed": document["allowed"]},
            actor=actor,
            at=now,
        )
    return document


def latest_decision(registry: Registry, version: str) -> dict[str, Any] | None:
    """The last gate decision recorded for ``version``, None before the first."""
    query = select(GateDecision).where(GateDecision.version == version)
    with registry.read() as session:
        row = session.scalar(query.order_by(GateDecision.id.desc()).limit(1))
        return None if row is None else document_of(row, "gate decision")


def _scorecard_rule(card: StoredScorecard | None, now: datetime, limit: Duration) -> Rule:
    name = "scorecard"
    if card is None:
        return Rule(name, False, "no scorecard recorded for this spec; run `golive check`")
    age, max_age = now - card.evaluated_at, timedelta(seconds=limit.seconds)
    shown = f"scorecard #{card.id} ({card.sha256[:16]}) evaluated {rfc3339(card.evaluated_at)}"
    if not card.ready:
        return Rule(name, False, f"{shown} is not ready")
    if age > max_age:
        return Rule(
            name, False, f"{shown} is {_age(age)} old, older than scorecard.max_age {limit.text}"
        )
    if age < timedelta(0):
        return Rule(name, False, f"{shown} is dated after the decision")
    return Rule(name, True, f"{shown} is ready, {_age(age)} old")


def _approvals_rule(registry: Registry, governance: Governance, release: StoredRelease) -> Rule:
    # The release read once for the whole decision: the one its approvals are judged against.
    tally = approvals_tally(release, list_approvals(registry, release.version), governance)
    valid = [c.approver for c in tally.checks if c.counts]
    void = [f"{c.approver}: {c.reason}" for c in tally.checks if not c.counts]
    reason = f"{tally.valid} of {tally.required} required approvals valid"
    if valid:
        reason += f" ({', '.join(valid)})"
    if void:
        reason += "; not counted: " + "; ".join(void)
    return Rule("approvals", tally.ok, reason)


def _waivers_rule(
    registry: Registry, spec: Spec, card: StoredScorecard | None, version: str, now: datetime
) -> Rule:
    name = "waivers"
    if card is None:
        return Rule(name, False, "no scorecard, so no waiver can be judged")
    waived = [c for c in card.document["checks"] if c["status"] == "waived"]
    if not waived:
        return Rule(name, True, "no check is waived")
    valid = {w.sha256: w for w in load_waivers(registry, spec)[0]}
    problems = []
    for check in waived:
        named = str((check.get("waiver") or {}).get("id"))
        waiver = valid.get(named)
        if waiver is None:
            problems.append(f"{check['id']} names no valid waiver")
        elif not waiver.active(now):
            problems.append(f"{check['id']}: its waiver expired at {rfc3339(waiver.expires_at)}")
        elif waiver.release not in (None, version):
            problems.append(f"{check['id']}: its waiver is for release {waiver.release}")
    if problems:
        return Rule(name, False, "; ".join(problems))
    return Rule(name, True, f"{len(waived)} waived check(s), each by a valid unexpired waiver")


def _rehearsal_rule(registry: Registry, now: datetime, limit: Duration) -> Rule:
    name = "rehearsal"
    latest = latest_ok_rehearsal(registry, now)
    if latest is None:
        return Rule(name, False, "no rollback_ok rehearsal recorded; run `golive rehearse`")
    performed = parse_rfc3339(latest["performed_at"], "performed_at")
    age, max_age = now - performed, timedelta(seconds=limit.seconds)
    shown = f"rollback_ok rehearsal ({latest['rollback_strategy']}) at {latest['performed_at']}"
    if age > max_age:
        return Rule(
            name,
            False,
            f"last {shown} is {_age(age)} old, older than rehearsal.max_age {limit.text}",
        )
    return Rule(name, True, f"{shown}, {_age(age)} old")


def _incident_rules(registry: Registry, now: datetime, due: timedelta) -> list[Rule]:
    incidents = [i for i in list_incidents(registry) if i.opened_at <= now]
    blocking = [i for i in incidents if i.open and i.severity in BLOCKING]
    overdue = [i for i in incidents if i.overdue(due, now)]
    open_rule = Rule(
        "incidents",
        not blocking,
        "open: " + ", ".join(f"{i.id} {i.severity} {i.title!r}" for i in blocking)
        if blocking
        else "no open sev1 or sev2 incident",
    )
    overdue_rule = Rule(
        "postmortems",
        not overdue,
        "overdue: "
        + ", ".join(
            f"{i.id} (due {rfc3339(i.resolved_at + due)})" for i in overdue if i.resolved_at
        )
        if overdue
        else "no postmortem overdue",
    )
    return [open_rule, overdue_rule]


def _items_rule(registry: Registry, spec: Spec, release: StoredRelease) -> Rule:
    named = release.manifest.get("items", [])
    if not named:
        return Rule("items", True, "the release names no register item")
    statuses = {s.id: s for s in item_register(registry, spec)}
    problems = []
    for item in named:
        status = statuses.get(item)
        if status is None:
            problems.append(f"{item} is not in the spec's items")
        elif status.status != READY:
            problems.append(f"{item} is {status.status}")
    if problems:
        return Rule("items", False, "; ".join(problems))
    return Rule("items", True, f"{', '.join(named)} promoted (READY_FOR_GO_LIVE)")


def _age(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    return format_duration(seconds) if seconds > 0 else "0s"


def recorded_decisions(registry: Registry, version: str) -> list[tuple[str, dict[str, Any]]]:
    """Every gate decision recorded for ``version``, oldest first, each with its sha256."""
    query = select(GateDecision).where(GateDecision.version == version).order_by(GateDecision.id)
    with registry.read() as session:
        return [(row.sha256, document_of(row, "gate decision")) for row in session.scalars(query)]


def recorded_decision(registry: Registry, sha256: str) -> dict[str, Any] | None:
    """The recorded gate decision whose sha256 is ``sha256``, if there is one."""
    with registry.read() as session:
        row = session.scalar(select(GateDecision).where(GateDecision.sha256 == sha256))
        return None if row is None else document_of(row, "gate decision")
