"""``/flags``: the export ``FlagClient.from_url`` polls (ETag, 304) and the admin's edits."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import text

from golive.api.app import create_app
from golive.canonical import digest
from golive.flags import FlagClient
from golive.registry import open_registry
from golive.registry.flag_edits import flag_edit
from golive.registry.flags import export_flags, flag_history, update_flag
from golive.registry.tokens import Role, create_token
from tests.cli.test_serve import serving

from .conftest import Api

URL = "/api/v1/flags"
POLL_S = 0.2
WAIT_S = 15


def _create(api: Api, **body: object) -> httpx.Response:
    return api.client.post(URL, json={"name": "checkout-v2", **body}, headers=api.auth(Role.ADMIN))


def test_an_unknown_strategy_or_bad_constraint_is_refused_and_writes_nothing(api: Api) -> None:
    assert _create(api, strategy="gradualRollout").status_code == 422
    response = _create(api, constraints=["environment LIKE prod"])
    assert response.status_code == 400
    assert response.json()["detail"].startswith("invalid constraint 'environment LIKE prod'")
    assert export_flags(api.registry)["flags"] == []


def test_setting_nothing_or_an_unknown_flag_is_refused(api: Api) -> None:
    _create(api)
    nothing = api.client.patch(f"{URL}/checkout-v2", json={}, headers=api.auth(Role.ADMIN))
    assert nothing.status_code == 400
    assert nothing.json()["detail"].startswith("nothing to set")
    unknown = api.client.patch(f"{URL}/nope", json={"rollout": 5}, headers=api.auth(Role.ADMIN))
    assert unknown.status_code == 404


def test_create_and_set_are_audited_with_the_token_as_actor(api: Api) -> None:
    created = _create(api, rollout=10, enabled=True)
    assert created.status_code == 201, created.text
    assert created.json()["flag"]["strategies"][0]["parameters"]["rollout"] == "10"
    changed = api.client.patch(
        f"{URL}/checkout-v2", json={"rollout": 25}, headers=api.auth(Role.ADMIN)
    )
    assert changed.json()["version"] == 2
    assert changed.json()["changed"] is True
    same = api.client.patch(
        f"{URL}/checkout-v2", json={"rollout": 25}, headers=api.auth(Role.ADMIN)
    )
    assert same.json()["changed"] is False
    assert [(c.actor, c.change) for c in flag_history(api.registry, "checkout-v2")] == [
        ("token:admin", "create"),
        ("token:admin", "set"),
    ]


def test_export_has_a_strong_etag_and_answers_304_until_a_change(api: Api) -> None:
    _create(api)
    first = api.client.get(URL, headers=api.auth(Role.VIEWER))
    assert first.status_code == 200
    assert first.json() == export_flags(api.registry)
    etag = first.headers["etag"]
    assert etag == f'"{digest(first.json())}"'
    headers = {**api.auth(Role.VIEWER), "If-None-Match": etag}
    unchanged = api.client.get(URL, headers=headers)
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert unchanged.headers["etag"] == etag
    api.client.patch(f"{URL}/checkout-v2", json={"enabled": True}, headers=api.auth(Role.ADMIN))
    changed = api.client.get(URL, headers=headers)
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag


def test_a_change_made_through_another_replica_changes_the_etag_at_once(
    api: Api, registry_url: str
) -> None:
    _create(api)
    _create(api, name="other")
    headers = api.auth(Role.VIEWER)
    etag = api.client.get(URL, headers=headers).headers["etag"]
    with TestClient(create_app(registry_url)) as replica:
        switched = replica.patch(
            f"{URL}/checkout-v2", json={"rollout": 30}, headers=api.auth(Role.ADMIN)
        )
        assert switched.status_code == 200, switched.text
    changed = api.client.get(URL, headers={**headers, "If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.json() == export_flags(api.registry)
    assert changed.headers["etag"] == f'"{digest(changed.json())}"' != etag
    # Back to the first definition (by the library, as `golive flags set` does): the
    # export is the first one again, and so is its ETag.
    update_flag(api.registry, "checkout-v2", flag_edit(rollout=0), actor="carol")
    again = api.client.get(URL, headers={**headers, "If-None-Match": etag})
    assert again.status_code == 304
    assert again.headers["etag"] == etag


def test_a_flag_changed_behind_golives_back_is_refused_even_after_a_304(api: Api) -> None:
    _create(api)
    headers = api.auth(Role.VIEWER)
    etag = api.client.get(URL, headers=headers).headers["etag"]
    assert api.client.get(URL, headers={**headers, "If-None-Match": etag}).status_code == 304
    altered = export_flags(api.registry)["flags"][0] | {"enabled": True}
    with api.registry.write() as session:
        session.execute(
            text("UPDATE flags SET definition = :d WHERE name = 'checkout-v2'"),
            {"d": json.dumps(altered)},
        )
    for sent in ({}, {"If-None-Match": etag}):
        refused = api.client.get(URL, headers={**headers, **sent})
        assert refused.status_code == 503
        assert "was changed outside golive" in refused.json()["detail"]


def _until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {WAIT_S} s: {what}")
        time.sleep(POLL_S / 2)


def test_a_real_flag_client_polls_a_real_server(registry_url: str, tmp_path: Path) -> None:
    with open_registry(registry_url) as registry:
        viewer = create_token(registry, "app", Role.VIEWER, actor="carol").token
        admin = create_token(registry, "ops", Role.ADMIN, actor="carol").token
    with serving(registry_url, tmp_path) as (base, _log):
        ops = {"Authorization": f"Bearer {admin}"}
        created = httpx.post(f"{base}{URL}", json={"name": "checkout-v2"}, headers=ops)
        assert created.status_code == 201, created.text
        client = FlagClient.from_url(f"{base}{URL}", viewer, interval=POLL_S)
        assert [f.name for f in client.flags] == ["checkout-v2"]
        assert client.is_enabled("checkout-v2") is False
        etag = client.status().etag
        assert etag is not None
        _until(lambda: client.status().not_modified >= 2, "two 304s")
        assert client.status().etag == etag
        assert client.status().errors == 0
        switched = httpx.patch(
            f"{base}{URL}/checkout-v2", json={"enabled": True, "rollout": 100}, headers=ops
        )
        assert switched.status_code == 200, switched.text
        _until(lambda: client.is_enabled("checkout-v2"), "the flag change")
        assert client.status().etag != etag
    # The server has stopped: the client counts failures and keeps the last good flags.
    try:
        _until(lambda: client.status().errors >= 1, "a failed fetch")
        assert client.is_enabled("checkout-v2") is True
        assert [f.name for f in client.flags] == ["checkout-v2"]
    finally:
        client.close()
