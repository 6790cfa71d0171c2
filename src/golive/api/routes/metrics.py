"""``/metrics``: golive's metrics in the Prometheus text format (a viewer token).

Only ``/healthz`` and ``/readyz`` answer without a token, so Prometheus scrapes with
one: ``authorization: {credentials_file: ...}`` in its ``scrape_config``
(docs/observability-runtime.md). The registry-derived gauges are read at scrape time
(cached a few seconds), so every replica serves the same numbers; the request-duration
histogram counts the requests this process answered.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from golive.api.auth import require
from golive.registry.tokens import Role, TokenInfo

router = APIRouter(tags=["metrics"])


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE_LATEST: {}}, "description": "the metrics"}},
)
def metrics(request: Request, _token: TokenInfo = Depends(require(Role.VIEWER))) -> Response:
    """The metrics, in the Prometheus text exposition format (version 0.0.4)."""
    return Response(generate_latest(request.app.state.metrics), media_type=CONTENT_TYPE_LATEST)
