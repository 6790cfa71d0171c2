"""Integers canonical JSON cannot carry exactly are a 422 naming the field, never a 500."""

from __future__ import annotations

import copy

from golive.api.schemas import JSON_SAFE_MAX
from golive.registry.tokens import Role

from .conftest import Api, scorecard


def test_a_scorecard_with_an_unsafe_integer_is_refused(api: Api) -> None:
    document = copy.deepcopy(scorecard())
    document["checks"][0]["evidence"][0]["records"] = JSON_SAFE_MAX + 1
    response = api.client.post("/api/v1/scorecards", json=document, headers=api.auth(Role.ENGINEER))
    assert response.status_code == 422
    assert "records" in response.text
    document["checks"][0]["evidence"][0]["records"] = JSON_SAFE_MAX
    accepted = api.client.post("/api/v1/scorecards", json=document, headers=api.auth(Role.ENGINEER))
    assert accepted.status_code == 201, accepted.text


def test_a_release_artifact_of_unsafe_size_is_refused(api: Api) -> None:
    body = {
        "version": "0.1.0",
        "spec_name": "shop",
        "artifacts": [{"path": "app.tar", "sha256": "0" * 64, "size": JSON_SAFE_MAX + 1}],
    }
    response = api.client.post("/api/v1/releases", json=body, headers=api.auth(Role.ENGINEER))
    assert response.status_code == 422
    assert "size" in response.text
