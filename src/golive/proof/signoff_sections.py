"""The release's sections of the sign-off, from the JSON documents a release bundle holds.

Pure functions of those documents (``release/*.json`` and the postmortems), so that
``golive signoff verify`` renders the same sections again from the bundle alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from golive.proof.signoff import Section, cell

_HEADING = re.compile(r"^## (.+)$", re.MULTILINE)
_BULLET = re.compile(r"^\s*[-*]\s+(?:\[[ x]\]\s*)?")
# What a postmortem teaches, by its headings (governance/templates/postmortem.md.j2).
LESSONS = ("Root cause", "Mitigations", "Follow-up actions")


def release_sections(
    manifest: dict[str, Any],
    decision: dict[str, Any],
    approvals: list[dict[str, Any]],
    waivers: list[dict[str, Any]],
    rehearsals: list[dict[str, Any]],
    incidents: list[dict[str, Any]],
    postmortems: Mapping[str, str],
) -> list[Section]:
    """Go/no-go, release and rollback plan, approvals, waivers, rehearsals, incidents."""
    return [
        Section("Go/no-go", _go_no_go(decision)),
        Section(f"Release {manifest['version']}", _release(manifest)),
        Section("Approvals", _approvals(approvals)),
        Section("Waivers in force", _waivers(waivers)),
        Section("Rollback rehearsals", _rehearsals(rehearsals)),
        Section("Incidents", _incidents(incidents, postmortems)),
    ]


def _table(header: tuple[str, ...], rows: list[tuple[object, ...]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def _go_no_go(decision: dict[str, Any]) -> str:
    verdict = "ALLOWED" if decision["allowed"] else "DENIED"
    rows: list[tuple[object, ...]] = [
        (r["rule"], "PASS" if r["ok"] else "FAIL", r["reason"]) for r in decision["rules"]
    ]
    return (
        f"{_table(('rule', 'result', 'reason'), rows)}\n\n"
        f"Decision: **{verdict}** at {decision['decided_at']} by {cell(decision['decided_by'])}, "
        f"trace id `{decision['trace_id']}`."
    )


def _release(manifest: dict[str, Any]) -> str:
    lines = [
        f"- Revision {manifest['revision']}, created {manifest['created_at']} "
        f"by {cell(manifest['creator'])}",
    ]
    window = manifest.get("window")
    if window:
        lines.append(f"- Rollout window: {window['start']} to {window['end']}")
    plan = manifest.get("rollback_plan")
    lines.append(
        f"- Rollback plan: `{plan['path']}` sha256 `{plan['sha256']}`"
        if plan
        else "- Rollback plan: none in the manifest"
    )
    delta = manifest.get("config_delta")
    if delta:
        lines.append(f"- Config delta: `{delta['path']}` sha256 `{delta['sha256']}`")
    if manifest.get("items"):
        lines.append(f"- Items: {', '.join(manifest['items'])}")
    rows: list[tuple[object, ...]] = [
        (f"`{a['path']}`", a["size"], f"`{a['sha256']}`") for a in manifest["artifacts"]
    ]
    return "\n".join(lines) + "\n\n" + _table(("artifact", "bytes", "sha256"), rows)


def _approvals(approvals: list[dict[str, Any]]) -> str:
    if not approvals:
        return "No approval recorded."
    rows: list[tuple[object, ...]] = [
        (
            a["approver"],
            f"`{a['fingerprint']}`",
            a["signed_at"],
            "verified" if a["verified"] else "NOT COUNTED",
            a["reason"],
        )
        for a in approvals
    ]
    return _table(("signer", "key", "signed at", "status", "detail"), rows)


def _waivers(waivers: list[dict[str, Any]]) -> str:
    if not waivers:
        return "No waiver in force."
    rows: list[tuple[object, ...]] = [
        (w["check_id"], w["approver"], w["reason"], w["expires_at"], w["release"] or "any")
        for w in waivers
    ]
    return _table(("check", "approved by", "reason", "expires", "release"), rows)


def _rehearsals(rehearsals: list[dict[str, Any]]) -> str:
    if not rehearsals:
        return "No rehearsal within governance.rehearsal.max_age."
    rows: list[tuple[object, ...]] = [
        (
            r["performed_at"],
            r["rollback_strategy"],
            r["status"],
            f"`{r['before_checksum']}`",
            f"`{r['after_checksum']}`",
            r["duration_ms"],
        )
        for r in rehearsals
    ]
    header = ("performed at", "strategy", "status", "before", "after", "ms")
    return _table(header, rows)


def _incidents(incidents: list[dict[str, Any]], postmortems: Mapping[str, str]) -> str:
    if not incidents:
        return "No incident in the release's window."
    parts = []
    for i in incidents:
        resolved = f"resolved {i['resolved_at']}" if i["resolved_at"] else "OPEN"
        lines = [
            f"### {i['id']} {i['severity']}: {cell(i['title'])}",
            "",
            f"Opened {i['opened_at']} by {cell(i['commander'])}, {resolved}.",
        ]
        markdown = postmortems.get(i["postmortem"] or "")
        if markdown is None:
            lines += ["", "No postmortem attached."]
        else:
            lines += ["", f"Lessons (postmortem `{i['postmortem']}`):", ""]
            lines += _lessons(markdown)
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def _lessons(markdown: str) -> list[str]:
    """The root cause, mitigations and follow-up actions of a postmortem, as bullets."""
    found = list(_HEADING.finditer(markdown))
    lines = []
    for n, heading in enumerate(found):
        title = heading.group(1).strip()
        if title not in LESSONS:
            continue
        end = found[n + 1].start() if n + 1 < len(found) else len(markdown)
        items: list[str] = []
        for text in markdown[heading.end() : end].splitlines():
            bullet = _BULLET.match(text)
            if bullet:
                items.append(text[bullet.end() :].strip())
            elif text.strip():  # a paragraph line joins the item before it
                items[-1:] = [" ".join([*items[-1:], text.strip()])]
        lines.append(f"- {title}: " + "; ".join(items))
    return lines or ["- the postmortem has no root cause, mitigations or actions section"]
