"""A ticket-ready Markdown summary of a bundle: verdict, PASS/FAIL table, hashes, trace id."""

from __future__ import annotations

from typing import Any

from golive.proof.bundle import BundleResult

_WORD = {
    "pass": "PASS",
    "warn": "WARN",
    "fail": "FAIL",
    "no_data": "NO DATA",
    "error": "ERROR",
    "waived": "WAIVED",
}


def markdown_summary(result: BundleResult, scorecard: dict[str, Any]) -> str:
    """The summary for an incident or change ticket, from the bundle just written."""
    manifest = result.manifest
    facts = manifest["scorecard"]
    verdict = "READY" if facts["ready"] else "NOT READY"
    lines = [
        f"## golive evidence bundle: {facts['spec']} — {verdict}",
        "",
        f"- Scorecard: `golive:scorecard:{facts['sha256']}`",
        f"- Evaluated at: {facts['evaluated_at']}",
        f"- Trace id: {facts['trace_id'] or 'none recorded'}",
        f"- Score: {scorecard['score']:.2f}",
        f"- Bundle: `{result.path.name}`, manifest sha256 `{result.manifest_sha256}`",
        f"- Signed: {_signed(result)}",
        "",
        "| check | status | observed | expected |",
        "|---|---|---|---|",
    ]
    for check in scorecard["checks"]:
        optional = "" if check["required"] else " (optional)"
        observed = "-" if check["observed"] is None else f"{check['observed']}"
        lines.append(
            f"| {_cell(check['id'])} | {_WORD[check['status']]}{optional} "
            f"| {_cell(observed)} | {_cell(check['expect'])} |"
        )
    lines += ["", "| member | sha256 | bytes | note |", "|---|---|---|---|"]
    for member in manifest["members"]:
        lines.append(
            f"| {_cell(member['path'])} | `{member['sha256'][:16]}…` | {member['size']} "
            f"| {_note(member)} |"
        )
    for item in manifest["uncollected"]:
        lines.append(f"| {_cell(item['origin'])} | - | - | not bundled: {item['reason']} |")
    return "\n".join(lines) + "\n"


def _signed(result: BundleResult) -> str:
    if result.envelope is None:
        return "no"
    return f"yes, by {result.envelope['signatures'][0]['keyid']}"


def _note(member: dict[str, Any]) -> str:
    notes = []
    if "excerpt" in member:
        notes.append(f"excerpt ({member['excerpt']['omitted']} bytes omitted)")
    if member.get("redacted"):
        notes.append(f"{member['redactions']} values redacted")
    if "original" in member:
        notes.append(f"original sha256 `{member['original']['sha256'][:16]}…`")
    return ", ".join(notes)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
