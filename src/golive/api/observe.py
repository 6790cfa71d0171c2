"""The service watching itself: request spans and durations, ``/metrics``, the alert policy.

``golive serve --alerts-spec PATH`` (``$GOLIVE_ALERTS_SPEC``) names the golive.yaml
whose ``governance.incidents`` decides which alerts received on ``/api/v1/alerts``
open an incident; without it alerts are recorded and no incident is opened.
"""

from __future__ import annotations

from fastapi import FastAPI

from golive.governance.alert_incidents import incident_policy_from_env
from golive.observe.asgi import ObserveMiddleware
from golive.observe.metrics import metrics_registry


def install_observe(app: FastAPI) -> None:
    """Add the observing middleware, the metrics and the alert policy (from the environment)."""
    app.state.metrics = metrics_registry(app.state.registry)
    # Added last, so outermost: it times and traces every answer, refusals included.
    app.add_middleware(ObserveMiddleware, metrics=app.state.metrics)
    app.state.incident_policy = incident_policy_from_env()
