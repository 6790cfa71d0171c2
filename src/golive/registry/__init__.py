"""The registry: SQLAlchemy models, Alembic migrations, repository functions, audit chain."""

from __future__ import annotations

from golive.registry.alerts import StoredAlert, list_alerts, record_alerts
from golive.registry.audit import AuditEntry, AuditReport, append_audit, verify_audit
from golive.registry.database import Registry, open_registry, resolve_registry_url
from golive.registry.flags import StoredFlag, create_flag, export_flags, get_flag, list_flags
from golive.registry.rollouts import Decision
from golive.registry.scorecards import (
    StoredScorecard,
    get_scorecard,
    latest_scorecard,
    list_scorecards,
    record_scorecard,
)

__all__ = [
    "AuditEntry",
    "AuditReport",
    "Decision",
    "Registry",
    "StoredAlert",
    "StoredFlag",
    "StoredScorecard",
    "append_audit",
    "create_flag",
    "export_flags",
    "get_flag",
    "get_scorecard",
    "latest_scorecard",
    "list_alerts",
    "list_flags",
    "list_scorecards",
    "open_registry",
    "record_alerts",
    "record_scorecard",
    "resolve_registry_url",
    "verify_audit",
]
