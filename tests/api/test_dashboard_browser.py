"""The dashboard in a real browser: Playwright driving Debian's headless Chromium.

Real scorecards (the battle-tested example evaluated on five days) are served by
uvicorn on a free loopback port, beside releases, approvals and waivers signed with
ed25519 keys made by the test, items, incidents and gate decisions, all written by
the library functions the CLI calls. The test logs in, opens each page, compares the
numbers shown with the registry, reads back what each chart drew, and saves a
screenshot of every page under the test's tmp dir.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from golive.api import create_app
from golive.api.served_specs import SPECS_ENV
from golive.engine.evaluate import evaluate
from golive.governance.approvals import approve, current_tally
from golive.governance.gate import decide, latest_decision
from golive.governance.incidents import open_incident, resolve_incident
from golive.governance.items import block, item_register, promote
from golive.governance.keys import SigningKey, load_private_key
from golive.governance.rehearsals import record_rehearsal
from golive.governance.releases import ReleaseInput, amend_release, create_release, list_releases
from golive.governance.waivers import waive
from golive.registry import (
    Registry,
    StoredScorecard,
    list_scorecards,
    open_registry,
    record_scorecard,
)
from golive.registry.tokens import Role, create_token
from golive.sources.readers import readers
from golive.spec.loader import load_spec
from golive.spec.models import Spec
from tests.governance.builders import rehearsal

from .conftest import scorecard

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
EXAMPLE = Path(__file__).parents[2] / "examples" / "battle-tested" / "golive.yaml"
SPEC = "governance-v5-battle-tested"
DAYS = (10, 12, 14, 16, 18)

pytestmark = pytest.mark.skipif(
    shutil.which(CHROMIUM) is None, reason=f"{CHROMIUM} is not installed (apt-get install chromium)"
)
sync_api = pytest.importorskip("playwright.sync_api")


GOVERNED = """
governance:
  approvers:
    alice: "{alice}"
    bob: "{bob}"
  approvals: {{min: 2, distinct_from_creator: true}}
  waivers: {{max_days: 30}}
  postmortem: {{due: 72h}}
items:
  - {{id: UC-001, title: v5 volume and span, owner: carol, requires: [PR-7.volume, PR-7.span]}}
  - {{id: UC-002, title: Error budget, owner: dave, requires: [PR-11.error-rate, PR-11.backlog]}}
  - {{id: UC-003, title: Guarded zones, owner: erin, requires: [PR-10.guarded-zones]}}
"""


@dataclass
class Site:
    """A served registry, a viewer token, the served spec and the screenshots folder."""

    base: str
    registry: Registry
    token: str
    spec: Spec
    shots: Path


def _new_key(folder: Path, name: str) -> SigningKey:
    """A fresh ed25519 key written as an OpenSSH private key file, loaded as golive loads one."""
    key = Ed25519PrivateKey.generate()
    path = folder / f"{name}_ed25519"
    path.write_bytes(key.private_bytes(Encoding.PEM, PrivateFormat.OpenSSH, NoEncryption()))
    path.chmod(0o600)
    return load_private_key(path)


def _governed_spec(folder: Path) -> Path:
    """The battle-tested spec with approvers (keys made now) and an item register."""
    keys = {name: _new_key(folder, name) for name in ("alice", "bob")}
    lines = {
        name: key.key.public_key().public_bytes(Encoding.OpenSSH, PublicFormat.OpenSSH).decode()
        for name, key in keys.items()
    }
    path = folder / "golive.yaml"
    path.write_text(EXAMPLE.read_text() + GOVERNED.format(**lines))
    return path


def _seed_governance(registry: Registry, spec: Spec, folder: Path) -> None:
    """Releases, approvals, waivers, items, incidents and a gate decision, as the CLI makes them."""
    alice, bob = (load_private_key(folder / f"{n}_ed25519") for n in ("alice", "bob"))
    now = datetime.now(UTC)
    old = datetime(2025, 12, 18, tzinfo=UTC)
    artifact = folder / "shop-2.0.0.whl"
    artifact.write_bytes(b"wheel 2.0.0\n")
    plan = folder / "rollback.md"
    plan.write_text("git revert, then redeploy 1.9.0\n")
    record_rehearsal(registry, rehearsal(now - timedelta(days=1)), actor="ops")
    create_release(
        registry,
        ReleaseInput("1.9.0", (artifact,)),
        spec_name=SPEC,
        actor="carol",
        clock=lambda: old,
    )
    approve(registry, spec, "1.9.0", alice, actor="alice", clock=lambda: old)
    artifact.write_bytes(b"wheel 1.9.0, patched\n")
    amend_release(registry, ReleaseInput("1.9.0", (artifact,)), spec_name=SPEC, actor="carol")
    artifact.write_bytes(b"wheel 2.0.0\n")
    create_release(
        registry,
        ReleaseInput("2.0.0", (artifact,), rollback_plan=plan, items=("UC-001",)),
        spec_name=SPEC,
        actor="carol",
    )
    for name, key in (("alice", alice), ("bob", bob)):
        approve(registry, spec, "2.0.0", key, actor=name)
    waive(
        registry,
        spec,
        "PR-7.strict",
        reason="strict lane rebuilt",
        expires_at=old + timedelta(days=2),
        key=bob,
        release=None,
        actor="bob",
        clock=lambda: old,
    )
    waive(
        registry,
        spec,
        "PR-11.backlog",
        reason="backlog drain scheduled",
        expires_at=now + timedelta(days=7),
        key=alice,
        release="2.0.0",
        actor="alice",
    )
    promote(registry, spec, "UC-001", alice, actor="alice")
    block(registry, spec, "UC-003", "zone owners on leave", actor="erin")
    open_incident(registry, "checkout errors", "sev2", actor="erin", clock=lambda: old)
    resolve_incident(registry, "INC-1", "rolled back", actor="erin", clock=lambda: old)
    open_incident(registry, "slow search", "sev3", actor="erin")
    decide(registry, spec, "2.0.0", actor="deploy-bot")


def _seed(registry: Registry) -> None:
    loaded = load_spec(EXAMPLE)
    for day in DAYS:
        card = evaluate(
            loaded.spec,
            base_dir=loaded.base_dir,
            spec_path="golive.yaml",
            spec_sha256=loaded.sha256,
            at=datetime(2025, 12, day, tzinfo=UTC),
            readers=readers(commands=False),
        )
        record_scorecard(registry, card.to_document(), actor="ci")
    other = scorecard()
    other["spec"]["name"] = "payments"
    record_scorecard(registry, other, actor="ci")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The app over a seeded SQLite registry, served by uvicorn in a thread."""
    folder = tmp_path_factory.mktemp("dashboard")
    url = f"sqlite:///{folder / 'registry.db'}"
    registry = open_registry(url)
    _seed(registry)
    spec_path = _governed_spec(folder)
    spec = load_spec(spec_path).spec
    _seed_governance(registry, spec, folder)
    token = create_token(registry, "morning", Role.VIEWER, actor="carol").token
    port = _free_port()
    with pytest.MonkeyPatch.context() as env:
        env.setenv(SPECS_ENV, str(spec_path))  # as `golive serve --spec` hands it over
        app = create_app(url)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    shots = folder / "screenshots"
    shots.mkdir()
    try:
        yield Site(f"http://127.0.0.1:{port}", registry, token, spec, shots)
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        registry.close()


@pytest.fixture(scope="module")
def page(site: Site) -> Iterator[Any]:
    """A logged-in browser page."""
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page(viewport={"width": 1280, "height": 900})
            tab.goto(f"{site.base}/")
            assert tab.url == f"{site.base}/login"
            tab.fill("#token", site.token)
            tab.click("button[type=submit]")
            tab.wait_for_url(f"{site.base}/")
            yield tab
        finally:
            browser.close()


def _history(site: Site, spec: str) -> list[StoredScorecard]:
    return list(reversed(list_scorecards(site.registry, spec_name=spec)))


def _drawn(page: Any, selector: str) -> dict[str, Any]:
    """What the chart on ``selector`` holds and where it drew each point of its first dataset."""
    page.wait_for_selector("body[data-charts-drawn=true]")
    result: dict[str, Any] = page.eval_on_selector(
        selector,
        """canvas => {
            const chart = canvas.chart;
            const area = chart.chartArea;
            return {
                labels: chart.data.labels,
                datasets: chart.data.datasets.map(d => d.data),
                points: chart.getDatasetMeta(0).data.map(p => [p.x, p.y]),
                area: [area.left, area.top, area.right, area.bottom],
            };
        }""",
    )
    return result


def _inside(points: list[list[float]], area: list[float]) -> bool:
    left, top, right, bottom = area
    return all(left - 1 <= x <= right + 1 and top - 1 <= y <= bottom + 1 for x, y in points)


def _close(shown: str, value: float) -> bool:
    return abs(float(shown) - value) <= max(1.0, abs(value)) * 1e-5


def test_overview_shows_each_specs_latest_verdict_and_trend(page: Any, site: Site) -> None:
    page.goto(f"{site.base}/")
    sections = page.locator("section.spec")
    # payments is not ready, so it comes first.
    assert sections.evaluate_all("s => s.map(e => e.dataset.spec)") == ["payments", SPEC]
    for spec in ("payments", SPEC):
        latest = _history(site, spec)[-1]
        section = page.locator(f'section[data-spec="{spec}"]')
        assert section.locator(".score").inner_text() == f"{latest.score:.2f}"
        assert section.locator(".verdict").inner_text() == (
            "ready" if latest.ready else "not ready"
        )
        rows = section.locator("tbody tr").evaluate_all("r => r.map(e => e.dataset.check)")
        assert set(rows) == {c["id"] for c in latest.document["checks"]}
    payments = page.locator('section[data-spec="payments"] tbody tr').first
    assert payments.get_attribute("data-check") == "PR-11.error-rate"  # the failing check first
    drawn = _drawn(page, f'section[data-spec="{SPEC}"] canvas.trend')
    history = _history(site, SPEC)
    assert drawn["datasets"][0] == [s.score for s in history]
    assert len(drawn["points"]) == len(DAYS)
    assert _inside(drawn["points"], drawn["area"])
    # Scores rise from day to day, so the points climb (y grows downwards on a canvas).
    ys = [y for _x, y in drawn["points"]]
    assert ys[0] > ys[-1]
    page.screenshot(path=str(site.shots / "overview.png"), full_page=True)


def test_scorecard_page_shows_every_check_and_its_evidence(page: Any, site: Site) -> None:
    page.goto(f"{site.base}/")
    page.click(f'section[data-spec="{SPEC}"] a.scorecard-link')
    latest = _history(site, SPEC)[-1]
    assert page.url == f"{site.base}/scorecards/{latest.sha256}"
    assert page.locator("code.sha256").inner_text() == latest.sha256
    for check in latest.document["checks"]:
        section = page.locator(f'section.check[data-check="{check["id"]}"]')
        assert section.locator(".status").first.inner_text() == check["status"]
        assert _close(section.locator("td.observed").inner_text(), check["observed"])
        records = section.locator("td.records").all_inner_texts()
        assert records == [str(e["records"]) for e in check["evidence"]]
    bucketed = next(c for c in latest.document["checks"] if c["buckets"])
    drawn = _drawn(page, f'section.check[data-check="{bucketed["id"]}"] canvas.buckets')
    assert drawn["datasets"][0] == [b["observed"] for b in bucketed["buckets"]]
    assert drawn["labels"] == [b["end"] for b in bucketed["buckets"]]
    assert len(drawn["points"]) == len(bucketed["buckets"])
    assert _inside(drawn["points"], drawn["area"])
    page.screenshot(path=str(site.shots / "scorecard.png"), full_page=True)


def test_check_page_charts_observed_values_against_the_threshold(page: Any, site: Site) -> None:
    latest = _history(site, SPEC)[-1]
    page.goto(f"{site.base}/scorecards/{latest.sha256}")
    page.click('section.check[data-check="PR-7.span"] a:has-text("over time")')
    page.wait_for_load_state()
    expected = [
        next(c["observed"] for c in s.document["checks"] if c["id"] == "PR-7.span")
        for s in _history(site, SPEC)
    ]
    drawn = _drawn(page, "canvas.history")
    assert drawn["datasets"][0] == expected
    assert drawn["datasets"][1] == [7 * 86400] * len(DAYS)  # expect ">= 7d", in seconds
    assert page.locator(".threshold").inner_text() == "604800"
    assert len(drawn["points"]) == len(DAYS)
    assert _inside(drawn["points"], drawn["area"])
    shown = page.locator("table.history-table td.observed").all_inner_texts()
    assert all(_close(t, v) for t, v in zip(shown, reversed(expected), strict=True))
    page.screenshot(path=str(site.shots / "check.png"), full_page=True)
    assert {p.name for p in site.shots.iterdir()} >= {"check.png"}


def _attributes(page: Any, selector: str, *names: str) -> list[tuple[str, ...]]:
    rows: list[list[str]] = page.locator(selector).evaluate_all(
        f"rows => rows.map(r => {list(names)!r}.map(n => r.dataset[n]))"
    )
    return [tuple(r) for r in rows]


def test_releases_list_shows_each_current_revision_and_its_last_decision(
    page: Any, site: Site
) -> None:
    page.goto(f"{site.base}/")
    page.click("header nav a:has-text('Releases')")
    page.wait_for_url(f"{site.base}/releases")
    total, newest = list_releases(site.registry, limit=100, offset=0)
    assert page.locator("p.shown").inner_text().startswith(f"{total} releases")
    assert (
        page.locator("tr[data-release]").evaluate_all("rows => rows.map(r => r.dataset.release)")
        == [r.version for r in newest]
        == ["2.0.0", "1.9.0"]
    )
    for release in newest:
        row = page.locator(f'tr[data-release="{release.version}"]')
        assert row.locator("td.revision").inner_text() == str(release.revision)
        decision = latest_decision(site.registry, release.version)
        shown = row.locator("td.decision").inner_text()
        if decision is None:
            assert shown == "not gated yet"
        else:
            assert shown.startswith("GO" if decision["allowed"] else "NO-GO")
    page.screenshot(path=str(site.shots / "releases.png"), full_page=True)


def test_release_page_shows_manifest_approvals_waivers_and_go_no_go(page: Any, site: Site) -> None:
    page.goto(f"{site.base}/releases")
    page.click('tr[data-release="2.0.0"] a')
    page.wait_for_url(f"{site.base}/releases/2.0.0")
    release = list_releases(site.registry, limit=100, offset=0)[1][0]
    assert page.locator("section.manifest code.sha256").inner_text() == release.sha256
    artifact = release.manifest["artifacts"][0]
    assert page.locator("table.artifacts td.size").inner_text() == str(artifact["size"])
    assert artifact["sha256"] in page.locator("table.artifacts").inner_text()
    # Approvals are judged by the library, with the keys of the served spec.
    tally = current_tally(site.registry, site.spec, "2.0.0")
    assert (
        page.locator(".tally").inner_text() == f"{tally.valid} of {tally.required} required valid"
    )
    assert tally.valid == 2
    assert _attributes(page, "tr[data-approver]", "approver", "counts") == [
        (c.approver, "yes" if c.counts else "no") for c in tally.checks
    ]
    # The waiver for this release is in force; the expired one (any release) is shown expired.
    assert _attributes(page, "table.waivers tr[data-check]", "check", "active") == [
        ("PR-7.strict", "no"),
        ("PR-11.backlog", "yes"),
    ]
    decision = latest_decision(site.registry, "2.0.0")
    assert decision is not None
    assert _attributes(page, "table.go-no-go tr", "rule", "ok")[1:] == [
        (r["rule"], "yes" if r["ok"] else "no") for r in decision["rules"]
    ]
    verdict = page.locator("section.gate h2 .go-nogo").inner_text()
    assert verdict == ("GO" if decision["allowed"] else "NO-GO")
    page.screenshot(path=str(site.shots / "release.png"), full_page=True)
    # An approval of an earlier revision is listed, and does not count.
    page.goto(f"{site.base}/releases/1.9.0")
    assert page.locator(".tally").inner_text() == "0 of 2 required valid"
    assert _attributes(page, "tr[data-approver]", "approver", "counts") == [("alice", "no")]
    assert page.locator("section.gate").inner_text().endswith("golive gate 1.9.0.")


def test_register_shows_items_with_filters_and_incidents_overdue_first(
    page: Any, site: Site
) -> None:
    page.goto(f"{site.base}/")
    page.click("header nav a:has-text('Register')")
    page.wait_for_url(f"{site.base}/register")
    register = item_register(site.registry, site.spec)
    assert _attributes(page, "tr[data-item]", "item", "status") == [
        (r.id, r.status) for r in register
    ]
    assert [r.status for r in register] == ["READY_FOR_GO_LIVE", "IN_PROGRESS", "BLOCKED"]
    counts = page.locator("td.evidence-count").all_inner_texts()
    assert counts == [f"{r.done}/{r.required}" for r in register]
    colour = page.locator('tr[data-item="UC-003"] .item-status').evaluate(
        "e => getComputedStyle(e).backgroundColor"
    )
    assert colour == "rgb(198, 40, 40)"  # blocked is red
    assert _attributes(page, "tr[data-incident]", "incident", "overdue") == [
        ("INC-1", "yes"),
        ("INC-2", "no"),
    ]
    page.screenshot(path=str(site.shots / "register.png"), full_page=True)
    # The filters are query parameters the server applies.
    page.select_option("#status", "BLOCKED")
    page.click("form.filters button")
    page.wait_for_url(f"{site.base}/register?status=BLOCKED&owner=")
    assert _attributes(page, "tr[data-item]", "item") == [("UC-003",)]
    page.select_option("#status", "")
    page.select_option("#owner", "dave")
    page.click("form.filters button")
    page.wait_for_url(f"{site.base}/register?status=&owner=dave")
    assert _attributes(page, "tr[data-item]", "item") == [("UC-002",)]
    page.screenshot(path=str(site.shots / "register-filtered.png"), full_page=True)


def test_logout_returns_to_the_login_form(page: Any, site: Site) -> None:
    page.goto(f"{site.base}/")
    page.click("header button[type=submit]")
    page.wait_for_url(f"{site.base}/login")
    page.goto(f"{site.base}/")
    assert page.url == f"{site.base}/login"
    page.screenshot(path=str(site.shots / "login.png"))
    assert {p.name for p in site.shots.iterdir()} >= {
        "overview.png",
        "scorecard.png",
        "check.png",
        "releases.png",
        "release.png",
        "register.png",
        "login.png",
    }
