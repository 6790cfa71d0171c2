"""Scorecards over HTTP: upload (validated), list (filtered, paged), fetch, audit verification."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from golive.canonical import digest
from golive.cli.app import app
from golive.registry import get_scorecard, list_scorecards
from golive.registry.instants import utc_now
from golive.registry.tokens import Role
from tests.governance.project import write_project

from .conftest import Api, scorecard
from .governed import waiver

URL = "/api/v1/scorecards"


def _upload(api: Api, document: dict[str, Any]) -> Any:
    return api.client.post(URL, json=document, headers=api.auth(Role.ENGINEER))


def _ready(**changes: Any) -> dict[str, Any]:
    document = scorecard(**changes)
    document["ready"], document["score"] = True, 1.0
    document["checks"][1].update(status="pass", observed=0.05)
    document["summary"].update({"pass": 2, "fail": 0})
    return document


def test_upload_records_the_document_as_sent(api: Api) -> None:
    document = scorecard()
    response = _upload(api, document)
    assert response.status_code == 201
    body = response.json()
    assert body["sha256"] == digest(document)
    assert response.headers["location"] == f"{URL}/{digest(document)}"
    assert body["recorded_by"] == "token:engineer"
    assert body["document"] == document
    stored = get_scorecard(api.registry, digest(document))
    assert stored.document == document
    assert stored.recorded_by == "token:engineer"


def test_upload_again_is_200_and_writes_nothing(api: Api) -> None:
    assert _upload(api, scorecard()).status_code == 201
    again = _upload(api, scorecard())
    assert again.status_code == 200
    assert len(list_scorecards(api.registry)) == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"score": "0.5"}, "score", "Input should be a valid number"),
        ({"score": 1.5}, "score", "Input should be less than or equal to 1"),
        ({"ready": 1}, "ready", "Input should be a valid boolean"),
        ({"schema": "golive.scorecard/v2"}, "schema", "Input should be 'golive.scorecard/v1'"),
        ({"evaluated_at": "2025-12-18 00:00"}, "evaluated_at", "instant '2025-12-18 00:00' has no"),
        ({"surprise": 1}, "surprise", "Extra inputs are not permitted"),
        ({"spec": {"name": "", "path": "g.yaml", "sha256": "ab"}}, "spec.name", "at least 1"),
    ],
)
def test_bad_document_is_422_naming_the_field(
    api: Api, change: dict[str, Any], field: str, message: str
) -> None:
    response = _upload(api, scorecard(**change))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == [field]
    assert message in errors[0]["message"]
    assert list_scorecards(api.registry) == []


def test_bad_check_is_named_by_its_index(api: Api) -> None:
    document = scorecard()
    document["checks"][1]["status"] = "passed"
    response = _upload(api, document)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "checks[1].status"


def test_ready_with_a_failing_required_check_is_refused(api: Api) -> None:
    response = _upload(api, scorecard(ready=True))
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == (
        "ready is true but required check 'PR-11.error-rate' is not pass, warn or waived"
    )


def test_summary_that_disagrees_with_the_checks_is_refused(api: Api) -> None:
    document = scorecard()
    document["summary"]["pass"] = 2
    response = _upload(api, document)
    assert response.status_code == 422
    assert "summary does not match the statuses of the checks" in response.text


def test_number_without_canonical_json_is_400(api: Api) -> None:
    document = scorecard()
    document["checks"][0]["observed"] = 2**60  # beyond IEEE double precision: no RFC 8785 form
    response = _upload(api, document)
    assert response.status_code == 400
    assert "no canonical JSON form" in response.json()["detail"]


def test_nul_in_an_indexed_field_is_422_on_every_database(api: Api) -> None:
    document = scorecard()
    document["spec"]["name"] = "shop\u0000"
    response = _upload(api, document)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "spec.name"


def _seed(api: Api) -> list[dict[str, Any]]:
    documents = [
        scorecard(evaluated_at="2025-12-16T00:00:00Z"),
        _ready(evaluated_at="2025-12-17T00:00:00Z"),
        scorecard(evaluated_at="2025-12-18T00:00:00Z"),
        _ready(
            evaluated_at="2025-12-18T00:00:00Z",
            spec={"name": "other", "path": "o.yaml", "sha256": "ab" * 32},
        ),
    ]
    for document in documents:
        assert _upload(api, document).status_code == 201
    return documents


def test_list_newest_first_with_total_and_pages(api: Api) -> None:
    documents = _seed(api)
    page = api.client.get(URL, params={"limit": 2}, headers=api.auth(Role.VIEWER)).json()
    assert page["total"] == 4
    assert (page["limit"], page["offset"]) == (2, 0)
    assert [i["evaluated_at"] for i in page["items"]] == [
        "2025-12-18T00:00:00Z",
        "2025-12-18T00:00:00Z",
    ]
    rest = api.client.get(URL, params={"limit": 2, "offset": 2}, headers=api.auth(Role.VIEWER))
    assert [i["sha256"] for i in rest.json()["items"]] == [
        digest(documents[1]),
        digest(documents[0]),
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"spec": "other"}, [3]),
        ({"ready": "true"}, [3, 1]),
        ({"ready": "false", "spec": "governance-v5-battle-tested"}, [2, 0]),
        ({"since": "2025-12-17T00:00:00Z", "until": "2025-12-18T00:00:00Z"}, [1]),
        ({"since": "2025-12-17T01:00:00+01:00"}, [3, 2, 1]),
        ({"spec": "nobody"}, []),
    ],
)
def test_list_filters(api: Api, params: dict[str, str], expected: list[int]) -> None:
    documents = _seed(api)
    page = api.client.get(URL, params=params, headers=api.auth(Role.VIEWER)).json()
    assert page["total"] == len(expected)
    assert sorted(i["sha256"] for i in page["items"]) == sorted(
        digest(documents[n]) for n in expected
    )


@pytest.mark.parametrize(
    ("params", "field", "status"),
    [
        ({"since": "yesterday"}, "since", 422),
        ({"until": "2025-12-18T00:00:00"}, "until", 422),
        ({"limit": "0"}, "limit", 422),
        ({"limit": "501"}, "limit", 422),
        ({"offset": "-1"}, "offset", 422),
        ({"ready": "maybe"}, "ready", 422),
    ],
)
def test_list_bad_parameters_are_422_naming_them(
    api: Api, params: dict[str, str], field: str, status: int
) -> None:
    response = api.client.get(URL, params=params, headers=api.auth(Role.VIEWER))
    assert response.status_code == status
    assert response.json()["errors"][0]["field"] == field


def test_fetch_by_id_sha256_and_prefix(api: Api) -> None:
    document = scorecard()
    created = _upload(api, document).json()
    sha = digest(document)
    for ref in (str(created["id"]), sha, sha[:8].upper()):
        response = api.client.get(f"{URL}/{ref}", headers=api.auth(Role.VIEWER))
        assert response.status_code == 200, ref
        assert response.json()["document"] == document


def test_fetch_unknown_and_invalid_refs(api: Api) -> None:
    missing = api.client.get(f"{URL}/{'0' * 64}", headers=api.auth(Role.VIEWER))
    assert missing.status_code == 404
    assert missing.json()["detail"].startswith(f"no scorecard '{'0' * 64}' in registry ")
    invalid = api.client.get(f"{URL}/not-a-ref", headers=api.auth(Role.VIEWER))
    assert invalid.status_code == 400
    assert "expected an id (a number such as 17), a sha256" in invalid.json()["detail"]


def test_audit_verify_counts_uploads_and_token_changes(api: Api) -> None:
    _upload(api, scorecard())
    report = api.client.get("/api/v1/audit/verify", headers=api.auth(Role.VIEWER)).json()
    # Four tokens created by the fixture, one scorecard recorded.
    assert report["ok"] is True
    assert report["entries"] == 5
    assert report["first_broken_seq"] is None
    assert len(report["head_hash"]) == 64


def test_a_real_scorecard_with_a_waived_check_uploads(
    api: Api, registry_url: str, tmp_path: Path
) -> None:
    spec = write_project(tmp_path, kinds=("a",))  # uc1.b fails: no "b" record
    now = utc_now().replace(microsecond=0)
    signed = api.client.post(
        "/api/v1/waivers",
        json=waiver("alice", "uc1.b", now, now + timedelta(days=1)),
        headers=api.auth(Role.APPROVER),
    )
    assert signed.status_code == 201, signed.text
    result = CliRunner().invoke(
        app, ["check", str(spec), "--registry", registry_url, "--json", "--no-record"]
    )
    document = json.loads(result.stdout)
    waived = [c for c in document["checks"] if c["status"] == "waived"]
    assert [c["id"] for c in waived] == ["uc1.b"]
    assert waived[0]["waiver"]["id"] == digest(signed.json())
    assert waived[0]["weight"] == 1
    response = _upload(api, document)
    assert response.status_code == 201, response.text
    assert response.json()["document"] == document
