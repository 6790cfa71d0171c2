"""Every API route, called with no token and with each role's token: each answer checked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from golive.api.app import API_PREFIX, OPENAPI_PATH
from golive.registry import record_scorecard
from golive.registry.tokens import Role, create_token

from .conftest import Api, alertmanager_webhook, scorecard
from .governed import (
    ARTIFACT,
    SPEC,
    assert_no_secrets,
    matrix_approval,
    matrix_promotion,
    matrix_waiver,
    prepare_governance,
    spec_named,
)

CALLERS: list[Role | None] = [None, *Role]


@dataclass(frozen=True)
class Route:
    """A route, the least role that may call it (None: public) and its success statuses."""

    method: str
    path: str
    needs: Role | None
    ok: tuple[int, ...]
    request: Callable[[Role | None], dict[str, Any]] = lambda _role: {}

    def url(self, role: Role | None) -> str:
        return self.request(role).get("url", self.path)


def _victim(role: Role | None) -> str:
    return f"victim-{role.value if role else 'anonymous'}"


ROUTES = [
    Route("GET", "/healthz", None, (200,)),
    Route("GET", "/readyz", None, (200,)),
    Route("GET", OPENAPI_PATH, Role.VIEWER, (200,)),
    Route("GET", f"{API_PREFIX}/me", Role.VIEWER, (200,)),
    Route("GET", f"{API_PREFIX}/scorecards", Role.VIEWER, (200,)),
    Route(
        "GET",
        f"{API_PREFIX}/scorecards/{{ref}}",
        Role.VIEWER,
        (200,),
        lambda _role: {"url": f"{API_PREFIX}/scorecards/1"},
    ),
    # The first allowed upload records (201), later ones find it recorded (200).
    Route(
        "POST",
        f"{API_PREFIX}/scorecards",
        Role.ENGINEER,
        (200, 201),
        lambda _role: {"json": scorecard()},
    ),
    Route("GET", f"{API_PREFIX}/audit/verify", Role.VIEWER, (200,)),
    Route("GET", "/metrics", Role.VIEWER, (200,)),
    Route(
        "POST",
        f"{API_PREFIX}/alerts",
        Role.ENGINEER,
        (200,),
        lambda _role: {"json": alertmanager_webhook()},
    ),
    Route("GET", f"{API_PREFIX}/tokens", Role.ADMIN, (200,)),
    Route(
        "POST",
        f"{API_PREFIX}/tokens",
        Role.ADMIN,
        (201,),
        lambda role: {"json": {"name": f"new-{role.value if role else 'x'}", "role": "viewer"}},
    ),
    Route(
        "DELETE",
        f"{API_PREFIX}/tokens/{{name}}",
        Role.ADMIN,
        (200,),
        lambda role: {"url": f"{API_PREFIX}/tokens/{_victim(role)}"},
    ),
]


# Governance and flags (issues 5 and 6): writers act on their own incident or item.
_V = f"{API_PREFIX}/releases/{{version}}"
_INC = f"{API_PREFIX}/incidents/{{incident}}"
_WRITER = {Role.ENGINEER: 1, Role.APPROVER: 2, Role.ADMIN: 3}
_DRILL = {
    "rollback_strategy": "git_revert",
    "before_checksum": "a" * 64,
    "after_checksum": "a" * 64,
    "duration_ms": 120,
    "status": "rollback_ok",
    "performed_at": "2025-12-18T00:00:00Z",
}


def _writer(role: Role | None) -> int:
    """1, 2, 3 for engineer, approver, admin (1 for the others, which are refused anyway)."""
    return 1 if role is None else _WRITER.get(role, 1)


def _incident(role: Role | None, first: int, path: str, body: dict[str, Any]) -> dict[str, Any]:
    number = first + _writer(role) - 1
    return {"url": f"{API_PREFIX}/incidents/INC-{number}/{path}", "json": body}


def _unblock(role: Role | None) -> dict[str, Any]:
    name = role.value if role in _WRITER else "engineer"
    return {"json": {"spec": spec_named(f"shop-{name}")}}


ROUTES += [
    Route("GET", f"{API_PREFIX}/releases", Role.VIEWER, (200,)),
    Route(
        "POST",
        f"{API_PREFIX}/releases",
        Role.ENGINEER,
        (200, 201),
        lambda _role: {"json": {"version": "2.0.0", "spec_name": "shop", "artifacts": [ARTIFACT]}},
    ),
    Route("GET", _V, Role.VIEWER, (200,), lambda _role: {"url": f"{API_PREFIX}/releases/1.4.0"}),
    Route(
        "POST",
        f"{_V}/approvals",
        Role.APPROVER,
        (201,),
        lambda role: {"url": f"{API_PREFIX}/releases/1.4.0/approvals", **matrix_approval(role)},
    ),
    Route(
        "POST",
        f"{_V}/gate",
        Role.ENGINEER,
        (200,),
        lambda _role: {"url": f"{API_PREFIX}/releases/1.4.0/gate", "json": {"spec": SPEC}},
    ),
    Route("POST", f"{API_PREFIX}/waivers", Role.APPROVER, (201,), matrix_waiver),
    Route("GET", f"{API_PREFIX}/rehearsals", Role.VIEWER, (200,)),
    Route(
        "POST",
        f"{API_PREFIX}/rehearsals",
        Role.ENGINEER,
        (201,),
        lambda role: {"json": {**_DRILL, "duration_ms": _writer(role)}},
    ),
    Route("GET", f"{API_PREFIX}/incidents", Role.VIEWER, (200,)),
    Route(
        "POST",
        f"{API_PREFIX}/incidents",
        Role.ENGINEER,
        (201,),
        lambda _role: {"json": {"title": "checkout down", "severity": "sev3"}},
    ),
    Route("GET", _INC, Role.VIEWER, (200,), lambda _role: {"url": f"{API_PREFIX}/incidents/INC-1"}),
    Route(
        "POST",
        f"{_INC}/resolve",
        Role.ENGINEER,
        (200,),
        lambda role: _incident(role, 1, "resolve", {"summary": "fixed"}),
    ),
    Route(
        "POST",
        f"{_INC}/postmortem",
        Role.ENGINEER,
        (201,),
        lambda role: _incident(role, 4, "postmortem", {"root_cause": "a bad flag"}),
    ),
    Route(
        "POST",
        f"{API_PREFIX}/items/register",
        Role.VIEWER,
        (200,),
        lambda _role: {"json": {"spec": SPEC}},
    ),
    Route(
        "POST",
        f"{API_PREFIX}/items/{{item}}/block",
        Role.ENGINEER,
        (200,),
        lambda _role: {
            "url": f"{API_PREFIX}/items/UC-002/block",
            "json": {"spec": SPEC, "reason": "legal"},
        },
    ),
    Route(
        "POST",
        f"{API_PREFIX}/items/{{item}}/unblock",
        Role.ENGINEER,
        (200,),
        lambda role: {"url": f"{API_PREFIX}/items/UC-001/unblock", **_unblock(role)},
    ),
    Route(
        "POST", f"{API_PREFIX}/items/{{item}}/promotions", Role.APPROVER, (201,), matrix_promotion
    ),
    Route("GET", f"{API_PREFIX}/flags", Role.VIEWER, (200,)),
    Route(
        "POST",
        f"{API_PREFIX}/flags",
        Role.ADMIN,
        (201,),
        lambda _role: {"json": {"name": "new-flag"}},
    ),
    Route(
        "PATCH",
        f"{API_PREFIX}/flags/{{name}}",
        Role.ADMIN,
        (200,),
        lambda _role: {"url": f"{API_PREFIX}/flags/matrix-flag", "json": {"rollout": 50}},
    ),
]


def test_the_matrix_covers_every_route(api: Api) -> None:
    documented = {
        (method.upper(), path)
        for path, operations in api.app.openapi()["paths"].items()
        for method in operations
    }
    # The OpenAPI document does not describe itself.
    assert documented | {("GET", OPENAPI_PATH)} == {(r.method, r.path) for r in ROUTES}


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_each_role_gets_the_answer_its_role_allows(api: Api, route: Route) -> None:
    record_scorecard(api.registry, scorecard(), actor="carol")
    for caller in CALLERS:
        create_token(api.registry, _victim(caller), Role.VIEWER, actor="carol")
    prepare_governance(api.registry)
    answers = {}
    for caller in CALLERS:
        request = {k: v for k, v in route.request(caller).items() if k != "url"}
        headers = {} if caller is None else api.auth(caller)
        response = api.client.request(route.method, route.url(caller), headers=headers, **request)
        answers[caller] = response.status_code
        if route.needs is None or (caller is not None and caller.allows(route.needs)):
            assert response.status_code in route.ok, (caller, response.text)
        elif caller is None:
            assert response.status_code == 401, response.text
            assert response.headers["www-authenticate"] == 'Bearer realm="golive"'
        else:
            assert response.status_code == 403, response.text
            assert response.json()["detail"] == (
                f"token {caller.value!r} has role {caller.value}; this needs "
                f"{route.needs.value} or above"
            )
        if response.status_code >= 400:
            assert_no_secrets(response.text, request, api.tokens.values())
    # Forbidden calls changed nothing: only allowed callers' victims are revoked.
    if route.method == "DELETE":
        listed = api.client.get(f"{API_PREFIX}/tokens", headers=api.auth(Role.ADMIN)).json()
        revoked = {t["name"] for t in listed if t["revoked_at"]}
        assert revoked == {_victim(Role.ADMIN)}
    assert len(answers) == len(CALLERS)
