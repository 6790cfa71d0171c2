"""What the governance API tests share: the ``shop`` spec's text and client-side signing."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from golive.canonical import digest
from golive.governance.incidents import open_incident, resolve_incident
from golive.governance.items import block
from golive.governance.keys import APPROVAL, PROMOTION, WAIVER, sign
from golive.governance.releases import FileRef, ReleaseInput
from golive.governance.releases import create_release as create_release_in
from golive.registry import Registry
from golive.registry.flag_edits import new_flag
from golive.registry.flags import create_flag
from golive.registry.instants import rfc3339, utc_now
from golive.registry.tokens import Role
from golive.spec.loader import parse_spec
from tests.governance.builders import record_card
from tests.governance.conftest import GOVERNANCE, Clock, private_key, public_line
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


def spec_named(name: str) -> str:
    """The ``shop`` spec's text under another name (its items have their own events)."""
    return SPEC.replace("name: shop\n", f"name: {name}\n", 1)


def prepare_governance(registry: Registry) -> None:
    """The state every governance route of the role matrix acts on: release 1.4.0, incidents
    INC-1..6 (4..6 resolved), UC-001 blocked under ``shop-<role>`` for each writing role,
    flag ``matrix-flag`` and a passing ``shop`` scorecard."""
    release = ReleaseInput("1.4.0", (FileRef(**ARTIFACT),))
    stored = create_release_in(registry, release, spec_name="shop", actor="carol")
    PREPARED["manifest_sha256"] = stored.sha256
    for n in range(1, 7):
        open_incident(registry, f"incident {n}", "sev3", actor="carol")
    for n in range(4, 7):
        resolve_incident(registry, f"INC-{n}", "fixed", actor="carol")
    for role in WRITERS:
        block(registry, parse_spec(spec_named(f"shop-{role}"), "spec"), "UC-001", "x", actor="c")
    create_flag(registry, new_flag("matrix-flag"), actor="carol")
    PREPARED["scorecard_sha256"] = record_card(registry, Clock(utc_now())).sha256


# The roles that may write (engineer and above), each acting on its own incident or item.
WRITERS = ("engineer", "approver", "admin")
# What prepare_governance made that requests need (the manifest digest approvals sign).
PREPARED: dict[str, str] = {}


def assert_no_secrets(text: str, request: dict[str, Any], tokens: Iterable[str]) -> None:
    """A refusal echoes no API token and no signature the request carried."""
    for token in tokens:
        assert token not in text
    body = request.get("json")
    if isinstance(body, dict) and "signature" in body:
        assert body["signature"] not in text


def matrix_approval(role: Role | None) -> dict[str, Any]:
    """An approval by a key of its own for each approving role (each counts once)."""
    name = "bob" if role is Role.ADMIN else "alice"
    return {"json": approval(name, PREPARED["manifest_sha256"])}


def matrix_waiver(role: Role | None) -> dict[str, Any]:
    """A waiver signed now, by a key of its own for each approving role."""
    name = "bob" if role is Role.ADMIN else "alice"
    now = utc_now().replace(microsecond=0)
    return {"json": waiver(name, "uc1.b", now, now + timedelta(days=1))}


def promotion(
    name: str, item: str, at: Any, *, actor: str, scorecard_sha256: str
) -> dict[str, Any]:
    """The body of ``name``'s promotion of ``item``, signed over the digest of its terms."""
    terms = {
        "schema": "golive.item-event/v1",
        "spec": "shop",
        "item": item,
        "kind": "promoted",
        "at": rfc3339(at),
        "actor": actor,
        "scorecard_sha256": scorecard_sha256,
        "reviewer": name,
        "key_fingerprint": private_key(name).public.fingerprint,
    }
    return {
        "spec": SPEC,
        "at": terms["at"],
        "public_key": public_line(name),
        "signature": sign(private_key(name), PROMOTION, digest(terms)),
    }


def matrix_promotion(role: Role | None) -> dict[str, Any]:
    """A promotion of UC-001 signed now for the calling token, by a reviewer of its own."""
    name = "bob" if role is Role.ADMIN else "alice"
    actor = f"token:{role.value if role else 'anonymous'}"
    now = utc_now().replace(microsecond=0)
    body = promotion(
        name, "UC-001", now, actor=actor, scorecard_sha256=PREPARED["scorecard_sha256"]
    )
    return {"url": "/api/v1/items/UC-001/promotions", "json": body}
