"""What the governance API tests share: the ``shop`` spec's text and client-side signing."""

from __future__ import annotations

from typing import Any

from golive.canonical import digest
from golive.governance.keys import APPROVAL, WAIVER, sign
from golive.registry.instants import rfc3339
from golive.registry.tokens import Role
from tests.governance.conftest import GOVERNANCE, private_key, public_line
from tests.governance.project import CHECKS

from .conftest import Api

SPEC = f"version: 1\nname: shop\n{GOVERNANCE}{CHECKS}"
ARTIFACT = {"path": "dist/shop-1.4.0.whl", "size": 6, "sha256": "a" * 64}


def create_release(api: Api, version: str = "1.4.0", **changes: Any) -> dict[str, Any]:
    """Record ``version`` as the engineer token; the answer's body."""
    body = {"version": version, "spec_name": "shop", "artifacts": [ARTIFACT], **changes}
    response = api.client.post("/api/v1/releases", json=body, headers=api.auth(Role.ENGINEER))
    assert response.status_code in (200, 201), response.text
    result: dict[str, Any] = response.json()
    return result


def approval(name: str, manifest_sha256: str, *, spec: str = SPEC) -> dict[str, Any]:
    """The body of an approval ``name`` signed with their own key, as a client would."""
    return {
        "spec": spec,
        "manifest_sha256": manifest_sha256,
        "public_key": public_line(name),
        "signature": sign(private_key(name), APPROVAL, manifest_sha256),
    }


def waiver(name: str, check_id: str, created_at: Any, expires_at: Any) -> dict[str, Any]:
    """The body of a waiver ``name`` signed over the digest of its terms (docs/api.md)."""
    terms = {
        "schema": "golive.waiver/v1",
        "spec": "shop",
        "check_id": check_id,
        "release": None,
        "reason": "rig down",
        "created_at": rfc3339(created_at),
        "expires_at": rfc3339(expires_at),
        "approver": name,
        "key_fingerprint": private_key(name).public.fingerprint,
    }
    return {
        "spec": SPEC,
        "check_id": check_id,
        "reason": "rig down",
        "created_at": terms["created_at"],
        "expires_at": terms["expires_at"],
        "public_key": public_line(name),
        "signature": sign(private_key(name), WAIVER, digest(terms)),
    }
