"""The spec's rollouts section: waves increase to 100, holds are durations, checks exist."""

from __future__ import annotations

from pathlib import Path

import pytest

from golive.errors import SpecError
from golive.spec.loader import load_spec, load_spec_text

from .rollout_builders import SPEC

HEAD = """\
version: 1
name: t
sources:
  s: {type: jsonl, path: x.jsonl, time: ts}
checks:
  - {id: err, source: s, measure: count, expect: ">= 1"}
  - {id: crit, source: s, measure: count, expect: ">= 1"}
rollouts:
  r:
    flag: f
"""


def problems(body: str) -> list[str]:
    with pytest.raises(SpecError) as caught:
        load_spec_text(HEAD + body, "g.yaml")
    return [str(p) for p in caught.value.problems]


def test_the_test_spec_loads() -> None:
    rollout = load_spec(SPEC).spec.rollouts["r"]
    assert [(w.percentage, w.hold_seconds) for w in rollout.waves] == [
        (10, 3600),
        (50, 3600),
        (100, 3600),
    ]
    assert (rollout.flag, rollout.promote_when, rollout.rollback_when) == (
        "f",
        ["err", "p95", "alerts"],
        ["crit"],
    )


def test_percentages_must_increase() -> None:
    body = """\
    waves: [{percentage: 50, hold: 1h}, {percentage: 25, hold: 1h}, {percentage: 100, hold: 1h}]
    promote_when: [err]
"""
    assert problems(body) == [
        "g.yaml:11:12: 'rollouts.r.waves': wave 2 goes to 25% after 50%; "
        "percentages must increase from wave to wave"
    ]


def test_the_last_wave_is_at_100() -> None:
    body = "    waves: [{percentage: 10, hold: 1h}]\n    promote_when: [err]\n"
    assert problems(body) == [
        "g.yaml:11:12: 'rollouts.r.waves': the last wave is at 10%; "
        "a rollout ends with a wave at percentage: 100"
    ]


def test_percentage_and_hold_are_checked() -> None:
    body = "    waves: [{percentage: 0, hold: 1h}, {percentage: 100, hold: soon}]\n"
    body += "    promote_when: [err]\n"
    found = problems(body)
    assert len(found) == 2
    assert found[0].startswith("g.yaml:11:26: ")
    assert "must be at least 1, got the number 0" in found[0]
    assert found[1].startswith("g.yaml:11:64: ")
    assert "invalid duration 'soon'" in found[1]


def test_check_ids_must_exist() -> None:
    body = """\
    waves: [{percentage: 100, hold: 1h}]
    promote_when: [err, er]
    rollback_when: [critical]
"""
    assert problems(body) == [
        "g.yaml:12:25: rollout 'r' names unknown check 'er'; did you mean 'err'?",
        "g.yaml:13:21: rollout 'r' names unknown check 'critical'; did you mean 'crit'?",
    ]


def test_promote_when_is_required_and_not_empty() -> None:
    found = problems("    waves: [{percentage: 100, hold: 1h}]\n    promote_when: []\n")
    assert len(found) == 1
    assert "promote_when" in found[0]


def test_unknown_key_in_a_rollout(tmp_path: Path) -> None:
    body = "    waves: [{percentage: 100, hold: 1h}]\n    promote_when: [err]\n    auto: yes\n"
    found = problems(body)
    assert len(found) == 1
    assert "auto" in found[0]
