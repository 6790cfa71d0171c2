"""Incidents: severities, timeline, resolution, the postmortem and when it is due."""

from __future__ import annotations

from datetime import timedelta

import pytest

from golive.errors import NotFoundError, UsageError
from golive.governance.incidents import (
    add_note,
    attach_postmortem,
    get_incident,
    list_incidents,
    open_incident,
    resolve_incident,
)
from golive.registry import Registry, verify_audit
from tests.governance.conftest import T0, Clock

DUE = timedelta(hours=72)


def test_the_life_of_an_incident(registry: Registry, clock: Clock) -> None:
    incident = open_incident(registry, "checkout down", "sev1", actor="erin", clock=clock)
    assert (incident.id, incident.open, incident.commander) == ("INC-1", True, "erin")
    clock.advance(minutes=5)
    add_note(registry, "INC-1", "rolled back 1.4.0", actor="frank", clock=clock)
    clock.advance(minutes=10)
    resolved = resolve_incident(
        registry, "INC-1", "error rate back to 0.1%", actor="erin", clock=clock
    )
    assert resolved.resolved_at == T0 + timedelta(minutes=15)
    assert resolved.postmortem_due(DUE) == T0 + timedelta(minutes=15) + DUE
    with pytest.raises(UsageError, match="INC-1 was already resolved at 2025-12-18T00:15:00Z"):
        resolve_incident(registry, "INC-1", "again", actor="erin", clock=clock)
    markdown = attach_postmortem(
        registry,
        "INC-1",
        root_cause="A config flag flipped the payment client to a dead endpoint.",
        mitigations=["rolled back 1.4.0"],
        actions=["alert on payment endpoint errors", "rehearse the flag rollback"],
        actor="erin",
        clock=clock,
    )
    assert markdown.startswith("# Postmortem: INC-1 checkout down\n")
    assert "| 2025-12-18T00:05:00Z | frank | note: rolled back 1.4.0 |" in markdown
    assert "| 2025-12-18T00:00:00Z | erin | opened: checkout down (sev1) |" in markdown
    assert "## Root cause\n\nA config flag flipped" in markdown
    assert "- [ ] rehearse the flag rollback\n" in markdown
    assert get_incident(registry, "INC-1").postmortem_at == T0 + timedelta(minutes=15)
    assert verify_audit(registry).entries == 4


def test_due_is_exact(registry: Registry, clock: Clock) -> None:
    open_incident(registry, "slow", "sev3", actor="erin", clock=clock)
    incident = resolve_incident(registry, "INC-1", "fixed", actor="erin", clock=clock)
    assert not incident.overdue(DUE, T0 + DUE)
    assert incident.overdue(DUE, T0 + DUE + timedelta(microseconds=1))
    assert not get_incident(registry, "INC-1").overdue(DUE, T0)


def test_refusals(registry: Registry, clock: Clock) -> None:
    with pytest.raises(
        UsageError, match="unknown severity 'p1'; use one of sev1, sev2, sev3, sev4"
    ):
        open_incident(registry, "x", "p1", actor="erin", clock=clock)
    with pytest.raises(NotFoundError, match="no incident INC-7 in registry"):
        get_incident(registry, "INC-7")
    with pytest.raises(UsageError, match="expected INC-<number>"):
        get_incident(registry, "7")
    open_incident(registry, "x", "sev4", actor="erin", clock=clock)
    with pytest.raises(UsageError, match="INC-1 is still open; resolve it before its postmortem"):
        attach_postmortem(
            registry, "INC-1", root_cause="r", mitigations=[], actions=[], actor="e", clock=clock
        )
    clock.advance(seconds=1)
    open_incident(registry, "y", "sev2", actor="erin", clock=clock)
    assert [i.id for i in list_incidents(registry)] == ["INC-2", "INC-1"]
