"""The item register: status computed from the latest scorecard, signed promotions, blocks."""

from __future__ import annotations

import pytest

from golive.errors import SignatureError, UsageError
from golive.governance.items import block, item_register, item_status, promote, unblock
from golive.registry import Registry, verify_audit
from golive.spec.models import Spec
from tests.governance.builders import record_card
from tests.governance.conftest import Clock, private_key


def _statuses(registry: Registry, spec: Spec) -> dict[str, str]:
    return {s.id: s.status for s in item_register(registry, spec)}


def test_status_follows_the_evidence(registry: Registry, spec: Spec, clock: Clock) -> None:
    assert _statuses(registry, spec) == {"UC-001": "NOT_STARTED", "UC-002": "NOT_STARTED"}
    record_card(registry, clock, failing=("uc1.b", "uc2.a"))
    assert _statuses(registry, spec) == {"UC-001": "IN_PROGRESS", "UC-002": "NOT_STARTED"}
    row = item_status(registry, spec, "UC-001")
    assert (row.done, row.required, row.note) == (1, 2, "not done: uc1.b")
    clock.advance(hours=1)
    record_card(registry, clock)
    # Every check passes, but nobody has signed: still in progress.
    assert item_status(registry, spec, "UC-001").note == "awaiting a signed promotion"
    promote(registry, spec, "UC-001", private_key("bob"), actor="bob", clock=clock)
    assert _statuses(registry, spec)["UC-001"] == "READY_FOR_GO_LIVE"
    # A later scorecard where a required check fails takes the item back.
    clock.advance(hours=1)
    record_card(registry, clock, failing=("uc1.a",))
    assert _statuses(registry, spec)["UC-001"] == "IN_PROGRESS"
    assert verify_audit(registry).ok


def test_promotion_refusals(registry: Registry, spec: Spec, clock: Clock) -> None:
    with pytest.raises(UsageError, match=r"cannot be promoted: .*no scorecard recorded"):
        promote(registry, spec, "UC-001", private_key("bob"), actor="bob", clock=clock)
    record_card(registry, clock, failing=("uc1.b",))
    with pytest.raises(UsageError, match=r"cannot be promoted: .*\(uc1\.b\)"):
        promote(registry, spec, "UC-001", private_key("bob"), actor="bob", clock=clock)
    clock.advance(minutes=1)
    record_card(registry, clock)
    with pytest.raises(SignatureError, match="carol owns UC-001; a reviewer other than the owner"):
        promote(registry, spec, "UC-001", private_key("carol"), actor="carol", clock=clock)
    with pytest.raises(UsageError, match="has no item 'UC-404'; its items are: UC-001, UC-002"):
        promote(registry, spec, "UC-404", private_key("bob"), actor="bob", clock=clock)


def test_block_wins_until_unblocked(registry: Registry, spec: Spec, clock: Clock) -> None:
    record_card(registry, clock)
    promote(registry, spec, "UC-001", private_key("alice"), actor="alice", clock=clock)
    clock.advance(minutes=1)
    block(registry, spec, "UC-001", "legal review pending", actor="dave", clock=clock)
    row = item_status(registry, spec, "UC-001")
    assert (row.status, row.note, row.last_updated) == ("BLOCKED", "legal review pending", clock())
    with pytest.raises(UsageError, match="UC-002 is not blocked"):
        unblock(registry, spec, "UC-002", actor="dave", clock=clock)
    with pytest.raises(UsageError, match="--reason: say what blocks the item"):
        block(registry, spec, "UC-002", " ", actor="dave", clock=clock)
    unblock(registry, spec, "UC-001", actor="dave", clock=clock)
    assert item_status(registry, spec, "UC-001").status == "READY_FOR_GO_LIVE"
