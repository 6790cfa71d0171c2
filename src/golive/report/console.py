"""The scorecard as a person reads it: a rich table and a one-line verdict."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from golive.engine.scorecard import CheckResult, Scorecard

STATUS_STYLE = {
    "pass": "green",
    "warn": "yellow",
    "fail": "bold red",
    "no_data": "magenta",
    "error": "bold red",
    "waived": "cyan",
}


def scorecard_table(card: Scorecard) -> Table:
    """One row per check: id, title, status, observed, expected."""
    table = Table(title=f"{card.spec_name} at {card.to_document()['evaluated_at']}", expand=False)
    table.add_column("check", no_wrap=True)
    table.add_column("title")
    table.add_column("status", no_wrap=True)
    table.add_column("observed", justify="right", no_wrap=True)
    table.add_column("expected", no_wrap=True)
    for check in card.checks:
        status = check.status + ("" if check.required else " (optional)")
        table.add_row(
            check.id,
            check.title or "",
            Text(status, style=STATUS_STYLE[check.status]),
            _observed(check),
            check.expect + (f" (warn {check.warn})" if check.warn else ""),
        )
    return table


def _observed(check: CheckResult) -> str:
    if check.observed is None:
        return "-"
    if isinstance(check.observed, float):
        return f"{check.observed:.4g}"
    return str(check.observed)


def verdict_line(card: Scorecard, *, recorded_id: int | None = None) -> Text:
    """``READY · 14/14 pass · score 1.00 · scorecard <sha256>``, or what blocks readiness."""
    counts = card.summary
    passing = counts["pass"] + counts["warn"] + counts["waived"]
    head = Text("READY", style="bold green") if card.ready else Text("NOT READY", style="bold red")
    parts = [f"{passing}/{len(card.checks)} checks pass", f"score {card.score:.2f}"]
    blocking = [c for c in card.checks if c.required and c.status not in ("pass", "warn", "waived")]
    if blocking:
        shown = ", ".join(f"{c.id} ({c.status})" for c in blocking[:5])
        more = f" and {len(blocking) - 5} more" if len(blocking) > 5 else ""
        parts.append(f"blocked by {shown}{more}")
    elif not card.ready:
        parts.append("no required check")
    parts.append(f"scorecard {card.sha256}")
    if recorded_id is not None:
        parts.append(f"recorded as #{recorded_id}")
    return head + Text(" · " + " · ".join(parts))


def problems(card: Scorecard) -> list[str]:
    """The message of every check that is not passing, for the lines under the table."""
    return [f"{c.id}: {c.message}" for c in card.checks if c.status not in ("pass", "waived")]


def print_scorecard(card: Scorecard, console: Console, *, recorded_id: int | None = None) -> None:
    """Table, the messages of non-passing checks, and the verdict."""
    console.print(scorecard_table(card))
    for line in problems(card):
        console.print(f"  {line}", highlight=False, markup=False)
    console.print(verdict_line(card, recorded_id=recorded_id))
