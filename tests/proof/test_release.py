"""The release collector: what of a release's record goes into its bundle, as of the decision."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from golive.errors import NotFoundError
from golive.governance.approvals import approve
from golive.governance.gate import decide
from golive.governance.incidents import attach_postmortem, open_incident, resolve_incident
from golive.governance.rehearsals import record_rehearsal
from golive.governance.releases import ReleaseInput, create_release
from golive.proof.collectors import BundleInputs
from golive.proof.release import latest_decision, release_collector
from golive.registry import Registry, open_registry
from golive.spec.models import Spec
from tests.governance.builders import record_card, rehearsal
from tests.governance.conftest import Clock, make_spec, private_key


@pytest.fixture
def store(registry_url: str) -> Iterator[Registry]:
    with open_registry(registry_url) as opened:
        yield opened


def collected(registry: Registry, spec: Spec, tmp_path: Path) -> dict[str, Any]:
    collector = release_collector(registry, spec, "1.4.0", latest_decision(registry, "1.4.0"))
    inputs = BundleInputs({}, "0" * 64, None, tmp_path / "golive.yaml", "2025-12-18T00:00:00Z")
    result = collector(inputs)
    members = {}
    for m in result.members:
        with m.open() as handle:
            members[m.path] = (m.origin, handle.read())
    return {"members": members, "predicate": result.predicate, "subjects": result.subjects}


def test_no_decision_no_bundle(store: Registry) -> None:
    with pytest.raises(NotFoundError) as caught:
        latest_decision(store, "1.4.0")
    assert str(caught.value).startswith("no gate decision recorded for release 1.4.0 in ")


def test_the_record_as_of_the_decision_in_the_release_window(
    store: Registry, tmp_path: Path
) -> None:
    registry, spec, clock = store, make_spec(), Clock()
    artifact = tmp_path / "shop-1.4.0.whl"
    artifact.write_bytes(b"wheel bytes\n")
    early = open_incident(registry, "old outage", "sev3", actor="dave", clock=clock)
    clock.advance(hours=1)
    resolve_incident(registry, early.id, "fixed", actor="dave", clock=clock)
    clock.advance(days=2)
    record_rehearsal(registry, rehearsal(clock() - timedelta(days=40)), actor="ops", clock=clock)
    record_rehearsal(registry, rehearsal(clock()), actor="ops", clock=clock)
    start = clock()
    during = open_incident(registry, "slow checkout", "sev3", actor="dave", clock=clock)
    clock.advance(minutes=30)
    resolve_incident(registry, during.id, "cache warmed", actor="dave", clock=clock)
    attach_postmortem(
        registry,
        during.id,
        root_cause="cold cache",
        mitigations=[],
        actions=["warm it"],
        actor="dave",
        clock=clock,
    )
    record_card(registry, clock)
    window = (start, start + timedelta(hours=2))
    given = ReleaseInput("1.4.0", (artifact,), window=window)
    create_release(registry, given, spec_name="shop", actor="carol", clock=clock)
    for name in ("alice", "bob"):
        approve(registry, spec, "1.4.0", private_key(name), actor=name, clock=clock)
    decision = decide(registry, spec, "1.4.0", actor="carol", clock=clock, trace_id="ab" * 16)
    clock.advance(minutes=1)
    open_incident(registry, "after the decision", "sev4", actor="dave", clock=clock)
    found = collected(registry, spec, tmp_path)
    members = found["members"]
    assert sorted(members) == [
        "release/approvals.json",
        "release/gate-decision.json",
        "release/incidents.json",
        "release/manifest.json",
        f"release/postmortems/{during.id}.md",
        "release/rehearsals.json",
        "release/waivers.json",
    ]
    incidents = json.loads(members["release/incidents.json"][1])
    assert [i["id"] for i in incidents] == [during.id]
    assert incidents[0]["postmortem"] == f"release/postmortems/{during.id}.md"
    assert b"## Root cause\n\ncold cache" in members[f"release/postmortems/{during.id}.md"][1]
    rehearsals = json.loads(members["release/rehearsals.json"][1])
    assert len(rehearsals) == 1  # the 40-day-old one is older than rehearsal.max_age (30d)
    approvals = json.loads(members["release/approvals.json"][1])
    assert [(a["approver"], a["verified"]) for a in approvals] == [("alice", True), ("bob", True)]
    assert json.loads(members["release/gate-decision.json"][1]) == decision
    assert members["release/manifest.json"][0] == "golive:release:1.4.0#1"
    assert found["predicate"]["gate"]["allowed"] is True
    assert found["predicate"]["gate"]["trace_id"] == decision["trace_id"]
    assert [s["name"] for s in found["subjects"]] == [artifact.as_posix()]
