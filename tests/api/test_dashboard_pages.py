"""Dashboard pages without a browser: login, cookie, redirects, headers, what each page says."""

from __future__ import annotations

import pytest

from golive.api.auth import COOKIE
from golive.registry import record_scorecard
from golive.registry.tokens import Role

from .conftest import Api, scorecard

PAGES = [
    "/",
    "/scorecards/1",
    "/checks?spec=governance-v5-battle-tested&check=PR-7.volume",
    "/releases",
    "/register",
]


def _login(api: Api, role: Role = Role.VIEWER) -> None:
    response = api.client.post("/login", data={"token": api.tokens[role]}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/"


@pytest.mark.parametrize("page", [*PAGES, "/releases/1.4.0", "/register?status=BLOCKED"])
def test_pages_redirect_to_login_without_a_cookie(api: Api, page: str) -> None:
    record_scorecard(api.registry, scorecard(), actor="carol")
    response = api.client.get(page, follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/login")
    # A bearer header is for the API: pages only take the login cookie.
    with_header = api.client.get(page, headers=api.auth(Role.ADMIN), follow_redirects=False)
    assert with_header.status_code == 303


def test_login_sets_an_httponly_strict_cookie(api: Api) -> None:
    response = api.client.post(
        "/login", data={"token": api.tokens[Role.VIEWER]}, follow_redirects=False
    )
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert "Max-Age=43200" in cookie


def test_wrong_token_is_401_with_the_form_again(api: Api) -> None:
    response = api.client.post("/login", data={"token": "glv_wrong"}, follow_redirects=False)
    assert response.status_code == 401
    assert "unknown or revoked API token" in response.text
    assert 'name="token"' in response.text
    assert "glv_wrong" not in response.text
    assert COOKIE not in response.headers.get("set-cookie", "")


def test_login_without_a_token_is_a_422_problem(api: Api) -> None:
    response = api.client.post("/login", data={})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "token"


@pytest.mark.parametrize("role", list(Role))
def test_every_role_may_read_every_page(api: Api, role: Role) -> None:
    record_scorecard(api.registry, scorecard(), actor="carol")
    _login(api, role)
    for page in PAGES:
        response = api.client.get(page)
        assert response.status_code == 200, page
        assert response.headers["content-security-policy"].startswith("default-src 'self'")
        assert f"{role.value} ({role.value})" in response.text


def test_revoked_token_logs_the_page_out(api: Api) -> None:
    _login(api)
    assert api.client.get("/").status_code == 200
    api.client.delete("/api/v1/tokens/viewer", headers=api.auth(Role.ADMIN))
    response = api.client.get("/", follow_redirects=False)
    assert response.headers["location"] == "/login"


def test_logout_forgets_the_cookie(api: Api) -> None:
    _login(api)
    response = api.client.post("/logout", follow_redirects=False)
    assert response.headers["location"] == "/login"
    assert api.client.get("/", follow_redirects=False).status_code == 303


def test_overview_puts_failing_checks_first(api: Api) -> None:
    record_scorecard(api.registry, scorecard(), actor="carol")
    _login(api)
    text = api.client.get("/").text
    assert text.index('data-check="PR-11.error-rate"') < text.index('data-check="PR-7.volume"')
    assert '<strong class="score">0.50</strong>' in text
    assert "not ready" in text


def test_missing_scorecard_and_check_pages(api: Api) -> None:
    _login(api)
    missing = api.client.get(f"/scorecards/{'0' * 64}")
    assert missing.status_code == 404
    assert "no scorecard" in missing.text
    invalid = api.client.get("/scorecards/nope")
    assert invalid.status_code == 400
    no_check = api.client.get("/checks?spec=shop&check=none")
    assert no_check.status_code == 404
    assert "no scorecard of spec &#39;shop&#39; has a check &#39;none&#39;" in no_check.text


def test_text_from_documents_is_escaped(api: Api) -> None:
    document = scorecard()
    document["checks"][0]["message"] = "<script>alert(1)</script>"
    document["checks"][0]["id"] = "x'><img src=x>"
    record_scorecard(api.registry, document, actor="carol")
    _login(api)
    for page in ("/", "/scorecards/1"):
        text = api.client.get(page).text
        assert "<script>alert(1)</script>" not in text
        assert "<img src=x>" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_static_assets_ship_in_the_package(api: Api) -> None:
    chart = api.client.get("/static/chart.umd.min.js")
    assert chart.status_code == 200
    assert chart.text.startswith("/*!\n * Chart.js v4.6.1")
    assert api.client.get("/static/dashboard.js").status_code == 200
    assert "MIT" in api.client.get("/static/chart.js.LICENSE.md").text
