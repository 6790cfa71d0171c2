"""Who is calling: a bearer token (API) or the dashboard's cookie, checked against the registry.

Only the token's SHA-256 is looked up, and the token itself is never logged or
echoed: error messages say what was wrong with it, not what it was.

The token lookup, like the other short indexed reads (listing and fetching
scorecards, the flags poll, ``/readyz``), runs on the event loop, not in the
thread pool: under load each hop to the pool waits for the GIL, which cost more
than the query itself (``benchmarks/bench_api.py``). Writes and long reads
(uploads, the audit check, the dashboard) stay in the pool, since they may wait
on a lock or scan. ``tests/api/test_app.py`` checks which side each is on.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from golive.registry import Registry
from golive.registry.tokens import Role, TokenInfo, authenticate

COOKIE = "golive_token"
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="golive"'}

# auto_error=False: a missing header is answered by our 401 problem, not FastAPI's 403.
_bearer = HTTPBearer(auto_error=False, description="An API token from `golive token create`.")


async def registry_of(request: Request) -> Registry:
    """The registry the app serves (one engine per app, one session per request)."""
    registry: Registry = request.app.state.registry
    return registry


async def caller(
    request: Request,
    credentials: HTTPAuthorizationCredentials | None = Depends(_bearer),
) -> TokenInfo:
    """The token in ``Authorization: Bearer ...``; 401 when it is missing, unknown or revoked."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(
            401,
            "missing API token; send the header 'Authorization: Bearer <token>' "
            "(`golive token create NAME --role viewer` makes one)",
            headers=_CHALLENGE,
        )
    found = authenticate(request.app.state.registry, credentials.credentials)
    if found is None:
        raise HTTPException(401, "unknown or revoked API token", headers=_CHALLENGE)
    return found


def require(role: Role) -> Callable[[TokenInfo], Awaitable[TokenInfo]]:
    """A dependency that lets through tokens whose role is ``role`` or above, else 403."""

    # async: no I/O here, so no trip through the thread pool.
    async def check(token: TokenInfo = Depends(caller)) -> TokenInfo:
        if not token.role.allows(role):
            raise HTTPException(
                403,
                f"token {token.name!r} has role {token.role.value}; this needs {role.value} "
                "or above",
            )
        return token

    return check


def actor_of(token: TokenInfo) -> str:
    """The audit label of whatever a token does: ``token:<name>``."""
    return f"token:{token.name}"
