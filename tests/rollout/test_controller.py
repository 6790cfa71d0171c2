"""The controller over a real registry and real evidence: ticks, flag changes, decisions."""

from __future__ import annotations

from pathlib import Path

import pytest

from golive.errors import NotFoundError, UsageError
from golive.governance.incidents import list_incidents
from golive.registry import Registry, get_flag, get_scorecard, verify_audit
from golive.registry.flag_edits import rollout_percentage
from golive.registry.rollouts import list_decisions
from golive.rollout import controller
from golive.sources.readers import readers
from golive.spec.loader import load_spec

from .rollout_builders import Evidence, hours

READERS = readers(commands=False)


def tick(store: Registry, spec: Path, h: float, name: str = "r") -> controller.Tick:
    return controller.step(store, load_spec(spec), name, at=hours(h), actor="bot", readers=READERS)


def percentage(store: Registry) -> int | None:
    return rollout_percentage(get_flag(store, "f").flag)


def test_waves_start_hold_promote_and_complete(
    store: Registry, spec_file: Path, evidence: Evidence
) -> None:
    evidence.canary(-1, 4)
    started = tick(store, spec_file, 0)
    assert (started.decision.decision, started.decision.percentage, percentage(store)) == (
        "start",
        10,
        10,
    )
    held = tick(store, spec_file, 0.5)
    assert held.decision.decision == "hold"
    assert held.decision.reason == "holding: hold 1h: 30m to go"
    assert percentage(store) == 10
    promoted = tick(store, spec_file, 1)
    assert (promoted.decision.decision, promoted.decision.wave, percentage(store)) == (
        "promote",
        2,
        50,
    )
    tick(store, spec_file, 2)
    done = tick(store, spec_file, 3)
    assert (done.decision.status, percentage(store), done.exit_code) == ("completed", 100, 0)
    again = tick(store, spec_file, 4)
    assert (again.new, again.decision.id) == (False, done.decision.id)
    decisions = list_decisions(store, "r")
    assert [d.decision for d in decisions] == ["start", "hold", "promote", "promote", "complete"]
    # Each decision names the scorecard behind it, and that scorecard is in the registry.
    for d in decisions:
        assert d.scorecard_sha256 is not None
        assert get_scorecard(store, d.scorecard_sha256).document["checks"]
    assert verify_audit(store).ok


def test_a_failing_rollback_check_turns_the_flag_off_and_records_the_incident_data(
    store: Registry, spec_file: Path, evidence: Evidence
) -> None:
    evidence.canary(-1, 1)
    evidence.canary(1, 2, errors=0.5)
    tick(store, spec_file, 0)
    tick(store, spec_file, 1)
    assert percentage(store) == 50
    rolled = tick(store, spec_file, 2)
    assert rolled.exit_code == 1
    d = rolled.decision
    assert (d.decision, d.status, d.percentage, percentage(store)) == (
        "rollback",
        "rolled_back",
        0,
        0,
    )
    incident = d.detail["incident"]
    assert incident["percentage_before"] == 50
    assert incident["scorecard"] == f"golive:scorecard:{rolled.scorecard_sha256}"
    assert [(c["id"], c["status"], c["observed"]) for c in incident["failing_checks"]] == [
        ("crit", "fail", 0.5)
    ]
    # ... and the incident is opened in the register, where the gate sees it.
    [opened] = list_incidents(store)
    assert (opened.title, opened.severity, opened.resolved_at) == (
        incident["title"],
        "sev2",
        None,
    )
    # A stopped rollout does nothing on later ticks and stays off.
    later = tick(store, spec_file, 3)
    assert (later.new, later.exit_code, percentage(store)) == (False, 1, 0)
    resumed = controller.resume(store, load_spec(spec_file), "r", at=hours(3), actor="carol")
    assert (resumed.decision, resumed.status, resumed.wave, percentage(store)) == (
        "resume",
        "active",
        1,
        10,
    )
    assert verify_audit(store).ok


def test_a_rollback_check_with_no_data_holds_and_never_promotes(
    store: Registry, spec_file: Path, evidence: Evidence
) -> None:
    evidence.canary(-1, 1)
    tick(store, spec_file, 0)
    # No canary requests after the first hour: every ratio is no_data.
    for h in (2, 3, 4):
        held = tick(store, spec_file, h)
        assert (held.decision.decision, percentage(store)) == ("hold", 10)
    assert "rollback check crit is no_data: a rollback cannot be ruled out" in held.decision.reason
    statuses = {c.id: c.status for c in held.checks}
    assert statuses == {"err": "no_data", "p95": "no_data", "alerts": "pass", "crit": "no_data"}


def test_a_critical_alert_holds_the_wave(
    store: Registry, spec_file: Path, evidence: Evidence
) -> None:
    evidence.canary(-1, 2)
    evidence.alert(0.9)
    tick(store, spec_file, 0)
    held = tick(store, spec_file, 1)
    assert held.decision.reason == "holding: promote check alerts is fail, needs pass"
    assert tick(store, spec_file, 2).decision.decision == "promote"


def test_abort_turns_the_flag_off_until_resumed(
    store: Registry, spec_file: Path, evidence: Evidence
) -> None:
    evidence.canary(-1, 2)
    tick(store, spec_file, 0)
    loaded = load_spec(spec_file)
    aborted = controller.abort(store, loaded, "r", at=hours(0.5), actor="carol", reason="tickets")
    assert (aborted.status, aborted.reason, percentage(store)) == (
        "aborted",
        "aborted by carol: tickets",
        0,
    )
    with pytest.raises(UsageError, match=r"rollout 'r' is already aborted; nothing to abort"):
        controller.abort(store, loaded, "r", at=hours(1), actor="carol", reason="again")
    assert tick(store, spec_file, 1).exit_code == 1


def test_resume_of_a_running_rollout_is_refused(
    store: Registry, spec_file: Path, evidence: Evidence
) -> None:
    with pytest.raises(UsageError, match=r"rollout 'r' is not started; only a rolled_back"):
        controller.resume(store, load_spec(spec_file), "r", at=hours(0), actor="carol")


def test_unknown_rollout_and_unknown_flag(store: Registry, spec_file: Path) -> None:
    with pytest.raises(NotFoundError, match=r"no rollout 'nope' \(rollouts: r\)"):
        tick(store, spec_file, 0, name="nope")
    spec_file.write_text(spec_file.read_text().replace("flag: f", "flag: g"))
    with pytest.raises(NotFoundError, match=r"no flag 'g' in the registry \(flags: f\)"):
        tick(store, spec_file, 0)
    assert list_decisions(store, "r") == []


def test_a_tick_cannot_go_back_in_time(
    store: Registry, spec_file: Path, evidence: Evidence
) -> None:
    tick(store, spec_file, 5)
    with pytest.raises(UsageError, match=r"is before rollout 'r''s last decision"):
        tick(store, spec_file, 4)


def test_decisions_are_append_only(store: Registry, spec_file: Path, evidence: Evidence) -> None:
    from sqlalchemy import text

    tick(store, spec_file, 0)
    with pytest.raises(Exception, match=r"append-only"), store.write() as session:
        session.execute(text("UPDATE rollout_decisions SET percentage = 100"))


def test_a_promotion_does_not_undo_an_operators_kill_switch(
    store: Registry, spec_file: Path, evidence: Evidence
) -> None:
    from dataclasses import replace

    from golive.registry.flags import update_flag

    evidence.canary(-1, 2)
    tick(store, spec_file, 0)
    update_flag(store, "f", lambda f: replace(f, enabled=False), actor="oncall")
    assert tick(store, spec_file, 1).decision.decision == "promote"
    flag = get_flag(store, "f").flag
    assert (flag.enabled, rollout_percentage(flag)) == (False, 50)
