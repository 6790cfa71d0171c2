"""The gate over HTTP: the same decision ``golive gate --json`` makes, recorded the same way."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from golive.cli.app import app
from golive.registry.instants import rfc3339, utc_now
from golive.registry.tokens import Role
from tests.governance.builders import record_card, rehearsal
from tests.governance.conftest import Clock

from .conftest import Api
from .governed import SPEC, approval, create_release

URL = "/api/v1/releases/1.4.0/gate"


def _gate(api: Api) -> dict[str, object]:
    response = api.client.post(URL, json={"spec": SPEC}, headers=api.auth(Role.ENGINEER))
    assert response.status_code == 200, response.text
    decision: dict[str, object] = response.json()
    return decision


def test_a_spec_without_governance_is_400(api: Api) -> None:
    create_release(api)
    response = api.client.post(
        URL,
        json={"spec": "version: 1\nname: shop\n"},
        headers=api.auth(Role.ENGINEER),
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("spec 'shop' has no governance section")


def test_an_invalid_spec_is_400_naming_line_and_column(api: Api) -> None:
    response = api.client.post(
        URL, json={"spec": "version: 1\nname: shop\nchecks: 3\n"}, headers=api.auth(Role.ENGINEER)
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("spec:3:")


def test_a_release_with_no_evidence_is_denied_and_recorded(api: Api) -> None:
    create_release(api)
    decision = _gate(api)
    assert decision["allowed"] is False
    assert decision["decided_by"] == "token:engineer"
    failed = {r["rule"] for r in decision["rules"] if not r["ok"]}  # type: ignore[attr-defined]
    assert failed == {"scorecard", "approvals", "waivers", "rehearsal"}
    detail = api.client.get("/api/v1/releases/1.4.0", headers=api.auth(Role.VIEWER)).json()
    assert detail["gate"] == decision


def test_the_api_and_the_cli_reach_the_same_decision(
    api: Api, registry_url: str, tmp_path: Path
) -> None:
    record_card(api.registry, Clock(utc_now()))
    drill = {**rehearsal(utc_now()), "performed_at": rfc3339(utc_now())}
    recorded = api.client.post("/api/v1/rehearsals", json=drill, headers=api.auth(Role.ENGINEER))
    assert recorded.status_code == 201, recorded.text
    release = create_release(api)
    for name in ("alice", "bob"):
        signed = api.client.post(
            "/api/v1/releases/1.4.0/approvals",
            json=approval(name, release["sha256"]),
            headers=api.auth(Role.APPROVER),
        )
        assert signed.status_code == 201, signed.text
    decision = _gate(api)
    assert decision["allowed"] is True, decision
    spec = tmp_path / "golive.yaml"
    spec.write_text(SPEC)
    result = CliRunner().invoke(
        app, ["gate", "1.4.0", "--spec", str(spec), "--registry", registry_url, "--json"]
    )
    assert result.exit_code == 0, result.output
    cli = json.loads(result.stdout)
    assert cli["schema"] == decision["schema"] == "golive.gate-decision/v1"
    for key in ("allowed", "release", "scorecard"):
        assert cli[key] == decision[key]
    assert [(r["rule"], r["ok"]) for r in cli["rules"]] == [
        (r["rule"], r["ok"])
        for r in decision["rules"]  # type: ignore[attr-defined]
    ]
