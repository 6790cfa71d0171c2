"""Incidents opened and resolved by the alerts Alertmanager delivers (issue 8).

A firing alert whose severity is in ``governance.incidents.open_on`` opens an incident
once per firing episode: the episode is the alert's fingerprint and its ``startsAt``,
so Alertmanager's repeats and retries of the same notification never open a second
one, while the same alert firing again after it was resolved opens a new one. A
resolved alert resolves the open incidents its fingerprint opened. Both are decided
from what the registry holds, inside one write, so calling this again with the same
alerts changes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from golive.governance.incidents import add_event, next_incident_id
from golive.governance.store import document_of
from golive.registry.alerts import StoredAlert
from golive.registry.database import Registry
from golive.registry.governance import IncidentEvent
from golive.registry.instants import Clock, as_utc, rfc3339, utc_now
from golive.spec.governance import IncidentPolicy
from golive.spec.loader import load_spec

# `golive serve --alerts-spec PATH` hands the spec to uvicorn's workers through this.
ALERTS_SPEC_ENV = "GOLIVE_ALERTS_SPEC"


@dataclass(frozen=True)
class AlertIncidents:
    """The incidents one webhook call opened and resolved."""

    opened: list[str] = field(default_factory=list)
    resolved: list[str] = field(default_factory=list)


@dataclass
class _Episode:
    incident: str
    fingerprint: str
    open: bool


def incident_policy_of(path: Path) -> IncidentPolicy:
    """``governance.incidents`` of the spec at ``path`` (the defaults when it has none)."""
    governance = load_spec(path).spec.governance
    return IncidentPolicy() if governance is None else governance.incidents


def incident_policy_from_env() -> IncidentPolicy:
    """The policy of the spec ``$GOLIVE_ALERTS_SPEC`` names; none (open nothing) when unset."""
    path = os.environ.get(ALERTS_SPEC_ENV, "").strip()
    return incident_policy_of(Path(path)) if path else IncidentPolicy()


def incidents_from_alerts(
    registry: Registry,
    alerts: Sequence[StoredAlert],
    policy: IncidentPolicy,
    *,
    actor: str,
    clock: Clock = utc_now,
) -> AlertIncidents:
    """Open an incident per new firing episode of an ``open_on`` alert; resolve on resolution."""
    firing = [a for a in alerts if a.status == "firing" and a.severity in policy.open_on]
    resolved = [a for a in alerts if a.status == "resolved"]
    if not firing and not resolved:
        return AlertIncidents()
    result = AlertIncidents()
    with registry.write() as session:
        now = as_utc(clock(), "the clock's time")
        episodes = _episodes(session)
        for alert in firing:
            key = _episode_key(alert.fingerprint, rfc3339(alert.starts_at))
            if key in episodes:
                continue
            incident = next_incident_id(session)
            add_event(session, incident, "opened", _opened(alert, policy), actor, now)
            episodes[key] = _Episode(incident, alert.fingerprint, open=True)
            result.opened.append(incident)
        for alert in resolved:
            for episode in episodes.values():
                if episode.fingerprint != alert.fingerprint or not episode.open:
                    continue
                add_event(session, episode.incident, "resolved", _resolved(alert), actor, now)
                episode.open = False
                result.resolved.append(episode.incident)
    return result


def _episode_key(fingerprint: str, starts_at: str) -> str:
    return f"{fingerprint}@{starts_at}"


def _opened(alert: StoredAlert, policy: IncidentPolicy) -> dict[str, object]:
    name = alert.alertname or alert.fingerprint
    summary = alert.annotations.get("summary", "").strip()
    return {
        "title": f"alert {name} firing" + (f": {summary}" if summary else ""),
        "severity": policy.severity,
        "alert": {
            "fingerprint": alert.fingerprint,
            "alertname": alert.alertname,
            "severity": alert.severity,
            "starts_at": rfc3339(alert.starts_at),
        },
    }


def _resolved(alert: StoredAlert) -> dict[str, object]:
    name = alert.alertname or alert.fingerprint
    ended = f" at {rfc3339(alert.ends_at)}" if alert.ends_at is not None else ""
    return {"text": f"alert {name} resolved{ended} (Alertmanager)"}


def _episodes(session: Session) -> dict[str, _Episode]:
    """Incidents opened by alerts, keyed by firing episode, with whether each is still open."""
    episodes: dict[str, _Episode] = {}
    by_incident: dict[str, _Episode] = {}
    kinds = IncidentEvent.kind.in_(("opened", "resolved"))
    rows = session.scalars(select(IncidentEvent).where(kinds).order_by(IncidentEvent.id))
    for row in rows:
        document = document_of(row, "incident event")
        incident = document["incident"]
        alert = document.get("alert")
        if document["kind"] == "opened" and isinstance(alert, dict):
            episode = _Episode(incident, str(alert["fingerprint"]), open=True)
            episodes[_episode_key(episode.fingerprint, str(alert["starts_at"]))] = episode
            by_incident[incident] = episode
        elif document["kind"] == "resolved" and incident in by_incident:
            by_incident[incident].open = False
    return episodes
