"""The gate: every rule, each at the exact edge of its limit, on both databases."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from golive.governance.gate import DECISION_SCHEMA, decide, latest_decision
from golive.governance.incidents import attach_postmortem, open_incident, resolve_incident
from golive.governance.items import promote
from golive.governance.rehearsals import record_rehearsal
from golive.governance.waivers import waive
from golive.registry import Registry, verify_audit
from golive.spec.models import Spec
from tests.governance.builders import allowed_release, record_card, rehearsal, scorecard
from tests.governance.conftest import GOVERNANCE, Clock, make_spec, private_key


def _rules(decision: dict[str, object]) -> dict[str, tuple[bool, str]]:
    return {r["rule"]: (r["ok"], r["reason"]) for r in decision["rules"]}  # type: ignore[attr-defined]


def test_everything_in_place_allows_and_records_the_decision(
    registry: Registry, spec: Spec, clock: Clock, artifact: Path
) -> None:
    allowed_release(registry, spec, clock, artifact)
    decision = decide(registry, spec, "1.4.0", actor="deploy-bot", clock=clock)
    assert decision["schema"] == DECISION_SCHEMA
    assert decision["allowed"] is True
    rules = _rules(decision)
    assert list(rules) == [
        "scorecard",
        "approvals",
        "waivers",
        "rehearsal",
        "incidents",
        "postmortems",
        "items",
    ]
    assert all(ok for ok, _ in rules.values())
    assert rules["approvals"][1] == "2 of 2 required approvals valid (alice, bob)"
    assert re.fullmatch(r"[0-9a-f]{32}", decision["trace_id"])
    assert decision["scorecard"]["ready"] is True
    assert verify_audit(registry).ok


def test_latest_decision_is_the_last_one_recorded_for_the_release(
    registry: Registry, spec: Spec, clock: Clock, artifact: Path
) -> None:
    allowed_release(registry, spec, clock, artifact)
    assert latest_decision(registry, "1.4.0") is None
    decide(registry, spec, "1.4.0", actor="deploy-bot", clock=clock)
    open_incident(registry, "checkout down", "sev1", actor="erin", clock=clock)
    denied = decide(registry, spec, "1.4.0", actor="deploy-bot", clock=clock)
    assert latest_decision(registry, "1.4.0") == denied
    assert denied["allowed"] is False
    assert latest_decision(registry, "9.9.9") is None


def test_nothing_recorded_denies_on_every_evidence_rule(
    registry: Registry, spec: Spec, clock: Clock, artifact: Path
) -> None:
    from golive.governance.releases import ReleaseInput, create_release

    create_release(registry, ReleaseInput("1.4.0", (artifact,)), spec_name="shop", actor="c")
    decision = decide(registry, spec, "1.4.0", actor="bot", clock=clock, trace_id="t" * 32)
    rules = _rules(decision)
    assert decision["allowed"] is False
    assert decision["trace_id"] == "t" * 32
    assert rules["scorecard"] == (False, "no scorecard recorded for this spec; run `golive check`")
    assert rules["approvals"] == (False, "0 of 2 required approvals valid")
    assert rules["rehearsal"][0] is False


def test_scorecard_max_age_edge(
    registry: Registry, spec: Spec, clock: Clock, artifact: Path
) -> None:
    allowed_release(registry, spec, clock, artifact)
    clock.advance(hours=24)
    record_rehearsal(registry, rehearsal(clock()), actor="ops", clock=clock)
    assert _rules(decide(registry, spec, "1.4.0", actor="b", clock=clock))["scorecard"][0]
    clock.advance(microseconds=1)
    ok, reason = _rules(decide(registry, spec, "1.4.0", actor="b", clock=clock))["scorecard"]
    assert not ok
    assert reason.endswith("is 1d old, older than scorecard.max_age 24h")


def test_a_scorecard_that_is_not_ready_denies(
    registry: Registry, spec: Spec, clock: Clock, artifact: Path
) -> None:
    allowed_release(registry, spec, clock, artifact)
    clock.advance(minutes=1)
    record_card(registry, clock, failing=("uc2.a",))
    ok, reason = _rules(decide(registry, spec, "1.4.0", actor="b", clock=clock))["scorecard"]
    assert not ok
    assert reason.endswith("is not ready")


def test_rehearsal_max_age_edge(
    registry: Registry, spec: Spec, clock: Clock, artifact: Path
) -> None:
    allowed_release(registry, spec, clock, artifact)
    clock.advance(days=30)
    record_card(registry, clock, document=scorecard(clock()))
    assert _rules(decide(registry, spec, "1.4.0", actor="b", clock=clock))["rehearsal"][0]
    clock.advance(seconds=1)
    ok, reason = _rules(decide(registry, spec, "1.4.0", actor="b", clock=clock))["rehearsal"]
    assert not ok
    assert "older than rehearsal.max_age 30d" in reason
    # A failed drill is no rehearsal at all.
    record_rehearsal(registry, rehearsal(clock(), "rollback_failed"), actor="ops", clock=clock)
    assert not _rules(decide(registry, spec, "1.4.0", actor="b", clock=clock))["rehearsal"][0]


def test_open_sev2_denies_and_sev3_does_not(
    registry: Registry, spec: Spec, clock: Clock, artifact: Path
) -> None:
    allowed_release(registry, spec, clock, artifact)
    open_incident(registry, "slow checkout", "sev3", actor="erin", clock=clock)
    assert decide(registry, spec, "1.4.0", actor="b", clock=clock)["allowed"]
    incident = open_incident(registry, "checkout down", "sev2", actor="erin", clock=clock)
    decision = decide(registry, spec, "1.4.0", actor="b", clock=clock)
    assert not decision["allowed"]
    assert _rules(decision)["incidents"] == (False, "open: INC-2 sev2 'checkout down'")
    resolve_incident(registry, incident.id, "rolled back", actor="erin", clock=clock)
    assert decide(registry, spec, "1.4.0", actor="b", clock=clock)["allowed"]


def test_postmortem_due_edge(registry: Registry, spec: Spec, clock: Clock, artifact: Path) -> None:
    incident = open_incident(registry, "checkout down", "sev1", actor="erin", clock=clock)
    resolve_incident(registry, incident.id, "rolled back", actor="erin", clock=clock)
    clock.advance(hours=72)
    allowed_release(registry, spec, clock, artifact)
    assert _rules(decide(registry, spec, "1.4.0", actor="b", clock=clock))["postmortems"][0]
    clock.advance(microseconds=1)
    ok, reason = _rules(decide(registry, spec, "1.4.0", actor="b", clock=clock))["postmortems"]
    assert (ok, reason) == (False, "overdue: INC-1 (due 2025-12-21T00:00:00Z)")
    attach_postmortem(
        registry,
        incident.id,
        root_cause="a bad config",
        mitigations=[],
        actions=[],
        actor="erin",
        clock=clock,
    )
    assert _rules(decide(registry, spec, "1.4.0", actor="b", clock=clock))["postmortems"][0]


def test_items_the_release_names_must_be_promoted(
    registry: Registry, spec: Spec, clock: Clock, artifact: Path
) -> None:
    allowed_release(registry, spec, clock, artifact, items=("UC-001",))
    ok, reason = _rules(decide(registry, spec, "1.4.0", actor="b", clock=clock))["items"]
    assert (ok, reason) == (False, "UC-001 is IN_PROGRESS")
    promote(registry, spec, "UC-001", private_key("alice"), actor="alice", clock=clock)
    ok, reason = _rules(decide(registry, spec, "1.4.0", actor="b", clock=clock))["items"]
    assert (ok, reason) == (True, "UC-001 promoted (READY_FOR_GO_LIVE)")


def test_a_waived_check_needs_a_valid_unexpired_waiver_at_the_gate(
    registry: Registry, clock: Clock, artifact: Path
) -> None:
    spec = make_spec(
        GOVERNANCE + "sources: {s: {type: jsonl, path: s.log}}\n"
        "checks:\n  - {id: uc2.a, source: s, measure: count, expect: '>= 1'}\n"
    )
    allowed_release(registry, spec, clock, artifact)
    waiver = waive(
        registry,
        spec,
        "uc2.a",
        reason="replay next sprint",
        expires_at=clock() + timedelta(hours=2),
        key=private_key("bob"),
        release=None,
        actor="bob",
        clock=clock,
    )
    from golive.canonical import digest

    card = scorecard(clock())
    card["checks"][2].update(status="waived", waiver={"id": digest(waiver)})
    clock.advance(minutes=1)
    record_card(registry, clock, document=card)
    assert _rules(decide(registry, spec, "1.4.0", actor="b", clock=clock))["waivers"][0]
    clock.advance(hours=2)
    ok, reason = _rules(decide(registry, spec, "1.4.0", actor="b", clock=clock))["waivers"]
    assert (ok, reason) == (False, "uc2.a: its waiver expired at 2025-12-18T02:00:00Z")
    card["checks"][2]["waiver"] = {"id": "f" * 64}
    record_card(registry, clock, document=card)
    ok, reason = _rules(decide(registry, spec, "1.4.0", actor="b", clock=clock))["waivers"]
    assert (ok, reason) == (False, "uc2.a names no valid waiver")


@pytest.mark.parametrize("name", ["alice"])
def test_an_approval_of_an_amended_release_no_longer_counts_at_the_gate(
    registry: Registry, spec: Spec, clock: Clock, artifact: Path, name: str
) -> None:
    from golive.governance.releases import ReleaseInput, amend_release

    allowed_release(registry, spec, clock, artifact)
    artifact.write_bytes(b"edited after approval\n")
    amend_release(registry, ReleaseInput("1.4.0", (artifact,)), spec_name="shop", actor="carol")
    ok, reason = _rules(decide(registry, spec, "1.4.0", actor="b", clock=clock))["approvals"]
    assert not ok
    assert reason.startswith(f"0 of 2 required approvals valid; not counted: {name}: signed")


def test_the_decision_is_made_in_a_deployment_gate_span_whose_trace_it_records(
    registry: Registry, spec: Spec, clock: Clock, artifact: Path, tmp_path: Path
) -> None:
    from golive.observe.tracing import BUFFER, configure_tracing, shutdown_tracing
    from golive.sources import traces
    from golive.spec.sources import TracesSource

    allowed_release(registry, spec, clock, artifact)
    configure_tracing(tmp_path)
    try:
        decision = decide(registry, spec, "1.4.0", actor="deploy-bot", clock=clock)
    finally:
        shutdown_tracing()
    spans = traces.read(TracesSource(type="traces", path=str(BUFFER)), tmp_path).rows
    gate = next(s for s in spans if s["name"] == "deployment.gate")
    assert gate["trace_id"] == decision["trace_id"]
    assert gate["attributes"]["deployment"] == {"release": "1.4.0", "allowed": True}
    assert gate["attributes"]["golive"]["scorecard"] == {
        "sha256": decision["scorecard"]["sha256"],
        "id": decision["scorecard"]["id"],
    }
    assert gate["attributes"]["golive"]["spec"] == {"name": "shop"}
