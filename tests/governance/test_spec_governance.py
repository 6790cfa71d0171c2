"""The spec's governance section and items: defaults, positioned errors, approver keys."""

from __future__ import annotations

import pytest

from golive.errors import SpecError, UsageError
from golive.governance.approvals import approvers_of
from golive.spec.loader import parse_spec
from tests.governance.conftest import make_spec, public_line


def test_defaults_when_only_approvers_are_given() -> None:
    spec = parse_spec(
        f'version: 1\nname: s\ngovernance:\n  approvers: {{alice: "{public_line("alice")}"}}\n',
        "g.yaml",
    )
    governance = spec.governance
    assert governance is not None
    assert (governance.approvals.min, governance.approvals.distinct_from_creator) == (1, True)
    assert (governance.waivers.max_days, governance.waivers.never) == (30, [])
    assert governance.rehearsal.max_age.seconds == 30 * 86400
    assert governance.postmortem.due.seconds == 72 * 3600
    assert governance.scorecard.max_age.seconds == 86400
    assert spec.items == []
    assert make_spec("").governance is None


def test_errors_point_at_the_key() -> None:
    text = (
        "version: 1\nname: s\ngovernance:\n"
        '  approvers: {alice: "ssh-rsa AAAAB3 alice"}\n'
        "  approvals: {min: 0}\n"
        "  rehearsal: {max_age: soon}\n"
        "items:\n  - {id: UC-1, title: t, owner: carol}\n"
    )
    with pytest.raises(SpecError) as caught:
        parse_spec(text, "g.yaml")
    lines = str(caught.value).splitlines()
    assert lines[0].startswith("g.yaml:4:22: 'governance.approvers.alice': string should match")
    assert (
        lines[1] == "g.yaml:5:20: 'governance.approvals.min' must be at least 1, got the number 0"
    )
    assert lines[2].startswith("g.yaml:6:24: ")
    assert "invalid duration 'soon'" in lines[2]
    assert lines[3] == "g.yaml:8:5: 'items[0]' is missing 'requires'"


def test_two_approvers_with_one_key_are_refused() -> None:
    line = public_line("alice")
    spec = make_spec(f'governance:\n  approvers: {{alice: "{line}", mallory: "{line}"}}\n')
    with pytest.raises(UsageError, match="'alice' and 'mallory' have the same key"):
        approvers_of(spec.governance)  # type: ignore[arg-type]
