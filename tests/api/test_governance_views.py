"""The release and register pages (no browser), over a registry written by the governance library.

The app serves the ``shop`` spec of ``tests/governance/project.py`` (approvers alice,
bob and carol with the bundled keys; items UC-001 owned by carol, UC-002 by dave).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from golive.api import create_app
from golive.api.served_specs import SPECS_ENV
from golive.governance.approvals import approve, current_tally
from golive.governance.gate import decide
from golive.governance.incidents import open_incident, resolve_incident
from golive.governance.items import block, item_register
from golive.governance.releases import ReleaseInput, amend_release, create_release
from golive.governance.waivers import waive
from golive.registry import Registry, open_registry
from golive.registry.instants import rfc3339, utc_now
from golive.registry.tokens import Role, create_token
from golive.spec.loader import load_spec
from golive.spec.models import Spec
from tests.governance.builders import allowed_release, record_card
from tests.governance.conftest import T0, Clock, private_key
from tests.governance.project import write_project

SCRIPT = "<script>alert(1)</script>"


@dataclass
class Shop:
    """A logged-in client of an app serving the shop spec, its registry, spec and folder."""

    client: TestClient
    registry: Registry
    spec: Spec
    folder: Path


def _app(registry_url: str, registry: Registry) -> TestClient:
    client = TestClient(create_app(registry_url))
    token = create_token(registry, "viewer", Role.VIEWER, actor="carol").token
    assert client.post("/login", data={"token": token}).status_code == 200
    return client


@pytest.fixture
def shop(registry_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Shop]:
    spec_path = write_project(tmp_path / "shop")
    monkeypatch.setenv(SPECS_ENV, str(spec_path))
    with open_registry(registry_url) as registry, _app(registry_url, registry) as client:
        yield Shop(client, registry, load_spec(spec_path).spec, tmp_path / "shop")


def _rows(html: str, attribute: str) -> list[str]:
    return re.findall(rf'<tr {attribute}="([^"]*)"', html)


def test_unknown_release_is_a_404_page(shop: Shop) -> None:
    response = shop.client.get("/releases/9.9.9")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    assert "no release &#39;9.9.9&#39;" in response.text
    assert "golive release create 9.9.9 --artifact FILE" in response.text


def test_a_version_no_database_can_hold_is_a_422_not_a_500(shop: Shop) -> None:
    response = shop.client.get("/releases/1.4.0%00")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "version"


def test_register_refuses_an_unknown_status(shop: Shop) -> None:
    response = shop.client.get("/register?status=DONE")
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert (
        "unknown item status &#39;DONE&#39;; use one of NOT_STARTED, IN_PROGRESS, "
        "READY_FOR_GO_LIVE, BLOCKED" in response.text
    )


def test_pages_say_when_the_server_loads_no_spec(
    registry_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(SPECS_ENV, raising=False)
    spec = load_spec(write_project(tmp_path / "shop")).spec
    with open_registry(registry_url) as registry, _app(registry_url, registry) as client:
        allowed_release(registry, spec, Clock(), tmp_path / "shop" / "shop.whl")
        page = client.get("/releases/1.4.0").text
        # The signatures are in the registry, but no served spec vouches for the keys.
        assert "Not verified: the server does not load spec shop" in page
        assert _rows(page, "data-approver") == ["alice", "bob"]
        assert 'data-counts="yes"' not in page
        register = client.get("/register").text
        assert "The server loads no spec" in register
        assert "0 of 0 items" in register


def test_release_page_judges_approvals_with_the_served_spec(shop: Shop) -> None:
    clock = Clock()
    artifact = shop.folder / "shop.whl"
    allowed_release(shop.registry, shop.spec, clock, artifact)
    decision = decide(shop.registry, shop.spec, "1.4.0", actor="ci", clock=clock)
    assert decision["allowed"]
    # Amending voids both approvals; alice approves the new revision again.
    artifact.write_bytes(b"wheel, rebuilt\n")
    amend_release(
        shop.registry, ReleaseInput("1.4.0", (artifact,)), spec_name="shop", actor="carol"
    )
    approve(shop.registry, shop.spec, "1.4.0", private_key("alice"), actor="alice", clock=clock)
    tally = current_tally(shop.registry, shop.spec, "1.4.0")
    page = shop.client.get("/releases/1.4.0").text
    assert f"{tally.valid} of {tally.required} required valid" in page
    assert "1 of 2 required valid" in page
    shown = re.findall(r'<tr data-approver="([^"]*)" data-counts="([^"]*)"', page)
    assert shown == [(c.approver, "yes" if c.counts else "no") for c in tally.checks]
    assert shown == [("alice", "no"), ("bob", "no"), ("alice", "yes")]
    assert "signed revision 1&#39;s manifest, not the current revision 2" in page
    # The last decision is shown as judged, and flagged as stale.
    rules = re.findall(r'<tr data-rule="([^"]*)" data-ok="([^"]*)"', page)
    assert rules == [(r["rule"], "yes" if r["ok"] else "no") for r in decision["rules"]]
    assert "The release changed after this decision" in page
    listing = shop.client.get("/releases").text
    assert _rows(listing, "data-release") == ["1.4.0"]
    assert '<td class="revision">2</td>' in listing
    assert "(on revision 1)" in listing


def test_release_page_lists_waivers_with_their_expiry(shop: Shop) -> None:
    old = Clock()
    create_release(
        shop.registry,
        ReleaseInput("1.4.0", (shop.folder / "shop.whl",)),
        spec_name="shop",
        actor="carol",
        clock=old,
    )
    expired_at = T0 + timedelta(days=10)
    waive(
        shop.registry,
        shop.spec,
        "uc2.a",
        reason="replay rig booked",
        expires_at=expired_at,
        key=private_key("alice"),
        release=None,
        actor="alice",
        clock=old,
    )
    now = Clock(utc_now())
    in_force_until = now() + timedelta(days=5)
    waive(
        shop.registry,
        shop.spec,
        "uc1.b",
        reason="flaky runner",
        expires_at=in_force_until,
        key=private_key("bob"),
        release="1.4.0",
        actor="bob",
        clock=now,
    )
    page = shop.client.get("/releases/1.4.0").text
    assert re.findall(r'<tr data-check="([^"]*)" data-active="([^"]*)"', page) == [
        ("uc2.a", "no"),
        ("uc1.b", "yes"),
    ]
    assert f"<time>{rfc3339(expired_at)}</time>" in page
    assert f"<time>{rfc3339(in_force_until)}</time>" in page
    assert "The gate has not decided on this release yet" in page


def test_register_filters_items_by_status_and_owner(shop: Shop) -> None:
    record_card(shop.registry, Clock(), failing=("uc2.a",))
    block(shop.registry, shop.spec, "UC-002", "waiting for the load rig", actor="dave")
    register = {row.id: row for row in item_register(shop.registry, shop.spec)}
    page = shop.client.get("/register").text
    assert re.findall(r'<tr data-item="([^"]*)" data-status="([^"]*)"', page) == [
        (i, register[i].status) for i in ("UC-001", "UC-002")
    ]
    assert [register["UC-001"].status, register["UC-002"].status] == ["IN_PROGRESS", "BLOCKED"]
    counts = re.findall(r'<td class="evidence-count">([^<]*)</td>', page)
    assert counts == [f"{r.done}/{r.required}" for r in register.values()] == ["2/2", "0/1"]
    blocked = shop.client.get("/register?status=BLOCKED").text
    assert _rows(blocked, "data-item") == ["UC-002"]
    assert "1 of 2 items" in blocked
    carol = shop.client.get("/register?owner=carol").text
    assert _rows(carol, "data-item") == ["UC-001"]
    none = shop.client.get("/register?status=READY_FOR_GO_LIVE&owner=carol").text
    assert _rows(none, "data-item") == []
    assert "no item matches the filters" in none
    # Empty fields (the form's "any") do not filter.
    assert _rows(shop.client.get("/register?status=&owner=").text, "data-item") == [
        "UC-001",
        "UC-002",
    ]


def test_register_lists_overdue_postmortems_first(shop: Shop) -> None:
    old = Clock()
    open_incident(shop.registry, "checkout down", "sev2", actor="erin", clock=old)
    old.advance(hours=1)
    resolve_incident(shop.registry, "INC-1", "rolled back", actor="erin", clock=old)
    open_incident(shop.registry, "slow search", "sev3", actor="erin")
    open_incident(shop.registry, "stale cache", "sev4", actor="erin")
    resolve_incident(shop.registry, "INC-3", "flushed", actor="erin")
    page = shop.client.get("/register").text
    assert re.findall(r'<tr data-incident="([^"]*)" data-overdue="([^"]*)"', page) == [
        ("INC-1", "yes"),  # overdue
        ("INC-2", "no"),  # open
        ("INC-3", "no"),  # resolved, postmortem pending
    ]
    due = T0 + timedelta(hours=1) + timedelta(hours=72)  # governance.postmortem.due: 72h
    assert f'<td class="due"><time>{rfc3339(due)}</time></td>' in page
    assert "A postmortem is due 72h after resolution" in page


def test_text_people_typed_is_escaped(shop: Shop) -> None:
    artifact = shop.folder / "<img src=x onerror=alert(1)>.whl"
    artifact.write_bytes(b"x\n")
    create_release(
        shop.registry, ReleaseInput("1.4.0", (artifact,)), spec_name="shop", actor=SCRIPT
    )
    now = Clock(utc_now())
    waive(
        shop.registry,
        shop.spec,
        "uc2.a",
        reason=SCRIPT,
        expires_at=now() + timedelta(days=1),
        key=private_key("alice"),
        release=None,
        actor="alice",
        clock=now,
    )
    open_incident(shop.registry, SCRIPT, "sev3", actor=SCRIPT)
    for page in ("/releases", "/releases/1.4.0", "/register"):
        text = shop.client.get(page).text
        assert SCRIPT not in text, page
        assert "<img src=x" not in text, page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text, page
