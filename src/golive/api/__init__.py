"""The golive service: a REST API under ``/api/v1`` and the dashboard, over one registry.

``create_app`` is imported on first use, so that ``golive serve``'s options (which
name :data:`ALLOW_SQL_ENV`) and ``golive --help`` do not pay for FastAPI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

ALLOW_SQL_ENV = "GOLIVE_API_ALLOW_SQL"
"""``1``, ``true`` or ``yes`` lets the API evaluate ``sql`` sources (``--allow-sql-sources``)."""

if TYPE_CHECKING:
    from golive.api.app import create_app


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from golive.api.app import create_app

        return create_app
    raise AttributeError(f"module 'golive.api' has no attribute {name!r}")


__all__ = ["ALLOW_SQL_ENV", "create_app"]
