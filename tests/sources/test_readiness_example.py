"""examples/readiness-programme: the spec is valid and its evidence reads as its README says."""

from __future__ import annotations

from pathlib import Path

import yaml

from golive.sources import benchmark, git, junit, security, traces
from golive.spec.models import Spec

EXAMPLE = Path(__file__).parent.parent.parent / "examples" / "readiness-programme"


def _spec() -> Spec:
    return Spec.model_validate(yaml.safe_load((EXAMPLE / "golive.yaml").read_text()))


def test_spec_is_valid() -> None:
    spec = _spec()
    assert [c.id.split(".")[0] for c in spec.checks] == [f"RP-{n}" for n in range(1, 8)]
    assert {c.source for c in spec.checks} == set(spec.sources)


def test_evidence_gives_the_documented_observations() -> None:
    src = _spec().sources
    cases = junit.read(src["integration"], EXAMPLE).rows
    executed = [r for r in cases if r["status"] in ("passed", "failed", "error")]
    assert (sum(r["status"] == "passed" for r in executed), len(executed)) == (149, 150)

    tests = junit.read(src["integration-tests"], EXAMPLE).rows
    assert [r["name"] for r in tests if r["flaky"]] == ["test_payment_gateway_roundtrip"]
    assert len(tests) == 50

    load = benchmark.read(src["load"], EXAMPLE).rows
    endpoints = [r for r in load if not r["aggregated"] and r["requests"] > 0]
    assert max(r["p95_ms"] for r in endpoints) == 182

    cli = benchmark.read(src["cli-bench"], EXAMPLE).rows
    assert len(cli) == 2
    assert max(r["p95_ms"] for r in cli) < 5000

    findings = security.read(src["scans"], EXAMPLE).rows
    assert sorted(r["severity"] for r in findings) == ["low", "low", "medium"]

    runs = traces.read(src["traces"], EXAMPLE).rows
    workflows = [r for r in runs if r["attributes"].get("workflow")]
    assert (sum(r["complete"] for r in workflows), len(workflows)) == (39, 40)

    commits = git.read(src["runbook"], EXAMPLE).rows
    assert commits, "the runbook has at least one commit"
    assert all("examples/readiness-programme/docs/runbook.md" in c["paths"] for c in commits)
