"""The items register over HTTP: read with the spec, block and unblock as ``golive item``."""

from __future__ import annotations

from golive.registry.tokens import Role

from .conftest import Api
from .governed import SPEC

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
