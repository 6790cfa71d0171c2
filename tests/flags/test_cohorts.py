"""Cohort quality: the share a rollout enables, widening waves, and stability across processes."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys

from golive.flags import FlagSet, parse_flags
from golive.flags.model import SCHEMA


def rollout_set(pct: int) -> FlagSet:
    strategy = {
        "name": "flexibleRollout",
        "parameters": {"rollout": str(pct), "stickiness": "userId"},
    }
    doc = {"schema": SCHEMA, "flags": [{"name": "wave", "enabled": True, "strategies": [strategy]}]}
    return FlagSet(parse_flags(doc))


def test_ten_percent_of_a_million_ids_is_ten_percent() -> None:
    test = rollout_set(10).tests["wave"]
    enabled = sum(test({"userId": str(i)}) for i in range(1_000_000))
    assert abs(enabled / 1_000_000 - 0.10) <= 0.002


def test_widening_the_rollout_never_drops_anyone() -> None:
    waves = [rollout_set(p).tests["wave"] for p in (10, 25, 50, 100)]
    cohorts = [{i for i in range(100_000) if w({"userId": f"user-{i}"})} for w in waves]
    for smaller, larger in itertools.pairwise(cohorts):
        assert smaller < larger
    assert len(cohorts[-1]) == 100_000


def test_the_same_id_gets_the_same_answer_in_another_process() -> None:
    ids = [f"user-{i}" for i in range(2_000)]
    code = (
        "import json, sys\n"
        "from golive.flags import FlagSet, parse_flags\n"
        "doc, ids = json.load(sys.stdin)\n"
        "fs = FlagSet(parse_flags(doc))\n"
        "print(json.dumps([fs.is_enabled('wave', {'userId': i}) for i in ids]))\n"
    )
    strategy = {"name": "flexibleRollout", "parameters": {"rollout": "25", "stickiness": "userId"}}
    doc = {"schema": SCHEMA, "flags": [{"name": "wave", "enabled": True, "strategies": [strategy]}]}
    out = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps([doc, ids]),
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "12345", "PATH": ""},
    ).stdout
    here = rollout_set(25).tests["wave"]
    assert json.loads(out) == [here({"userId": i}) for i in ids]
