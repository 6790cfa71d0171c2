"""Rehearsals over HTTP: a drill done elsewhere, judged by its before/after checksums."""

from __future__ import annotations

from golive.registry.tokens import Role
from tests.governance.builders import rehearsal
from tests.governance.conftest import T0

from .conftest import Api

URL = "/api/v1/rehearsals"


def test_rollback_ok_with_different_checksums_is_refused(api: Api) -> None:
    claimed = {**rehearsal(T0, "rollback_failed"), "status": "rollback_ok"}
    response = api.client.post(URL, json=claimed, headers=api.auth(Role.ENGINEER))
    assert response.status_code == 400
    assert "status is rollback_ok but the checksums differ" in response.json()["detail"]
    assert api.client.get(URL, headers=api.auth(Role.VIEWER)).json() == []


def test_a_checksum_that_is_not_sha256_is_422_naming_it(api: Api) -> None:
    bad = {**rehearsal(T0), "before_checksum": "abc"}
    response = api.client.post(URL, json=bad, headers=api.auth(Role.ENGINEER))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "before_checksum"


def test_drills_are_recorded_and_listed_newest_first(api: Api) -> None:
    first = api.client.post(URL, json=rehearsal(T0), headers=api.auth(Role.ENGINEER))
    assert first.status_code == 201, first.text
    assert first.json()["schema"] == "golive.rehearsal/v1"
    later = rehearsal(T0.replace(day=19), "rollback_failed")
    assert api.client.post(URL, json=later, headers=api.auth(Role.ENGINEER)).status_code == 201
    listed = api.client.get(URL, headers=api.auth(Role.VIEWER)).json()
    assert [(r["status"], r["performed_at"]) for r in listed] == [
        ("rollback_failed", "2025-12-19T00:00:00Z"),
        ("rollback_ok", "2025-12-18T00:00:00Z"),
    ]


def test_the_same_drill_twice_is_refused_not_a_database_fault(api: Api) -> None:
    assert (
        api.client.post(URL, json=rehearsal(T0), headers=api.auth(Role.ENGINEER)).status_code == 201
    )
    again = api.client.post(URL, json=rehearsal(T0), headers=api.auth(Role.ENGINEER))
    assert again.status_code == 400
    assert again.json()["detail"].startswith("this rehearsal is already recorded (sha256 ")
    assert len(api.client.get(URL, headers=api.auth(Role.VIEWER)).json()) == 1
