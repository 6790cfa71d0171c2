"""Watch mode in process: once-per-change notifications, failing ticks, the textfile."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import select

from golive.observe.notify import Change, CheckChange, message, post
from golive.observe.watch import WatchConfig, Watcher
from golive.registry import list_scorecards, open_registry, verify_audit
from golive.registry.models import AuditLog
from tests.observe.conftest import SPEC, Loopback

GATE = """\
  gate:
    type: file
    path: go.flag
    time: null
"""
GATE_CHECK = """\
  - id: go-flag
    source: gate
    measure: count
    expect: ">= 1"
    window: all
"""


def _spec(tmp_path: Path) -> Path:
    folder = tmp_path / "spec"
    shutil.copytree(SPEC, folder)
    path = folder / "golive.yaml"
    text = path.read_text().replace("defaults:", GATE + "defaults:") + GATE_CHECK
    path.write_text(text)
    return path


def _clock() -> datetime:
    # The evidence is from 2025-12-17: evaluate as of the day after, a second per tick.
    _clock.now += timedelta(seconds=1)  # type: ignore[attr-defined]
    return _clock.now  # type: ignore[attr-defined,no-any-return]


def _watcher(spec: Path, loopback: Loopback, **extra: object) -> Watcher:
    _clock.now = datetime(2025, 12, 18, tzinfo=UTC)  # type: ignore[attr-defined]
    config = WatchConfig(spec=spec, every_s=0.01, notify=f"{loopback.url}/hook", **extra)  # type: ignore[arg-type]
    return Watcher(config, clock=_clock)


def _posts(loopback: Loopback) -> list[dict[str, object]]:
    return [json.loads(r.body) for r in loopback.requests if r.path == "/hook"]


def test_notifies_once_per_change_not_once_per_tick(tmp_path: Path, loopback: Loopback) -> None:
    spec = _spec(tmp_path)
    watcher = _watcher(spec, loopback, textfile=tmp_path / "golive.prom")
    ticks = [watcher.tick(), watcher.tick()]
    (spec.parent / "go.flag").write_text("go\n")
    ticks += [watcher.tick(), watcher.tick()]
    assert [(t.ready, t.changed, t.notified) for t in ticks] == [
        (False, True, True),  # the first evaluation: nothing was known before
        (False, False, False),
        (True, True, True),  # the flag appeared: ready
        (True, False, False),
    ]
    first, second = _posts(loopback)
    assert str(first["text"]).startswith("golive: observe-small is NOT READY, score 0.67")
    assert str(second["text"]).startswith(
        "golive: observe-small is READY (was NOT READY), score 1.00\n"
        "• `go-flag`: no_data → pass (1 >= 1)\n"
    )
    assert 'golive_ready{spec="observe-small"} 1.0' in (tmp_path / "golive.prom").read_text()
    with open_registry(f"sqlite:///{spec.parent / '.golive' / 'registry.db'}") as registry:
        assert len(list_scorecards(registry)) == 4


def test_a_restart_does_not_announce_the_known_state_again(
    tmp_path: Path, loopback: Loopback
) -> None:
    spec = _spec(tmp_path)
    _watcher(spec, loopback).tick()
    again = _watcher(spec, loopback)
    again._baseline()
    assert again.tick().changed is False
    assert len(_posts(loopback)) == 1


def test_a_failing_evaluation_is_recorded_and_watching_goes_on(
    tmp_path: Path, loopback: Loopback
) -> None:
    spec = _spec(tmp_path)
    watcher = _watcher(spec, loopback)
    good = spec.read_text()
    watcher.tick()
    spec.write_text(good.replace("measure: count", "measure: nope", 1))
    failed = [watcher.tick(), watcher.tick()]
    spec.write_text(good)
    recovered = watcher.tick()
    assert [t.ready for t in failed] == [None, None]
    assert "unknown measure 'nope'" in (failed[0].error or "")
    assert [(t.changed, t.notified) for t in failed] == [(True, True), (False, False)]
    assert (recovered.ready, recovered.changed, recovered.notified) == (False, True, True)
    texts = [str(p["text"]) for p in _posts(loopback)]
    assert texts[1].startswith("golive: evaluating golive failed: ")
    assert texts[2].startswith("golive: observe-small is NOT READY, score 0.67")
    with open_registry(f"sqlite:///{spec.parent / '.golive' / 'registry.db'}") as registry:
        with registry.read() as session:
            actions = list(session.scalars(select(AuditLog.action).order_by(AuditLog.seq)))
        assert verify_audit(registry).ok
    assert actions.count("watch.evaluation_failed") == 2
    assert actions.count("scorecard.recorded") == 2


def test_run_stops_at_until(tmp_path: Path, loopback: Loopback) -> None:
    now = [datetime(2025, 12, 18, tzinfo=UTC)]

    def advance(tick: object) -> None:
        now[0] += timedelta(seconds=1)

    config = WatchConfig(
        spec=_spec(tmp_path), every_s=1.0, until=datetime(2025, 12, 18, 0, 0, 3, tzinfo=UTC)
    )
    watcher = Watcher(config, on_tick=advance, clock=lambda: now[0])
    assert watcher.run() == 3  # at :00, :01 and :02; at :03 it stops
    with open_registry(f"sqlite:///{config.spec.parent / '.golive' / 'registry.db'}") as registry:
        evaluated = sorted(c.evaluated_at.second for c in list_scorecards(registry))
    assert evaluated == [0, 1, 2]  # each tick as of its slot on the schedule


def test_message_is_slack_compatible() -> None:
    change = Change(
        "shop",
        True,
        False,
        0.5,
        "ab" * 32,
        (CheckChange("p95", "pass", "fail", "812 fails < 500"),),
    )
    body = message(change)
    assert body["text"] == (
        "golive: shop is NOT READY (was READY), score 0.50\n"
        "• `p95`: pass → fail (812 fails < 500)\n"
        f"scorecard `golive:scorecard:{'ab' * 32}`"
    )
    assert body["blocks"][0] == {
        "type": "section",
        "text": {"type": "mrkdwn", "text": "golive: shop is NOT READY (was READY), score 0.50"},
    }


def test_an_undeliverable_notification_is_false_not_a_crash() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404)

    change = Change("shop", None, True, 1.0, None, ())
    with httpx.Client(transport=httpx.MockTransport(refuse)) as client:
        assert post("https://hooks.example/services/T0/B0/secret", change, client=client) is False
