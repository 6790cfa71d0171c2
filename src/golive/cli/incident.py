"""``golive incident open|note|resolve|postmortem|list``."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from golive.actor import current_actor
from golive.cli._errors import reported_errors
from golive.cli._governance import governed, json_option, print_json, registry_option, spec_option
from golive.governance.incidents import (
    SEVERITIES,
    Incident,
    add_note,
    attach_postmortem,
    list_incidents,
    open_incident,
    resolve_incident,
)
from golive.registry.instants import rfc3339, utc_now

incident_app = typer.Typer(
    name="incident",
    help="Incidents: open one, add to its timeline, resolve it, attach its postmortem.",
    no_args_is_help=True,
)


@incident_app.command("open")
def open_command(
    title: str = typer.Argument(..., help="What is wrong, in a few words."),
    severity: str = typer.Option(
        ..., "--severity", help=f"One of {', '.join(SEVERITIES)}; sev1 and sev2 block the gate."
    ),
    spec: Path = spec_option(),
    registry: str | None = registry_option(),
    as_json: bool = json_option("the incident"),
) -> None:
    """Open an incident; you ($GOLIVE_USER) are its commander.

    Example: golive incident open "checkout returns 500" --severity sev2
    """
    with reported_errors(), governed(spec, registry) as (_loaded, opened):
        incident = open_incident(opened, title, severity, actor=current_actor())
    _one(incident, as_json)


@incident_app.command("note")
def note_command(
    incident: str = typer.Argument(..., help="The incident id, such as INC-3."),
    text: str = typer.Argument(..., help="What happened."),
    spec: Path = spec_option(),
    registry: str | None = registry_option(),
    as_json: bool = json_option("the incident"),
) -> None:
    """Add an entry to the incident's timeline.

    Example: golive incident note INC-3 "rolled back 1.4.0"
    """
    with reported_errors(), governed(spec, registry) as (_loaded, opened):
        state = add_note(opened, incident, text, actor=current_actor())
    _one(state, as_json)


@incident_app.command("resolve")
def resolve_command(
    incident: str = typer.Argument(..., help="The incident id, such as INC-3."),
    summary: str = typer.Option(..., "--summary", help="How it was resolved."),
    spec: Path = spec_option(),
    registry: str | None = registry_option(),
    as_json: bool = json_option("the incident"),
) -> None:
    """Resolve the incident; its postmortem falls due governance.postmortem.due from now.

    Example: golive incident resolve INC-3 --summary "error rate back to baseline"
    """
    with reported_errors(), governed(spec, registry) as (_loaded, opened):
        state = resolve_incident(opened, incident, summary, actor=current_actor())
    _one(state, as_json)


@incident_app.command("postmortem")
def postmortem_command(
    incident: str = typer.Argument(..., help="The resolved incident's id."),
    root_cause: str = typer.Option(..., "--root-cause", help="What caused it."),
    mitigation: list[str] | None = typer.Option(
        None, "--mitigation", help="What limited the damage (repeatable)."
    ),
    action: list[str] | None = typer.Option(
        None, "--action", help="A follow-up action (repeatable)."
    ),
    out: Path | None = typer.Option(None, "--out", help="Also write the Markdown to this file."),
    spec: Path = spec_option(),
    registry: str | None = registry_option(),
) -> None:
    """Render the postmortem (timeline, root cause, mitigations, follow-up actions) as
    Markdown, attach it to the incident and print it.

    Example: golive incident postmortem INC-3 --root-cause "bad flag" --action "alert on it"
    """
    with reported_errors(), governed(spec, registry) as (_loaded, opened):
        markdown = attach_postmortem(
            opened,
            incident,
            root_cause=root_cause,
            mitigations=list(mitigation or ()),
            actions=list(action or ()),
            actor=current_actor(),
        )
        if out is not None:
            out.write_text(markdown, encoding="utf-8")
    typer.echo(markdown, nl=False)


@incident_app.command("list")
def list_command(
    spec: Path = spec_option(),
    registry: str | None = registry_option(),
    as_json: bool = json_option("the incidents"),
) -> None:
    """List incidents, newest first, with their postmortem's due date.

    Example: golive incident list --json
    """
    with reported_errors(), governed(spec, registry) as (loaded, opened):
        incidents = list_incidents(opened)
        due = timedelta(
            seconds=loaded.governance.postmortem.due.seconds if loaded.governance else 72 * 3600
        )
    now = utc_now()
    rows = [_row(i, due, now) for i in incidents]
    if as_json:
        print_json(rows)
        return
    table = Table(title="Incidents")
    for column in ("id", "severity", "title", "status", "opened", "postmortem"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            row["id"],
            row["severity"],
            row["title"],
            row["status"],
            row["opened_at"],
            row["postmortem"],
        )
    Console().print(table)


def _row(incident: Incident, due: timedelta, now: Any) -> dict[str, Any]:
    deadline = incident.postmortem_due(due)
    if incident.postmortem_at is not None:
        postmortem = "attached"
    elif deadline is None:
        postmortem = "-"
    else:
        postmortem = ("OVERDUE since " if incident.overdue(due, now) else "due ") + rfc3339(
            deadline
        )
    return {
        "id": incident.id,
        "severity": incident.severity,
        "title": incident.title,
        "status": "open" if incident.open else "resolved",
        "commander": incident.commander,
        "opened_at": rfc3339(incident.opened_at),
        "resolved_at": None if incident.resolved_at is None else rfc3339(incident.resolved_at),
        "postmortem": postmortem,
    }


def _one(incident: Incident, as_json: bool) -> None:
    if as_json:
        print_json(incident.as_json())
        return
    state = "open" if incident.open else "resolved"
    typer.echo(f"{incident.id} {incident.severity} {state}: {incident.title}")


def register(app: typer.Typer) -> None:
    """Add ``golive incident ...``."""
    app.add_typer(incident_app)
