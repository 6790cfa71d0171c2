"""API fixtures: an app over a fresh registry, a client, and one token per role."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from golive.api import create_app
from golive.registry import Registry, open_registry
from golive.registry.tokens import Role, create_token

SCORECARD = Path(__file__).parent.parent / "data" / "registry" / "scorecard.json"
WEBHOOK = Path(__file__).parent.parent / "data" / "observe" / "alertmanager" / "webhook_v4.json"


@dataclass
class Api:
    """An app, its client, its registry and one live token per role."""

    app: FastAPI
    client: TestClient
    registry: Registry
    tokens: dict[Role, str]

    def auth(self, role: Role) -> dict[str, str]:
        """The Authorization header of the ``role`` token."""
        return {"Authorization": f"Bearer {self.tokens[role]}"}


def scorecard(**changes: Any) -> dict[str, Any]:
    """The committed scorecard document, with top-level fields changed."""
    document: dict[str, Any] = copy.deepcopy(json.loads(SCORECARD.read_text()))
    document.update(changes)
    return document


def alertmanager_webhook() -> dict[str, Any]:
    """The committed Alertmanager webhook body (version 4): one firing, one resolved alert."""
    document: dict[str, Any] = json.loads(WEBHOOK.read_text())
    return document


@pytest.fixture
def api(registry_url: str) -> Iterator[Api]:
    """The app over an empty registry holding one token per role (named after the role)."""
    with open_registry(registry_url) as registry:
        tokens = {
            role: create_token(registry, role.value, role, actor="carol").token for role in Role
        }
        app = create_app(registry_url)
        with TestClient(app) as client:
            yield Api(app, client, registry, tokens)
