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
    # Forbidden calls changed nothing: only allowed callers' victims are revoked.
    if route.method == "DELETE":
        listed = api.client.get(f"{API_PREFIX}/tokens", headers=api.auth(Role.ADMIN)).json()
        revoked = {t["name"] for t in listed if t["revoked_at"]}
        assert revoked == {_victim(Role.ADMIN)}
    assert len(answers) == len(CALLERS)
