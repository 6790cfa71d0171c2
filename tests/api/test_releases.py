"""Releases over HTTP: record one with its manifest, list them, fetch one with its approvals."""

from __future__ import annotations

from golive.governance.approvals import list_approvals
from golive.governance.releases import get_release
from golive.registry.tokens import Role

from .conftest import Api
from .governed import ARTIFACT, approval, create_release

URL = "/api/v1/releases"


def test_a_release_without_artifacts_or_with_a_bad_digest_is_422_naming_the_field(
    api: Api,
) -> None:
    body = {"version": "1.4.0", "spec_name": "shop", "artifacts": []}
    response = api.client.post(URL, json=body, headers=api.auth(Role.ENGINEER))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "artifacts"
    body["artifacts"] = [{**ARTIFACT, "sha256": "XYZ"}]
    response = api.client.post(URL, json=body, headers=api.auth(Role.ENGINEER))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "artifacts[0].sha256"
    assert api.client.get(URL, headers=api.auth(Role.VIEWER)).json()["total"] == 0


def test_create_records_the_manifest_and_again_is_200(api: Api) -> None:
    created = api.client.post(
        URL,
        json={
            "version": "1.4.0",
            "spec_name": "shop",
            "artifacts": [ARTIFACT],
            "window": {"start": "2026-01-05T08:00:00Z", "end": "2026-01-05T10:00:00Z"},
            "items": ["UC-001"],
        },
        headers=api.auth(Role.ENGINEER),
    )
    assert created.status_code == 201, created.text
    assert created.headers["location"] == f"{URL}/1.4.0"
    body = created.json()
    manifest = body["manifest"]
    assert manifest["schema"] == "golive.release-manifest/v1"
    assert manifest["creator"] == "token:engineer"
    assert manifest["artifacts"] == [ARTIFACT]
    assert manifest["window"] == {"start": "2026-01-05T08:00:00Z", "end": "2026-01-05T10:00:00Z"}
    assert manifest["items"] == ["UC-001"]
    assert body["sha256"] == get_release(api.registry, "1.4.0").sha256
    again = create_release(api, items=["UC-001"], window=manifest["window"])
    assert again["sha256"] == body["sha256"]


def test_create_with_other_content_is_refused(api: Api) -> None:
    create_release(api)
    other = {**ARTIFACT, "size": 7}
    response = api.client.post(
        URL,
        json={"version": "1.4.0", "spec_name": "shop", "artifacts": [other]},
        headers=api.auth(Role.ENGINEER),
    )
    assert response.status_code == 400
    assert "already exists with other content" in response.json()["detail"]


def test_window_ending_before_it_starts_is_400(api: Api) -> None:
    response = api.client.post(
        URL,
        json={
            "version": "1.4.0",
            "spec_name": "shop",
            "artifacts": [ARTIFACT],
            "window": {"start": "2026-01-05T10:00:00Z", "end": "2026-01-05T08:00:00Z"},
        },
        headers=api.auth(Role.ENGINEER),
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "--window: the end must come after the start"


def test_list_is_newest_first_with_pages(api: Api) -> None:
    for version in ("1.0.0", "1.1.0", "1.2.0"):
        create_release(api, version)
    page = api.client.get(f"{URL}?limit=2&offset=1", headers=api.auth(Role.VIEWER)).json()
    assert page["total"] == 3
    assert [r["version"] for r in page["items"]] == ["1.1.0", "1.0.0"]


def test_fetch_unknown_is_404(api: Api) -> None:
    response = api.client.get(f"{URL}/9.9.9", headers=api.auth(Role.VIEWER))
    assert response.status_code == 404
    assert response.json()["detail"].startswith("no release '9.9.9' in registry")


def test_fetch_shows_manifest_approvals_and_no_gate_yet(api: Api) -> None:
    release = create_release(api)
    signed = api.client.post(
        f"{URL}/1.4.0/approvals",
        json=approval("alice", release["sha256"]),
        headers=api.auth(Role.APPROVER),
    )
    assert signed.status_code == 201, signed.text
    detail = api.client.get(f"{URL}/1.4.0", headers=api.auth(Role.VIEWER)).json()
    assert detail["release"]["sha256"] == release["sha256"]
    assert detail["approvals"] == [
        {
            "document": list_approvals(api.registry, "1.4.0")[0],
            "current": True,
            "state": f"signature verified over the current manifest {release['sha256'][:16]}",
        }
    ]
    assert detail["waivers"] == []
    assert detail["rehearsals"] == []
    assert detail["gate"] is None
