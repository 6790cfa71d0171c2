"""Incidents: opened with a severity, a timeline of events, resolution, and a postmortem.

An incident is the sequence of its events (append-only rows): ``opened``, ``note``,
``resolved``, ``postmortem``. Its state is computed from them. A postmortem is due
``governance.postmortem.due`` after resolution; it is overdue strictly after that.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from importlib import resources
from typing import Any

import jinja2
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from golive.errors import NotFoundError, UsageError
from golive.governance.store import add, document_of
from golive.registry.database import Registry
from golive.registry.governance import IncidentEvent
from golive.registry.instants import Clock, as_utc, parse_rfc3339, rfc3339, utc_now

SEVERITIES = ("sev1", "sev2", "sev3", "sev4")
BLOCKING = ("sev1", "sev2")
EVENT_SCHEMA = "golive.incident-event/v1"
_ID = re.compile(r"INC-[1-9][0-9]*")


@dataclass(frozen=True)
class Incident:
    """An incident's state, computed from its events."""

    id: str
    title: str
    severity: str
    opened_at: datetime
    commander: str
    resolved_at: datetime | None
    postmortem_at: datetime | None
    timeline: tuple[dict[str, Any], ...]

    def as_json(self) -> dict[str, Any]:
        """The incident as ``golive incident ... --json`` prints it."""
        document = asdict(self)
        for key in ("opened_at", "resolved_at", "postmortem_at"):
            document[key] = None if document[key] is None else rfc3339(document[key])
        document["timeline"] = list(self.timeline)
        return document

    @property
    def open(self) -> bool:
        """Not resolved yet."""
        return self.resolved_at is None

    def postmortem_due(self, due: timedelta) -> datetime | None:
        """When the postmortem is due: ``due`` after resolution (None while open)."""
        return None if self.resolved_at is None else self.resolved_at + due

    def overdue(self, due: timedelta, at: datetime) -> bool:
        """Whether the postmortem is missing strictly after its due time."""
        deadline = self.postmortem_due(due)
        return deadline is not None and self.postmortem_at is None and at > deadline


def open_incident(
    registry: Registry, title: str, severity: str, *, actor: str, clock: Clock = utc_now
) -> Incident:
    """Open a new incident ``INC-<n>``; ``actor`` is its commander."""
    if severity not in SEVERITIES:
        raise UsageError(f"unknown severity {severity!r}; use one of {', '.join(SEVERITIES)}")
    if not title.strip():
        raise UsageError("an incident needs a title saying what is wrong")
    now = as_utc(clock(), "the clock's time")
    with registry.write() as session:
        incident = next_incident_id(session)
        add_event(
            session, incident, "opened", {"title": title.strip(), "severity": severity}, actor, now
        )
    return get_incident(registry, incident)


def next_incident_id(session: Session) -> str:
    """The id the next opened incident gets (call inside the write that opens it)."""
    count = session.scalar(
        select(func.count()).select_from(IncidentEvent).where(IncidentEvent.kind == "opened")
    )
    return f"INC-{(count or 0) + 1}"


def add_note(
    registry: Registry, incident: str, text: str, *, actor: str, clock: Clock = utc_now
) -> Incident:
    """Add a timeline entry."""
    return _event(registry, incident, "note", {"text": text}, actor, clock)


def resolve_incident(
    registry: Registry, incident: str, summary: str, *, actor: str, clock: Clock = utc_now
) -> Incident:
    """Mark the incident resolved; its postmortem falls due from now."""
    resolved_at = get_incident(registry, incident).resolved_at
    if resolved_at is not None:
        raise UsageError(f"{incident} was already resolved at {rfc3339(resolved_at)}")
    return _event(registry, incident, "resolved", {"text": summary}, actor, clock)


def render_postmortem(
    incident: Incident, *, root_cause: str, mitigations: list[str], actions: list[str]
) -> str:
    """The postmortem Markdown: summary, timeline, root cause, mitigations, follow-up actions."""
    template = (resources.files("golive.governance") / "templates" / "postmortem.md.j2").read_text()
    # Markdown, not HTML: escaping would corrupt the text (B701 does not apply).
    environment = jinja2.Environment(  # nosec B701
        autoescape=False, undefined=jinja2.StrictUndefined, keep_trailing_newline=True
    )
    return environment.from_string(template).render(
        incident=incident,
        rfc3339=rfc3339,
        timeline=[(e["at"], e["actor"], describe(e)) for e in incident.timeline],
        root_cause=root_cause.strip(),
        mitigations=mitigations,
        actions=actions,
    )


def describe(event: dict[str, Any]) -> str:
    """A timeline entry in words: ``opened: checkout down (sev2)``, ``note: ...``."""
    if event["kind"] == "opened":
        return f"opened: {event['title']} ({event['severity']})"
    text = event.get("text")
    return f"{event['kind']}: {text}" if text else str(event["kind"])


def attach_postmortem(
    registry: Registry,
    incident: str,
    *,
    root_cause: str,
    mitigations: list[str],
    actions: list[str],
    actor: str,
    clock: Clock = utc_now,
) -> str:
    """Render the postmortem and attach it to the resolved incident; return the Markdown."""
    state = get_incident(registry, incident)
    if state.open:
        raise UsageError(f"{incident} is still open; resolve it before its postmortem")
    if not root_cause.strip():
        raise UsageError("--root-cause: say what caused the incident")
    markdown = render_postmortem(
        state, root_cause=root_cause, mitigations=mitigations, actions=actions
    )
    _event(registry, incident, "postmortem", {"markdown": markdown}, actor, clock)
    return markdown


def get_incident(registry: Registry, incident: str) -> Incident:
    """The incident's state from its events."""
    if not _ID.fullmatch(incident):
        raise UsageError(f"invalid incident id {incident!r}; expected INC-<number>, e.g. INC-1")
    query = select(IncidentEvent).where(IncidentEvent.incident == incident)
    with registry.read() as session:
        events = [
            document_of(r, "incident event")
            for r in session.scalars(query.order_by(IncidentEvent.id))
        ]
    if not events:
        raise NotFoundError(f"no incident {incident} in registry {registry.url}")
    return _state(incident, events)


def list_incidents(registry: Registry) -> list[Incident]:
    """Every incident, newest first."""
    with registry.read() as session:
        rows = session.scalars(select(IncidentEvent).order_by(IncidentEvent.id)).all()
        documents = [document_of(r, "incident event") for r in rows]
    by_incident: dict[str, list[dict[str, Any]]] = {}
    for document in documents:
        by_incident.setdefault(document["incident"], []).append(document)
    incidents = [_state(i, events) for i, events in by_incident.items()]
    return sorted(incidents, key=lambda i: i.opened_at, reverse=True)


def _event(
    registry: Registry,
    incident: str,
    kind: str,
    body: dict[str, Any],
    actor: str,
    clock: Clock,
) -> Incident:
    get_incident(registry, incident)
    now = as_utc(clock(), "the clock's time")
    with registry.write() as session:
        add_event(session, incident, kind, body, actor, now)
    return get_incident(registry, incident)


def add_event(
    session: Session, incident: str, kind: str, body: dict[str, Any], actor: str, at: datetime
) -> None:
    """Append one event (``opened``, ``note``, ``resolved``, ...) to ``incident``'s timeline."""
    document = {
        "schema": EVENT_SCHEMA,
        "incident": incident,
        "kind": kind,
        "at": rfc3339(at),
        "actor": actor,
        **body,
    }
    add(
        session,
        IncidentEvent(incident=incident, kind=kind, at=at),
        document,
        entity="incident_event",
        summary={"incident": incident, "kind": kind},
        actor=actor,
        at=at,
    )


def _state(incident: str, events: list[dict[str, Any]]) -> Incident:
    opened = events[0]
    resolved = [e for e in events if e["kind"] == "resolved"]
    postmortems = [e for e in events if e["kind"] == "postmortem"]
    return Incident(
        id=incident,
        title=opened["title"],
        severity=opened["severity"],
        opened_at=parse_rfc3339(opened["at"], "at"),
        commander=opened["actor"],
        resolved_at=parse_rfc3339(resolved[0]["at"], "at") if resolved else None,
        postmortem_at=parse_rfc3339(postmortems[-1]["at"], "at") if postmortems else None,
        timeline=tuple(e for e in events if e["kind"] != "postmortem"),
    )


def latest_postmortem(registry: Registry, incident: str) -> str | None:
    """The Markdown of the incident's latest postmortem, if one is attached."""
    query = (
        select(IncidentEvent)
        .where(IncidentEvent.incident == incident, IncidentEvent.kind == "postmortem")
        .order_by(IncidentEvent.id.desc())
        .limit(1)
    )
    with registry.read() as session:
        row = session.scalar(query)
        return None if row is None else str(document_of(row, "incident event")["markdown"])
