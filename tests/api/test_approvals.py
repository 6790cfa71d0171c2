"""Approvals over HTTP: the client signs, the server verifies and never holds a private key."""

from __future__ import annotations

from golive.governance.approvals import list_approvals
from golive.registry import verify_audit
from golive.registry.tokens import Role
from tests.governance.conftest import public_line

from .conftest import Api
from .governed import approval, create_release

URL = "/api/v1/releases/1.4.0/approvals"


def _post(api: Api, body: dict[str, str]) -> object:
    return api.client.post(URL, json=body, headers=api.auth(Role.APPROVER))


def test_a_signature_by_another_key_is_403_naming_the_field_and_writes_nothing(
    api: Api,
) -> None:
    release = create_release(api)
    entries = verify_audit(api.registry).entries
    body = {**approval("alice", release["sha256"]), "public_key": public_line("bob")}
    response = api.client.post(URL, json=body, headers=api.auth(Role.APPROVER))
    assert response.status_code == 403
    problem = response.json()
    assert problem["errors"][0]["field"] == "signature"
    assert problem["detail"].startswith("signature: the golive-approval-v1 signature does not")
    assert body["signature"] not in response.text
    assert list_approvals(api.registry, "1.4.0") == []
    assert verify_audit(api.registry).entries == entries


def test_a_signature_that_is_not_base64_is_403(api: Api) -> None:
    release = create_release(api)
    body = {**approval("alice", release["sha256"]), "signature": "not base64!"}
    response = api.client.post(URL, json=body, headers=api.auth(Role.APPROVER))
    assert response.status_code == 403
    assert response.json()["errors"][0]["field"] == "signature"
    assert "not base64!" not in response.text


def test_a_public_key_that_is_not_ed25519_is_400_naming_it(api: Api) -> None:
    release = create_release(api)
    body = {**approval("alice", release["sha256"]), "public_key": "ssh-rsa AAAAB3Nza"}
    response = api.client.post(URL, json=body, headers=api.auth(Role.APPROVER))
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "public_key"


def test_an_older_manifest_is_refused(api: Api) -> None:
    create_release(api)
    response = api.client.post(URL, json=approval("alice", "0" * 64), headers=api.auth(Role.ADMIN))
    assert response.status_code == 403
    assert response.json()["detail"].startswith("manifest_sha256: '000")


def test_an_unknown_release_is_404(api: Api) -> None:
    response = api.client.post(
        "/api/v1/releases/9.9.9/approvals",
        json=approval("alice", "0" * 64),
        headers=api.auth(Role.APPROVER),
    )
    assert response.status_code == 404


def test_a_valid_approval_is_recorded_once(api: Api) -> None:
    release = create_release(api)
    response = api.client.post(
        URL, json=approval("alice", release["sha256"]), headers=api.auth(Role.APPROVER)
    )
    assert response.status_code == 201, response.text
    document = response.json()
    assert document["approver"] == "alice"
    assert document["manifest_sha256"] == release["sha256"]
    assert list_approvals(api.registry, "1.4.0") == [document]
    again = api.client.post(
        URL, json=approval("alice", release["sha256"]), headers=api.auth(Role.APPROVER)
    )
    assert again.status_code == 400
    assert again.json()["detail"] == (
        "alice already approved release 1.4.0 revision 1; an approver counts once"
    )
