"""The dashboard: server-rendered pages over the same registry, behind a login with a token.

The token typed into the login form is checked like a bearer token and kept in an
HttpOnly, SameSite=Strict cookie, so page scripts cannot read it and other sites
cannot send it. Pages carry no inline script: chart data travels in ``data-chart``
attributes and ``static/dashboard.js`` draws it, so the Content-Security-Policy
allows scripts from this server only.
"""

from __future__ import annotations

from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from golive import __version__
from golive.api.auth import COOKIE, registry_of
from golive.api.governance_views import ITEM_STATUSES, register_view, release_view, releases
from golive.api.served_specs import specs_from_env
from golive.api.views import bucket_chart, check_history, overview, shown_number, worst_first
from golive.errors import NotFoundError, UsageError
from golive.registry import Registry, get_scorecard
from golive.registry.instants import rfc3339, utc_now
from golive.registry.tokens import TokenInfo, authenticate
from golive.spec.models import Spec

_PACKAGE = resources.files("golive.api")
templates = Jinja2Templates(directory=str(_PACKAGE / "templates"))
templates.env.filters["rfc3339"] = rfc3339
templates.env.filters["number"] = shown_number
router = APIRouter(include_in_schema=False)

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
# A dashboard session lasts a working day; the token itself is valid until revoked.
COOKIE_MAX_AGE_S = 12 * 3600


def install_dashboard(app: FastAPI) -> None:
    """Serve the dashboard pages and their static assets from ``app``.

    The release and register pages judge signatures against the specs in
    ``$GOLIVE_SPECS`` (``golive serve --spec``), loaded once here.
    """
    app.state.specs = specs_from_env()
    app.mount("/static", StaticFiles(directory=str(_PACKAGE / "static")), name="static")
    app.include_router(router)


def viewer(request: Request) -> TokenInfo | None:
    """The live token in the dashboard cookie, or None (the page then redirects to login)."""
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    registry: Registry = request.app.state.registry
    return authenticate(registry, token)


def served_specs(request: Request) -> dict[str, Spec]:
    """The specs whose governance the pages apply, by name."""
    specs: dict[str, Spec] = request.app.state.specs
    return specs


def _page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    response = templates.TemplateResponse(
        request, name, {"version": __version__, **context}, status_code=status
    )
    response.headers.update(SECURITY_HEADERS)
    return response


def _to_login() -> RedirectResponse:
    return RedirectResponse("/login", status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> Response:
    """The login form: one field, an API token."""
    return _page(request, "login.html", error=None)


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    token: Annotated[str, Form(max_length=200)],
    registry: Registry = Depends(registry_of),
) -> Response:
    """Check the token; on success keep it in an HttpOnly cookie and go to the overview."""
    found = authenticate(registry, token.strip())
    if found is None:
        return _page(request, "login.html", 401, error="unknown or revoked API token")
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        COOKIE,
        token.strip(),
        max_age=COOKIE_MAX_AGE_S,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/logout")
def logout() -> Response:
    """Forget the token cookie."""
    response = _to_login()
    response.delete_cookie(COOKIE)
    return response


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request,
    registry: Registry = Depends(registry_of),
    token: TokenInfo | None = Depends(viewer),
) -> Response:
    """Each spec's latest verdict, score trend and checks, specs that are not ready first."""
    if token is None:
        return _to_login()
    return _page(request, "overview.html", token=token, specs=overview(registry))


@router.get("/scorecards/{ref}", response_class=HTMLResponse)
def scorecard_page(
    request: Request,
    ref: str,
    registry: Registry = Depends(registry_of),
    token: TokenInfo | None = Depends(viewer),
) -> Response:
    """One scorecard: every check with observed vs expected, evidence, and bucket bars."""
    if token is None:
        return _to_login()
    try:
        stored = get_scorecard(registry, ref)
    except (NotFoundError, UsageError) as exc:
        return _page(request, "missing.html", exc.http_status, token=token, message=str(exc))
    checks = worst_first(stored.document["checks"])
    charts = {c["id"]: bucket_chart(c) for c in checks}
    return _page(
        request, "scorecard.html", token=token, stored=stored, checks=checks, charts=charts
    )


@router.get("/checks", response_class=HTMLResponse)
def check_page(
    request: Request,
    spec: Annotated[str, Query(max_length=500, pattern=r"^[^\x00]+$")],
    check: Annotated[str, Query(max_length=500, pattern=r"^[^\x00]+$")],
    registry: Registry = Depends(registry_of),
    token: TokenInfo | None = Depends(viewer),
) -> Response:
    """One check's observed value over past scorecards, against its threshold."""
    if token is None:
        return _to_login()
    chart = check_history(registry, spec, check)
    if not chart.labels:
        message = f"no scorecard of spec {spec!r} has a check {check!r}"
        return _page(request, "missing.html", 404, token=token, message=message)
    return _page(request, "check.html", token=token, spec=spec, check=check, chart=chart)


@router.get("/releases", response_class=HTMLResponse)
def releases_page(
    request: Request,
    registry: Registry = Depends(registry_of),
    token: TokenInfo | None = Depends(viewer),
) -> Response:
    """Every release: its current manifest revision and its last gate decision."""
    if token is None:
        return _to_login()
    total, rows = releases(registry)
    return _page(request, "releases.html", token=token, total=total, rows=rows)


@router.get("/releases/{version}", response_class=HTMLResponse)
def release_page(
    request: Request,
    version: Annotated[str, Path(max_length=200, pattern=r"^[^\x00]+$")],
    registry: Registry = Depends(registry_of),
    specs: dict[str, Spec] = Depends(served_specs),
    token: TokenInfo | None = Depends(viewer),
) -> Response:
    """One release: manifest, approvals and whether each counts, waivers, the go/no-go table."""
    if token is None:
        return _to_login()
    try:
        view = release_view(registry, specs, version, utc_now())
    except NotFoundError as exc:
        return _page(request, "missing.html", exc.http_status, token=token, message=str(exc))
    return _page(request, "release.html", token=token, view=view)


@router.get("/register", response_class=HTMLResponse)
def register_page(
    request: Request,
    status: Annotated[str | None, Query(max_length=40)] = None,
    owner: Annotated[str | None, Query(max_length=200)] = None,
    registry: Registry = Depends(registry_of),
    specs: dict[str, Spec] = Depends(served_specs),
    token: TokenInfo | None = Depends(viewer),
) -> Response:
    """The item register (filtered by status and owner) and the incidents, overdue first."""
    if token is None:
        return _to_login()
    status, owner = status or None, owner or None  # an empty filter field means "any"
    try:
        view = register_view(registry, specs, utc_now(), status=status, owner=owner)
    except UsageError as exc:
        return _page(
            request,
            "missing.html",
            exc.http_status,
            token=token,
            message=str(exc),
            heading="Bad filter",
        )
    return _page(
        request,
        "register.html",
        token=token,
        view=view,
        specs=specs,
        chosen_status=status,
        chosen_owner=owner,
        statuses=ITEM_STATUSES,
    )
