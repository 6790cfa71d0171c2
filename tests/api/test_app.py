"""The app's edges: health, authentication, the OpenAPI document, body limits, problem bodies."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import fastapi.dependencies.utils
import fastapi.routing
import pytest
from sqlalchemy import create_engine

from golive.registry import Registry
from golive.registry.tokens import Role

from .conftest import Api, scorecard


def test_healthz_and_readyz_need_no_token(api: Api) -> None:
    assert api.client.get("/healthz").json() == {"status": "ok"}
    assert api.client.get("/readyz").json() == {"status": "ok"}


def test_readyz_is_503_with_a_problem_when_the_database_is_unreachable(api: Api) -> None:
    # Port 1 on loopback: nothing listens there, so the connection is refused at once.
    down = create_engine("postgresql+psycopg://golive:s3cret@127.0.0.1:1/golive?connect_timeout=2")
    api.app.state.registry = Registry(
        engine=down, url="postgresql+psycopg://golive:***@127.0.0.1:1"
    )
    response = api.client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == 503
    assert body["detail"].startswith("registry postgresql+psycopg://golive:***@127.0.0.1:1 failed")
    assert "s3cret" not in response.text
    assert api.client.get("/healthz").status_code == 200


def test_missing_token_is_401_with_a_bearer_challenge(api: Api) -> None:
    response = api.client.get("/api/v1/scorecards")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer realm="golive"'
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Unauthorized",
        "status": 401,
        "detail": "missing API token; send the header 'Authorization: Bearer <token>' "
        "(`golive token create NAME --role viewer` makes one)",
    }


@pytest.mark.parametrize(
    "header", ["Bearer glv_not-a-real-token", "Basic dXNlcjpwYXNz", "Bearer ", "glv_bare"]
)
def test_wrong_or_malformed_token_is_401(api: Api, header: str) -> None:
    response = api.client.get("/api/v1/scorecards", headers={"Authorization": header})
    assert response.status_code == 401
    assert "glv_not-a-real-token" not in response.text


def test_revoked_token_stops_working_at_once(api: Api) -> None:
    headers = api.auth(Role.VIEWER)
    assert api.client.get("/api/v1/me", headers=headers).json() == {
        "name": "viewer",
        "role": "viewer",
    }
    revoked = api.client.delete("/api/v1/tokens/viewer", headers=api.auth(Role.ADMIN))
    assert revoked.status_code == 200
    assert revoked.json()["revoked_by"] == "token:admin"
    response = api.client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert response.json()["detail"] == "unknown or revoked API token"


def test_openapi_needs_a_token_and_describes_the_scorecard(api: Api) -> None:
    assert api.client.get("/api/v1/openapi.json").status_code == 401
    document = api.client.get("/api/v1/openapi.json", headers=api.auth(Role.VIEWER)).json()
    assert {"/healthz", "/readyz", "/api/v1/scorecards", "/api/v1/scorecards/{ref}"} <= set(
        document["paths"]
    )
    schema = document["components"]["schemas"]["ScorecardDocument"]
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {
        "schema", "spec", "evaluated_at", "ready", "score", "summary", "checks"
    }  # fmt: skip
    assert document["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"


def test_unknown_route_is_a_404_problem(api: Api) -> None:
    response = api.client.get("/api/v1/nothing-here", headers=api.auth(Role.VIEWER))
    assert response.status_code == 404
    assert response.json()["title"] == "Not Found"


def test_declared_oversized_body_is_413_before_it_is_read(api: Api) -> None:
    response = api.client.post(
        "/api/v1/scorecards",
        content=b"x" * (1024 * 1024 + 1),
        headers={**api.auth(Role.ENGINEER), "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["detail"] == (
        "the request body is larger than the limit of 1048576 bytes"
    )


def test_streamed_oversized_body_is_413(api: Api) -> None:
    def chunks() -> object:
        for _ in range(20):
            yield b" " * 65536  # no Content-Length: the limit is counted as it arrives

    response = api.client.post(
        "/api/v1/scorecards",
        content=chunks(),  # type: ignore[arg-type]
        headers={**api.auth(Role.ENGINEER), "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert api.client.get("/api/v1/scorecards", headers=api.auth(Role.VIEWER)).json()["total"] == 0


def test_invalid_json_is_422_naming_the_body(api: Api) -> None:
    response = api.client.post(
        "/api/v1/scorecards",
        content=b'{"schema": ',
        headers={**api.auth(Role.ENGINEER), "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "body", "message": "invalid JSON at character 11: Expecting value"}
    ]


def test_tokens_never_reach_the_logs(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    secrets = [*api.tokens.values(), "glv_wrong-secret-token"]
    for secret in secrets:
        headers = {"Authorization": f"Bearer {secret}"}
        api.client.get("/api/v1/scorecards", headers=headers)
        api.client.post("/api/v1/scorecards", json=scorecard(), headers=headers)
        api.client.post("/api/v1/scorecards", json={"schema": 1}, headers=headers)
    assert caplog.records  # something was logged, so the check below means something
    for secret in secrets:
        assert secret not in caplog.text


def test_hot_reads_take_no_hop_to_the_thread_pool_and_writes_do(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The token lookup, scorecard reads and the flags poll answer on the event loop
    (golive.api.auth says why); writes, which may wait on the write lock, go to the pool."""
    hops: list[str] = []

    async def counted(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        hops.append(getattr(func, "__name__", repr(func)))
        return func(*args, **kwargs)

    monkeypatch.setattr(fastapi.routing, "run_in_threadpool", counted)
    monkeypatch.setattr(fastapi.dependencies.utils, "run_in_threadpool", counted)
    viewer = api.auth(Role.VIEWER)
    api.client.post("/api/v1/scorecards", json=scorecard(), headers=api.auth(Role.ENGINEER))
    created = api.client.post(
        "/api/v1/flags", json={"name": "checkout-v2"}, headers=api.auth(Role.ADMIN)
    )
    assert created.status_code == 201, created.text
    assert hops, "a flag's creation, a write, runs in the thread pool"
    hops.clear()
    for path in ("/readyz", "/api/v1/scorecards", "/api/v1/scorecards/1", "/api/v1/flags"):
        assert api.client.get(path, headers=viewer).status_code == 200, path
    assert hops == []
