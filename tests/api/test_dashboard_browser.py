"""The dashboard in a real browser: Playwright driving Debian's headless Chromium.

Real scorecards (the battle-tested example evaluated on five days) are served by
uvicorn on a free loopback port; the test logs in, opens each page, compares the
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
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from golive.api import create_app
from golive.engine.evaluate import evaluate
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


@dataclass
class Site:
    """A served registry, a viewer token and the screenshots folder."""

    base: str
    registry: Registry
    token: str
    shots: Path


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
    token = create_token(registry, "morning", Role.VIEWER, actor="carol").token
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(url), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    shots = folder / "screenshots"
    shots.mkdir()
    try:
        yield Site(f"http://127.0.0.1:{port}", registry, token, shots)
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


def test_logout_returns_to_the_login_form(page: Any, site: Site) -> None:
    page.goto(f"{site.base}/")
    page.click("header button[type=submit]")
    page.wait_for_url(f"{site.base}/login")
    page.goto(f"{site.base}/")
    assert page.url == f"{site.base}/login"
    page.screenshot(path=str(site.shots / "login.png"))
