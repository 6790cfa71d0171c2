"""The scorecard as a person reads it: a rich table and a one-line verdict."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from golive.engine.scorecard import CheckResult, Scorecard
from golive.spec.durations import format_duration

STATUS_STYLE = {
    "pass": "green",
    "warn": "yellow",
    "fail": "bold red",
    "no_data": "magenta",
    "error": "bold red",
    "waived": "cyan",
}


WIDE = 110


def scorecard_table(card: Scorecard, *, width: int = WIDE) -> Table:
    """One row per check: id, title (110+ columns), status, observed, expected."""
    with_titles = width >= WIDE
    table = Table(title=f"{card.spec_name} at {card.to_document()['evaluated_at']}", expand=False)
    table.add_column("check", no_wrap=True)
    if with_titles:
        table.add_column("title", min_width=24, ratio=1)
    table.add_column("status", no_wrap=True)
    table.add_column("observed", justify="right", no_wrap=True)
    table.add_column("expected")
    for check in card.checks:
        status = check.status + ("" if check.required else " (optional)")
        cells: list[str | Text] = [check.id]
        if with_titles:
            cells.append(check.title or "")
        cells += [
            Text(status, style=STATUS_STYLE[check.status]),
            _observed(check),
            check.expect + (f" (warn {check.warn})" if check.warn else ""),
        ]
        table.add_row(*cells)
    return table


def _observed(check: CheckResult) -> str:
    if check.observed is None:
        return "-"
    if check.measure in ("span", "age") and check.observed >= 1:
        return format_duration(round(check.observed))
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
    console.print(scorecard_table(card, width=console.width))
    for line in problems(card):
        console.print(f"  {line}", highlight=False, markup=False, soft_wrap=True)
    console.print(verdict_line(card, recorded_id=recorded_id), soft_wrap=True)
