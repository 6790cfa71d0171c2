"""Waivers over HTTP: signed by the approver's client over the terms, verified by the server."""

from __future__ import annotations

from datetime import timedelta

from golive.governance.waivers import list_waivers, load_waivers
from golive.registry import verify_audit
from golive.registry.instants import utc_now
from golive.registry.tokens import Role
from tests.governance.conftest import KEYS, make_spec

from .conftest import Api
from .governed import SPEC, waiver

URL = "/api/v1/waivers"


def _post(api: Api, body: dict[str, object]) -> object:
    return api.client.post(URL, json=body, headers=api.auth(Role.APPROVER))


def test_a_signature_over_other_terms_is_403_naming_it_and_writes_nothing(api: Api) -> None:
    now = utc_now()
    body = {**waiver("alice", "uc1.b", now, now + timedelta(days=1)), "reason": "other"}
    entries = verify_audit(api.registry).entries
    response = api.client.post(URL, json=body, headers=api.auth(Role.APPROVER))
    assert response.status_code == 403
    assert response.json()["errors"][0]["field"] == "signature"
    assert body["signature"] not in response.text
    assert list_waivers(api.registry, "shop") == []
    assert verify_audit(api.registry).entries == entries


def test_a_key_that_is_not_an_approver_is_403(api: Api) -> None:
    now = utc_now()
    body = {**waiver("alice", "uc1.b", now, now + timedelta(days=1))}
    body["public_key"] = (KEYS / "dave_ed25519_encrypted.pub").read_text().strip()
    response = api.client.post(URL, json=body, headers=api.auth(Role.APPROVER))
    assert response.status_code == 403
    assert "is not one of governance.approvers (alice, bob, carol)" in response.json()["detail"]
    assert list_waivers(api.registry, "shop") == []


def test_the_policy_refuses_a_never_waived_check_and_a_long_waiver(api: Api) -> None:
    now = utc_now()
    never = waiver("alice", "security.critical-high", now, now + timedelta(days=1))
    response = api.client.post(URL, json=never, headers=api.auth(Role.APPROVER))
    assert response.status_code == 400
    assert "governance.waivers.never" in response.json()["detail"]
    long = waiver("alice", "uc1.b", now, now + timedelta(days=31))
    response = api.client.post(URL, json=long, headers=api.auth(Role.APPROVER))
    assert response.status_code == 400
    assert "longer than governance.waivers.max_days" in response.json()["detail"]


def test_a_waiver_signed_far_from_the_servers_time_is_refused(api: Api) -> None:
    later = utc_now() + timedelta(days=20)
    body = waiver("alice", "uc1.b", later, later + timedelta(days=29))
    response = api.client.post(URL, json=body, headers=api.auth(Role.APPROVER))
    assert response.status_code == 400
    assert "sign the waiver with the current time" in response.json()["detail"]


def test_a_valid_waiver_is_recorded_and_verifies(api: Api) -> None:
    now = utc_now().replace(microsecond=0)
    response = _post(api, waiver("alice", "uc1.b", now, now + timedelta(days=1)))
    assert response.status_code == 201, response.text  # type: ignore[attr-defined]
    document = response.json()  # type: ignore[attr-defined]
    assert document["approver"] == "alice"
    assert list_waivers(api.registry, "shop") == [document]
    spec = make_spec(SPEC.removeprefix("version: 1\nname: shop\n"))
    valid, problems = load_waivers(api.registry, spec)
    assert problems == []
    assert [w.check_id for w in valid] == ["uc1.b"]
