"""The release's sections of the sign-off, from the documents a release bundle holds."""

from __future__ import annotations

from typing import Any

from golive.proof.signoff import cell
from golive.proof.signoff_sections import release_sections

MANIFEST: dict[str, Any] = {
    "version": "1.4.0",
    "revision": 2,
    "created_at": "2025-12-18T00:00:00Z",
    "creator": "carol",
    "window": {"start": "2025-12-18T08:00:00Z", "end": "2025-12-18T10:00:00Z"},
    "rollback_plan": {"path": "rollback.md", "sha256": "f" * 64},
    "config_delta": None,
    "items": ["UC-001"],
    "artifacts": [{"path": "shop.whl", "size": 6, "sha256": "a" * 64}],
}
DECISION: dict[str, Any] = {
    "allowed": True,
    "decided_at": "2025-12-18T00:10:00Z",
    "decided_by": "carol",
    "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736",
    "rules": [{"rule": "approvals", "ok": True, "reason": "2 of 2 | valid"}],
}
POSTMORTEM = """# Postmortem: INC-1 checkout slow

## Timeline

| time | who | event |
|---|---|---|

## Root cause

A cache
stampede.

## Mitigations

- none recorded

## Follow-up actions

- [ ] add jitter
- [ ] alert on misses
"""


def sections(**changes: Any) -> dict[str, str]:
    given: dict[str, Any] = {
        "manifest": MANIFEST,
        "decision": DECISION,
        "approvals": [],
        "waivers": [],
        "rehearsals": [],
        "incidents": [],
        "postmortems": {},
    }
    given.update(changes)
    return {s.title: s.body for s in release_sections(**given)}


def test_empty_governance_says_so() -> None:
    found = sections()
    assert list(found) == [
        "Go/no-go",
        "Release 1.4.0",
        "Approvals",
        "Waivers in force",
        "Rollback rehearsals",
        "Incidents",
    ]
    assert found["Approvals"] == "No approval recorded."
    assert found["Waivers in force"] == "No waiver in force."
    assert found["Incidents"] == "No incident in the release's window."
    assert "| approvals | PASS | 2 of 2 \\| valid |" in found["Go/no-go"]
    assert found["Release 1.4.0"].splitlines()[:5] == [
        "- Revision 2, created 2025-12-18T00:00:00Z by carol",
        "- Rollout window: 2025-12-18T08:00:00Z to 2025-12-18T10:00:00Z",
        f"- Rollback plan: `rollback.md` sha256 `{'f' * 64}`",
        "- Items: UC-001",
        "",
    ]


def test_incidents_show_the_lessons_of_their_postmortem() -> None:
    incident = {
        "id": "INC-1",
        "severity": "sev3",
        "title": "checkout slow",
        "commander": "dave",
        "opened_at": "2025-12-17T10:00:00Z",
        "resolved_at": "2025-12-17T11:00:00Z",
        "postmortem": "release/postmortems/INC-1.md",
    }
    still_open = {**incident, "id": "INC-2", "resolved_at": None, "postmortem": None}
    found = sections(
        incidents=[incident, still_open],
        postmortems={"release/postmortems/INC-1.md": POSTMORTEM},
    )
    assert found["Incidents"].splitlines() == [
        "### INC-1 sev3: checkout slow",
        "",
        "Opened 2025-12-17T10:00:00Z by dave, resolved 2025-12-17T11:00:00Z.",
        "",
        "Lessons (postmortem `release/postmortems/INC-1.md`):",
        "",
        "- Root cause: A cache stampede.",
        "- Mitigations: none recorded",
        "- Follow-up actions: add jitter; alert on misses",
        "",
        "### INC-2 sev3: checkout slow",
        "",
        "Opened 2025-12-17T10:00:00Z by dave, OPEN.",
        "",
        "No postmortem attached.",
    ]


def test_cells_never_break_a_table() -> None:
    assert cell("a | b\nc") == "a \\| b c"
    assert cell(None) == "-"
    assert cell("") == "-"
