"""The items register over HTTP: read with the spec, block and unblock as ``golive item``."""

from __future__ import annotations

from typing import Any

from golive.registry import verify_audit
from golive.registry.instants import utc_now
from golive.registry.tokens import Role
from tests.governance.builders import record_card
from tests.governance.conftest import Clock

from .conftest import Api
from .governed import SPEC, promotion

URL = "/api/v1/items"


def _register(api: Api) -> list[dict[str, object]]:
    response = api.client.post(
        f"{URL}/register", json={"spec": SPEC}, headers=api.auth(Role.VIEWER)
    )
    assert response.status_code == 200, response.text
    rows: list[dict[str, object]] = response.json()
    return rows


def test_an_unknown_item_is_400_and_unblocking_an_unblocked_one_too(api: Api) -> None:
    response = api.client.post(
        f"{URL}/UC-404/block",
        json={"spec": SPEC, "reason": "legal"},
        headers=api.auth(Role.ENGINEER),
    )
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "spec 'shop' has no item 'UC-404'; its items are: UC-001, UC-002"
    )
    response = api.client.post(
        f"{URL}/UC-001/unblock", json={"spec": SPEC}, headers=api.auth(Role.ENGINEER)
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "UC-001 is not blocked"


def test_the_register_is_computed_and_block_unblock_change_it(api: Api) -> None:
    assert [(r["id"], r["status"]) for r in _register(api)] == [
        ("UC-001", "NOT_STARTED"),
        ("UC-002", "NOT_STARTED"),
    ]
    blocked = api.client.post(
        f"{URL}/UC-001/block",
        json={"spec": SPEC, "reason": "waiting for legal"},
        headers=api.auth(Role.ENGINEER),
    )
    assert blocked.status_code == 200, blocked.text
    assert blocked.json()["status"] == "BLOCKED"
    assert _register(api)[0]["status"] == "BLOCKED"
    unblocked = api.client.post(
        f"{URL}/UC-001/unblock", json={"spec": SPEC}, headers=api.auth(Role.ENGINEER)
    )
    assert unblocked.json()["status"] == "NOT_STARTED"


def _promote(api: Api, body: dict[str, str]) -> Any:
    return api.client.post(f"{URL}/UC-001/promotions", json=body, headers=api.auth(Role.APPROVER))


def test_a_promotion_signed_for_another_actor_is_403_and_writes_nothing(api: Api) -> None:
    card = record_card(api.registry, Clock(utc_now()))
    now = utc_now().replace(microsecond=0)
    # Signed for the engineer token's label, sent with the approver's token.
    body = promotion("alice", "UC-001", now, actor="token:engineer", scorecard_sha256=card.sha256)
    entries = verify_audit(api.registry).entries
    response = _promote(api, body)
    assert response.status_code == 403
    assert response.json()["errors"][0]["field"] == "signature"
    assert body["signature"] not in response.text
    assert verify_audit(api.registry).entries == entries
    assert _register(api)[0]["status"] == "IN_PROGRESS"


def test_the_owner_cannot_promote_and_nothing_is_promoted_without_evidence(api: Api) -> None:
    now = utc_now().replace(microsecond=0)
    body = promotion("alice", "UC-001", now, actor="token:approver", scorecard_sha256="0" * 64)
    response = _promote(api, body)
    assert response.status_code == 400
    assert "no scorecard recorded" in response.json()["detail"]
    card = record_card(api.registry, Clock(utc_now()))
    owner = promotion("carol", "UC-001", now, actor="token:approver", scorecard_sha256=card.sha256)
    response = _promote(api, owner)
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "carol owns UC-001; a reviewer other than the owner must promote it"
    )


def test_a_signed_promotion_makes_the_item_ready(api: Api) -> None:
    card = record_card(api.registry, Clock(utc_now()))
    now = utc_now().replace(microsecond=0)
    body = promotion("alice", "UC-001", now, actor="token:approver", scorecard_sha256=card.sha256)
    response = _promote(api, body)
    assert response.status_code == 201, response.text
    assert response.json()["reviewer"] == "alice"
    assert _register(api)[0]["status"] == "READY_FOR_GO_LIVE"
