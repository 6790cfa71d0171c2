"""``golive gate``: the one command a deploy pipeline calls."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from golive.actor import current_actor
from golive.cli._errors import reported_errors
from golive.cli._governance import governed, json_option, print_json, registry_option, spec_option
from golive.governance.gate import decide
from golive.observe.tracing import ensure_tracing


def gate(
    version: str = typer.Argument(..., help="The release to decide on."),
    spec: Path = spec_option(),
    registry: str | None = registry_option(),
    as_json: bool = json_option("the golive.gate-decision/v1 document"),
) -> None:
    """Decide whether release VERSION may go live, record the decision, exit 0 allowed / 1 denied.

    Rules: a ready scorecard no older than governance.scorecard.max_age; at least
    governance.approvals.min valid signatures over the current manifest; every waiver
    valid; a rollback_ok rehearsal within governance.rehearsal.max_age; no open sev1 or
    sev2 incident; no overdue postmortem; every item the release names promoted.

    Example: golive gate 1.4.0 --spec golive.yaml
    """
    with reported_errors(), governed(spec, registry) as (loaded, opened):
        ensure_tracing(spec.parent)  # the deployment.gate span, buffered beside the spec
        decision = decide(opened, loaded, version, actor=current_actor())
    if as_json:
        print_json(decision)
    else:
        _sheet(decision)
    raise typer.Exit(0 if decision["allowed"] else 1)


def _sheet(decision: dict[str, Any]) -> None:
    release = decision["release"]
    table = Table(title=f"go/no-go: release {release['version']} revision {release['revision']}")
    table.add_column("rule", no_wrap=True)
    table.add_column("result", no_wrap=True)
    table.add_column("reason")
    for rule in decision["rules"]:
        result = Text("PASS", style="green") if rule["ok"] else Text("FAIL", style="bold red")
        table.add_row(rule["rule"], result, rule["reason"])
    console = Console()
    console.print(table)
    verdict = (
        Text("ALLOWED", style="bold green")
        if decision["allowed"]
        else Text("DENIED", style="bold red")
    )
    failed = [r["rule"] for r in decision["rules"] if not r["ok"]]
    tail = f" · failed: {', '.join(failed)}" if failed else ""
    console.print(
        verdict
        + Text(
            f" · manifest {release['manifest_sha256'][:16]}{tail} · trace {decision['trace_id']}"
        ),
        soft_wrap=True,
    )


def register(app: typer.Typer) -> None:
    """Add ``golive gate``."""
    app.command("gate")(gate)
