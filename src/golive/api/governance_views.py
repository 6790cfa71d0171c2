"""What the release and register pages show, read through the governance library.

Approvals, waivers and promotions are judged by the same functions the CLI and the
gate use, against the spec the server loads for the release; without that spec
nothing is shown as valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from golive.errors import UsageError
from golive.governance.approvals import ApprovalTally, list_approvals, tally
from golive.governance.gate import latest_decision
from golive.governance.incidents import Incident, list_incidents
from golive.governance.items import (
    BLOCKED,
    IN_PROGRESS,
    NOT_STARTED,
    READY,
    ItemStatus,
    item_register,
)
from golive.governance.releases import StoredRelease, get_release, list_releases
from golive.governance.waivers import ValidWaiver, load_waivers
from golive.registry.database import Registry
from golive.spec.governance import PostmortemPolicy
from golive.spec.models import Duration, Spec

# The register's statuses in the order work moves through them.
ITEM_STATUSES = (NOT_STARTED, IN_PROGRESS, READY, BLOCKED)
# The releases page lists the newest ones; older ones are one URL away (/releases/VERSION).
RELEASES_SHOWN = 100


@dataclass(frozen=True)
class ReleaseRow:
    """One line of the releases list: the current manifest and the last gate decision."""

    release: StoredRelease
    decision: dict[str, Any] | None


@dataclass(frozen=True)
class WaiverRow:
    """A verified waiver that may apply to the release, and whether it is still in force."""

    waiver: ValidWaiver
    active: bool


@dataclass(frozen=True)
class ReleaseView:
    """Everything the release page shows.

    ``tally`` is None when the server has no governance for the release's spec: the
    recorded ``approvals`` are then listed as unverified.
    """

    release: StoredRelease
    spec_served: bool
    approvals: list[dict[str, Any]]
    tally: ApprovalTally | None
    waivers: list[WaiverRow]
    waiver_problems: list[str]
    decision: dict[str, Any] | None

    @property
    def decision_is_current(self) -> bool:
        """Whether the last decision judged the current manifest (not an earlier revision)."""
        return (
            self.decision is not None
            and self.decision["release"]["manifest_sha256"] == self.release.sha256
        )


@dataclass(frozen=True)
class IncidentRow:
    """An incident with its postmortem deadline as of the page's instant."""

    incident: Incident
    due_at: datetime | None
    overdue: bool


@dataclass(frozen=True)
class RegisterView:
    """The register page: items (filtered) of every served spec, and every incident."""

    items: list[tuple[str, ItemStatus]]
    total: int
    owners: list[str]
    incidents: list[IncidentRow]
    postmortem_due: Duration


def releases(registry: Registry) -> tuple[int, list[ReleaseRow]]:
    """How many releases there are, and the newest ones with their last gate decision."""
    total, newest = list_releases(registry, limit=RELEASES_SHOWN, offset=0)
    return total, [ReleaseRow(r, latest_decision(registry, r.version)) for r in newest]


def release_view(
    registry: Registry, specs: dict[str, Spec], version: str, now: datetime
) -> ReleaseView:
    """The release ``version``: manifest, judged approvals, waivers, last gate decision."""
    release = get_release(registry, version)
    spec = specs.get(release.spec_name)
    approvals = list_approvals(registry, version)
    judged: ApprovalTally | None = None
    rows: list[WaiverRow] = []
    problems: list[str] = []
    if spec is not None and spec.governance is not None:
        judged = tally(release, approvals, spec.governance)
        valid, problems = load_waivers(registry, spec)
        rows = [
            WaiverRow(w, w.active(now))
            for w in sorted(valid, key=lambda w: w.expires_at)
            if w.release in (None, version)
        ]
    return ReleaseView(
        release=release,
        spec_served=spec is not None,
        approvals=approvals,
        tally=judged,
        waivers=rows,
        waiver_problems=problems,
        decision=latest_decision(registry, version),
    )


def register_view(
    registry: Registry,
    specs: dict[str, Spec],
    now: datetime,
    *,
    status: str | None = None,
    owner: str | None = None,
) -> RegisterView:
    """The items of every served spec matching ``status`` and ``owner``, and the incidents.

    Incidents whose postmortem is overdue come first, then open ones, then the rest,
    newest first within each group.
    """
    if status is not None and status not in ITEM_STATUSES:
        raise UsageError(f"unknown item status {status!r}; use one of {', '.join(ITEM_STATUSES)}")
    everything = [
        (name, row) for name, spec in sorted(specs.items()) for row in item_register(registry, spec)
    ]
    items = [
        (name, row)
        for name, row in everything
        if status in (None, row.status) and owner in (None, row.owner)
    ]
    due = postmortem_due(specs)
    deadline = timedelta(seconds=due.seconds)
    incidents = [
        IncidentRow(i, i.postmortem_due(deadline), i.overdue(deadline, now))
        for i in list_incidents(registry)
    ]
    incidents.sort(key=lambda r: (not r.overdue, not r.incident.open))
    return RegisterView(
        items=items,
        total=len(everything),
        owners=sorted({row.owner for _name, row in everything}),
        incidents=incidents,
        postmortem_due=due,
    )


def postmortem_due(specs: dict[str, Spec]) -> Duration:
    """The shortest ``governance.postmortem.due`` of the served specs (the default without)."""
    dues = [s.governance.postmortem.due for s in specs.values() if s.governance is not None]
    return min(dues, key=lambda d: d.seconds, default=PostmortemPolicy().due)
