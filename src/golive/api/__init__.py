"""The golive service: a REST API under ``/api/v1`` and the dashboard, over one registry."""

from __future__ import annotations

from golive.api.app import create_app

__all__ = ["create_app"]
