"""The simulation: the real controller over seeded synthetic traffic, fault by fault."""

from __future__ import annotations

import pytest

from golive.errors import UsageError
from golive.rollout.simulate import Simulation, SimulationOptions, simulate
from golive.rollout.traffic import Fault, parse_fault
from golive.sources.readers import readers
from golive.spec.loader import load_spec, load_spec_text

from .rollout_builders import SPEC, T0


def run(*faults: Fault, seed: int = 5) -> Simulation:
    options = SimulationOptions(faults=faults, seed=seed, tick_seconds=1800)
    return simulate(load_spec(SPEC), "r", options, readers=readers(commands=False), start=T0)


def decisions(sim: Simulation) -> list[tuple[str, int]]:
    return [(t.decision.decision, t.decision.percentage) for _, _, t in sim.ticks]


def test_clean_traffic_goes_through_every_wave_and_is_deterministic() -> None:
    sim = run()
    assert sim.outcome == "completed"
    assert decisions(sim) == [
        ("start", 10),
        ("hold", 10),
        ("promote", 50),
        ("hold", 50),
        ("promote", 100),
        ("hold", 100),
        ("complete", 100),
    ]
    assert run().to_json() == sim.to_json()
    assert run(seed=6).to_json()["timeline"] != sim.to_json()["timeline"]


def test_an_error_spike_in_wave_2_rolls_back() -> None:
    sim = run(parse_fault("errors:wave=2,rate=0.6,after=0s,for=1h"))
    assert sim.outcome == "rolled_back"
    assert decisions(sim)[-1] == ("rollback", 0)
    last = sim.to_json()["timeline"][-1]
    assert last["reason"] == "rollback check crit failed: the flag goes to 0%"
    crit = next(c for c in last["checks"] if c["id"] == "crit")
    assert crit["status"] == "fail"
    assert crit["observed"] > 0.2


def test_a_latency_regression_holds_the_wave_until_it_passes() -> None:
    sim = run(parse_fault("latency:wave=2,p95=900,after=0s,for=90m"))
    assert sim.outcome == "completed"
    held = [t for _, _, t in sim.ticks if "p95 is fail" in t.decision.reason]
    assert held
    assert all(t.decision.percentage == 50 for t in held)


def test_parse_fault() -> None:
    assert parse_fault("errors:wave=2,rate=0.1,after=42h,for=12h") == Fault(
        "errors", 2, 0.1, 42 * 3600, 12 * 3600
    )
    assert parse_fault("alerts:wave=1,per_hour=2,after=0,for=1h").value == 2
    for bad in (
        "errors:wave=2,rate=0.1",
        "spikes:wave=2,rate=0.1,after=1h,for=1h",
        "errors:wave=0,rate=0.1,after=1h,for=1h",
        "errors:wave=2,rate=3,after=1h,for=1h",
        "latency:wave=2,rate=0.1,after=1h,for=1h",
        "errors:wave=2,rate=0.1,after=soon,for=1h",
    ):
        with pytest.raises(UsageError, match=r"invalid fault"):
            parse_fault(bad)


def test_the_sources_written_must_be_one_relative_jsonl_file() -> None:
    text = SPEC.read_text()
    loaded = load_spec_text(text.replace("evidence/alerts.jsonl", "evidence/*.jsonl"), SPEC)
    with pytest.raises(UsageError, match=r"source 'alerts' must name one relative file"):
        simulate(loaded, "r", SimulationOptions(), readers={}, start=T0)
    options = SimulationOptions(requests_source="traffic")
    with pytest.raises(UsageError, match=r"a jsonl source named 'traffic', which the spec"):
        simulate(load_spec(SPEC), "r", options, readers={}, start=T0)
