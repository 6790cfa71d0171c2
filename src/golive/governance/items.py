"""The item register: each use case's status is computed from evidence, never typed.

- ``BLOCKED``: blocked (``golive item block``) and not unblocked since;
- ``READY_FOR_GO_LIVE``: every check it requires passes (or warns) in the latest
  scorecard, and a reviewer other than its owner signed its promotion;
- ``IN_PROGRESS``: some required check passes;
- ``NOT_STARTED``: none does.

A waived check is not evidence that the work is done, so it does not count here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from golive.canonical import digest
from golive.errors import GoliveError, SignatureError, UsageError
from golive.governance.approvals import approver_for, approvers_of, governance_of
from golive.governance.keys import (
    PROMOTION,
    PublicKey,
    SigningKey,
    check_signed_at,
    sign,
    verify,
)
from golive.governance.store import add, document_of
from golive.registry.database import Registry
from golive.registry.governance import ItemEvent
from golive.registry.instants import Clock, as_utc, parse_rfc3339, rfc3339, utc_now
from golive.registry.scorecards import StoredScorecard, latest_scorecard
from golive.spec.governance import Governance, Item
from golive.spec.models import Spec

EVENT_SCHEMA = "golive.item-event/v1"
DONE = ("pass", "warn")
NOT_STARTED, IN_PROGRESS, READY, BLOCKED = (
    "NOT_STARTED",
    "IN_PROGRESS",
    "READY_FOR_GO_LIVE",
    "BLOCKED",
)


@dataclass(frozen=True)
class ItemStatus:
    """One row of the register."""

    id: str
    title: str
    owner: str
    status: str
    done: int
    required: int
    last_updated: datetime | None
    note: str

    def as_json(self) -> dict[str, Any]:
        """The row as ``golive item list --json`` prints it."""
        return {
            "id": self.id,
            "title": self.title,
            "owner": self.owner,
            "status": self.status,
            "done": self.done,
            "required": self.required,
            "last_updated": None if self.last_updated is None else rfc3339(self.last_updated),
            "note": self.note,
        }


def item_register(registry: Registry, spec: Spec) -> list[ItemStatus]:
    """The status of every item of ``spec``, in spec order."""
    card = latest_scorecard(registry, spec.name)
    events = _events(registry, spec.name)
    return [_status(item, card, events.get(item.id, []), spec.governance) for item in spec.items]


def item_status(registry: Registry, spec: Spec, item_id: str) -> ItemStatus:
    """The status of one item."""
    _item(spec, item_id)
    return next(s for s in item_register(registry, spec) if s.id == item_id)


def promote(
    registry: Registry,
    spec: Spec,
    item_id: str,
    key: SigningKey,
    *,
    actor: str,
    clock: Clock = utc_now,
) -> dict[str, Any]:
    """Sign the item's promotion; refused for its owner or while a required check is not done."""
    now = as_utc(clock(), "the clock's time")
    terms = promotion_terms(registry, spec, item_id, public=key.public, actor=actor, at=now)
    document = {**terms, "signature": sign(key, PROMOTION, digest(terms))}
    _record(registry, spec.name, item_id, "promoted", document, actor, now)
    return document


def promotion_terms(
    registry: Registry,
    spec: Spec,
    item_id: str,
    *,
    public: PublicKey,
    actor: str,
    at: datetime,
) -> dict[str, Any]:
    """The terms a promotion's signature covers (its digest is signed); refused for the item's
    owner, a blocked item, or while a required check is not done in the latest scorecard."""
    item = _item(spec, item_id)
    governance = governance_of(spec)
    reviewer = approver_for(governance, public, "a promotion")
    if reviewer.name == item.owner:
        raise SignatureError(
            f"{reviewer.name} owns {item.id}; a reviewer other than the owner must promote it"
        )
    card = latest_scorecard(registry, spec.name)
    missing = _not_done(item, card)
    if card is None or missing:
        shown = ", ".join(missing) if card is not None else "no scorecard recorded"
        raise UsageError(
            f"{item.id} cannot be promoted: not every required check passes in the latest "
            f"scorecard ({shown}); run `golive check` once the evidence is there"
        )
    if item_status(registry, spec, item.id).status == BLOCKED:
        raise UsageError(f"{item.id} is blocked; unblock it before promoting it")
    return {
        "schema": EVENT_SCHEMA,
        "spec": spec.name,
        "item": item.id,
        "kind": "promoted",
        "at": rfc3339(as_utc(at, "at")),
        "actor": actor,
        "scorecard_sha256": card.sha256,
        "reviewer": reviewer.name,
        "key_fingerprint": public.fingerprint,
    }


def record_promotion(
    registry: Registry,
    spec: Spec,
    terms: dict[str, Any],
    signature: str,
    *,
    public: PublicKey,
    clock: Clock = utc_now,
) -> dict[str, Any]:
    """Record a promotion signed elsewhere (the API never holds private keys): ``terms`` from
    :func:`promotion_terms`, signed no further than ``MAX_CLOCK_SKEW`` from now."""
    now = as_utc(clock(), "the clock's time")
    check_signed_at(parse_rfc3339(str(terms["at"]), "at"), now, "at", "promotion")
    verify(public, PROMOTION, digest(terms), signature)
    document = {**terms, "signature": signature}
    _record(registry, spec.name, str(terms["item"]), "promoted", document, terms["actor"], now)
    return document


def block(
    registry: Registry, spec: Spec, item_id: str, reason: str, *, actor: str, clock: Clock = utc_now
) -> dict[str, Any]:
    """Block the item until it is unblocked."""
    if not reason.strip():
        raise UsageError("--reason: say what blocks the item")
    return _simple(registry, spec, item_id, "blocked", reason.strip(), actor, clock)


def unblock(
    registry: Registry, spec: Spec, item_id: str, *, actor: str, clock: Clock = utc_now
) -> dict[str, Any]:
    """Lift the item's block."""
    if item_status(registry, spec, item_id).status != BLOCKED:
        raise UsageError(f"{item_id} is not blocked")
    return _simple(registry, spec, item_id, "unblocked", None, actor, clock)


def _simple(
    registry: Registry,
    spec: Spec,
    item_id: str,
    kind: str,
    reason: str | None,
    actor: str,
    clock: Clock,
) -> dict[str, Any]:
    item = _item(spec, item_id)
    now = as_utc(clock(), "the clock's time")
    document = {
        "schema": EVENT_SCHEMA,
        "spec": spec.name,
        "item": item.id,
        "kind": kind,
        "at": rfc3339(now),
        "actor": actor,
        "reason": reason,
    }
    _record(registry, spec.name, item.id, kind, document, actor, now)
    return document


def _record(
    registry: Registry,
    spec_name: str,
    item_id: str,
    kind: str,
    document: dict[str, Any],
    actor: str,
    now: datetime,
) -> None:
    with registry.write() as session:
        add(
            session,
            ItemEvent(spec_name=spec_name, item=item_id, kind=kind),
            document,
            entity="item_event",
            summary={"spec": spec_name, "item": item_id, "kind": kind},
            actor=actor,
            at=now,
        )


def _status(
    item: Item,
    card: StoredScorecard | None,
    events: list[dict[str, Any]],
    governance: Governance | None,
) -> ItemStatus:
    missing = _not_done(item, card)
    done = len(item.requires) - len(missing) if card is not None else 0
    times = [parse_rfc3339(e["at"], "at") for e in events]
    if card is not None:
        times.append(card.evaluated_at)
    blocks = [e for e in events if e["kind"] in ("blocked", "unblocked")]
    promotions = [e for e in events if e["kind"] == "promoted"]
    valid = [p for p in promotions if _valid_promotion(p, item, governance)]
    if blocks and blocks[-1]["kind"] == "blocked":
        status, note = BLOCKED, str(blocks[-1]["reason"])
    elif card is not None and not missing and valid:
        status, note = READY, f"promoted by {valid[-1]['reviewer']}"
    elif done:
        status = IN_PROGRESS
        note = "not done: " + ", ".join(missing) if missing else "awaiting a signed promotion"
    else:
        status, note = NOT_STARTED, "no scorecard recorded" if card is None else ""
    return ItemStatus(
        id=item.id,
        title=item.title,
        owner=item.owner,
        status=status,
        done=done,
        required=len(item.requires),
        last_updated=max(times) if times else None,
        note=note,
    )


def _valid_promotion(event: dict[str, Any], item: Item, governance: Governance | None) -> bool:
    if governance is None:
        return False
    terms = {k: v for k, v in event.items() if k != "signature"}
    approver = approvers_of(governance).get(str(event.get("key_fingerprint")))
    if approver is None or approver.name == item.owner:
        return False
    try:
        verify(approver.key, PROMOTION, digest(terms), str(event.get("signature", "")))
    except GoliveError:
        return False
    return True


def _not_done(item: Item, card: StoredScorecard | None) -> list[str]:
    if card is None:
        return list(item.requires)
    statuses = {c["id"]: c["status"] for c in card.document["checks"]}
    return [check for check in item.requires if statuses.get(check) not in DONE]


def _item(spec: Spec, item_id: str) -> Item:
    for item in spec.items:
        if item.id == item_id:
            return item
    known = ", ".join(i.id for i in spec.items) or "(the spec has no items)"
    raise UsageError(f"spec {spec.name!r} has no item {item_id!r}; its items are: {known}")


def _events(registry: Registry, spec_name: str) -> dict[str, list[dict[str, Any]]]:
    query = select(ItemEvent).where(ItemEvent.spec_name == spec_name).order_by(ItemEvent.id)
    found: dict[str, list[dict[str, Any]]] = {}
    with registry.read() as session:
        for row in session.scalars(query):
            found.setdefault(row.item, []).append(document_of(row, "item event"))
    return found
