"""The FastAPI application: health, the ``/api/v1`` routes, errors as problem bodies.

The app is stateless over its registry: it holds one engine (a connection pool)
and every request opens its own session, so any number of replicas can serve one
PostgreSQL registry.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, FastAPI

from golive import __version__
from golive.api.auth import require
from golive.api.dashboard import install_dashboard
from golive.api.errors import install_error_handlers
from golive.api.limits import BodySizeLimit
from golive.api.observe import install_observe
from golive.api.routes import alerts, audit, health, metrics, scorecards, tokens
from golive.api.routes.governed import ROUTERS as GOVERNED_ROUTERS
from golive.api.specs import allow_sql_from_env
from golive.errors import UsageError
from golive.observe.tracing import configure_tracing, flush_tracing
from golive.registry import open_registry
from golive.registry.database import ENV_VAR
from golive.registry.tokens import Role, TokenInfo

API_PREFIX = "/api/v1"
OPENAPI_PATH = f"{API_PREFIX}/openapi.json"
# Scorecards are the largest bodies (a few KiB to a few hundred KiB); 1 MiB leaves room.
MAX_BODY_BYTES = 1024 * 1024


def create_app(
    registry_url: str, *, max_body_bytes: int = MAX_BODY_BYTES, allow_sql: bool = False
) -> FastAPI:
    """The golive service over the registry at ``registry_url`` (opened and migrated now).

    ``allow_sql``: accept specs with ``sql`` sources in requests (``golive serve
    --allow-sql-sources``); specs with ``command`` sources are always refused.
    """
    registry = open_registry(registry_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        # uvicorn re-raises SIGTERM once stopped, so atexit never runs: flush spans here.
        flush_tracing()
        registry.close()

    app = FastAPI(
        title="golive",
        version=__version__,
        description="Readiness verdicts, their evidence and the audit log, over HTTP. "
        "Every route under /api/v1 needs `Authorization: Bearer <token>`.",
        openapi_url=None,  # served below, behind a token like the rest of /api/v1
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.registry = registry
    app.state.allow_sql = allow_sql
    app.add_middleware(BodySizeLimit, limit=max_body_bytes)
    install_observe(app)
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(metrics.router)
    api = APIRouter(prefix=API_PREFIX)
    api.include_router(scorecards.router)
    api.include_router(audit.router)
    api.include_router(tokens.router)
    api.include_router(alerts.router)
    for router in GOVERNED_ROUTERS:
        api.include_router(router)
    app.include_router(api)
    install_dashboard(app)

    @app.get(OPENAPI_PATH, include_in_schema=False)
    def openapi(_token: TokenInfo = Depends(require(Role.VIEWER))) -> dict[str, Any]:
        return app.openapi()

    return app


def app_from_env() -> FastAPI:
    """The app over ``$GOLIVE_REGISTRY``: the factory ``golive serve`` gives uvicorn's workers."""
    url = os.environ.get(ENV_VAR, "").strip()
    if not url:
        raise UsageError(f"{ENV_VAR} is not set; `golive serve --registry URL` sets it")
    # Spans of the requests go to OTLP or, by default, to ./.golive/otel/spans.jsonl.
    configure_tracing(Path.cwd(), batch=True)
    return create_app(url, allow_sql=allow_sql_from_env())
