"""The sign-off document (Markdown) from a ready scorecard and the spec's ``signoff`` section.

Headline totals, each group ticked with its checks' observed vs expected and their
evidence, then the statement with its date. The document cites its scorecard
(``golive:scorecard:<sha256>``), so ``golive claims check`` backs the label it states.
Governance sections (incidents, rehearsals, approvals, waivers, the gate's go/no-go table)
are passed in as ``sections`` by the caller that holds the release.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from golive.errors import UsageError
from golive.registry.documents import READY_STATUSES
from golive.spec.proof import Signoff

_MARK = {"pass": "PASS", "warn": "WARN", "waived": "WAIVED"}


class NotReadyError(UsageError):
    """The scorecard is not ready, so no sign-off is written."""

    exit_code = 1


@dataclass(frozen=True)
class Section:
    """A titled Markdown section another capability adds (approvals, incidents, ...)."""

    title: str
    body: str


def signoff_markdown(
    signoff: Signoff,
    scorecard: dict[str, Any],
    scorecard_sha256: str,
    *,
    date: str,
    bundle_sha256: str | None = None,
    sections: Sequence[Section] = (),
) -> str:
    """The sign-off document; refuses (``NotReadyError``) a scorecard that is not ready."""
    checks: list[dict[str, Any]] = scorecard["checks"]
    _refuse_not_ready(scorecard, checks)
    _refuse_unknown_ids(signoff, checks)
    spec = scorecard["spec"]
    lines = [
        f"# {signoff.label}",
        "",
        f"- Spec: {spec['name']} (`{spec['path']}`, sha256 `{spec['sha256']}`)",
        f"- Scorecard: golive:scorecard:{scorecard_sha256}",
        f"- Evaluated at: {scorecard['evaluated_at']}",
        f"- Score: {scorecard['score']:.2f}",
    ]
    if bundle_sha256 is not None:
        lines.append(f"- Evidence bundle manifest: sha256 `{bundle_sha256}`")
    if signoff.totals:
        lines += ["", "## Totals", "", "| total | value |", "|---|---|"]
        by_id = {c["id"]: c for c in checks}
        for total in signoff.totals:
            lines.append(f"| {total.label} | {_total([by_id[i] for i in total.checks])} |")
    grouped: set[str] = set()
    for group in signoff.groups:
        members = [c for c in checks if _in_group(c["id"], group.prefix)]
        grouped |= {c["id"] for c in members}
        title = group.prefix + (f": {group.title}" if group.title else "")
        lines += _group(title, members)
    rest = [c for c in checks if c["id"] not in grouped]
    if rest:
        lines += _group("Other checks" if signoff.groups else "Checks", rest)
    for section in sections:
        lines += ["", f"## {section.title}", "", section.body.rstrip()]
    statement = signoff.statement.format(
        date=date,
        label=signoff.label,
        spec=spec["name"],
        scorecard=scorecard_sha256,
        score=f"{scorecard['score']:.2f}",
    )
    lines += ["", "## Statement", "", statement, ""]
    return "\n".join(lines)


def _refuse_not_ready(scorecard: dict[str, Any], checks: list[dict[str, Any]]) -> None:
    if scorecard["ready"]:
        return
    blocking = [
        f"{c['id']} ({c['status']}: {c['message']})"
        for c in checks
        if c["required"] and c["status"] not in READY_STATUSES
    ]
    missing = "\n".join(f"  {b}" for b in blocking) or "  no required check"
    raise NotReadyError(
        f"not signed off: scorecard of {scorecard['spec']['name']} at "
        f"{scorecard['evaluated_at']} is not ready; missing:\n{missing}"
    )


def _refuse_unknown_ids(signoff: Signoff, checks: list[dict[str, Any]]) -> None:
    ids = {c["id"] for c in checks}
    unknown = sorted({i for t in signoff.totals for i in t.checks} - ids)
    empty = [g.prefix for g in signoff.groups if not any(_in_group(i, g.prefix) for i in ids)]
    problems = [f"signoff.totals names check {i!r}, not in the scorecard" for i in unknown]
    problems += [f"signoff.groups prefix {p!r} matches no check" for p in empty]
    if problems:
        raise UsageError("\n".join(problems))


def cell(value: object) -> str:
    """A Markdown table cell: pipes escaped, line breaks folded, empty shown as ``-``."""
    text = "-" if value is None or value == "" else str(value)
    return " ".join(text.replace("|", "\\|").split())


def _in_group(check_id: str, prefix: str) -> bool:
    """``PR-7`` holds ``PR-7`` and ``PR-7.volume``, not ``PR-70``."""
    return check_id == prefix or check_id.startswith((f"{prefix}.", f"{prefix}:"))


def _total(checks: list[dict[str, Any]]) -> str:
    values = [c["observed"] for c in checks]
    if any(v is None for v in values):
        missing = ", ".join(c["id"] for c in checks if c["observed"] is None)
        return f"incomplete (no value from {missing})"
    total = sum(values)
    return str(int(total)) if float(total).is_integer() else f"{total:.4g}"


def _group(title: str, checks: list[dict[str, Any]]) -> list[str]:
    ok = all(c["status"] in READY_STATUSES for c in checks if c["required"])
    lines = [
        "",
        f"## {'[x]' if ok else '[ ]'} {title}",
        "",
        "| check | status | observed | expected | evidence |",
        "|---|---|---|---|---|",
    ]
    for c in checks:
        status = _MARK.get(c["status"], c["status"].upper().replace("_", " "))
        evidence = "<br>".join(
            f"`{cell(e['path'])}` sha256 `{(e['sha256'] or '-')[:16]}` ({e['records']} records)"
            for e in c["evidence"]
        )
        values = (c["id"], status, c["observed"], c["expect"])
        lines.append("| " + " | ".join(cell(v) for v in values) + f" | {evidence or '-'} |")
    return lines
