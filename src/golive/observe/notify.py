"""Notifications of a change of readiness or of a check's status, as Slack-compatible JSON.

The body is an incoming-webhook message (``{"text": ..., "blocks": [...]}``) that Slack,
Mattermost and Rocket.Chat accept; anything that takes a JSON POST can read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from golive.observe.logging import logger, never_log

TIMEOUT_S = 10.0
_log = logger("notify")


@dataclass(frozen=True)
class CheckChange:
    """One check whose status changed between two evaluations."""

    check: str
    before: str | None
    after: str | None
    message: str


@dataclass(frozen=True)
class Change:
    """What changed between the last notified state of a spec and the current one."""

    spec: str
    ready_before: bool | None
    ready_after: bool | None  # None: the evaluation failed
    score: float | None
    scorecard: str | None
    checks: tuple[CheckChange, ...]
    error: str | None = None


def message(change: Change) -> dict[str, Any]:
    """The incoming-webhook JSON announcing ``change``."""
    if change.ready_after is None:
        headline = f"golive: evaluating {change.spec} failed: {change.error}"
    else:
        verdict = "READY" if change.ready_after else "NOT READY"
        was = {None: "", True: " (was READY)", False: " (was NOT READY)"}[change.ready_before]
        if change.ready_before == change.ready_after:
            was = ""
        headline = f"golive: {change.spec} is {verdict}{was}, score {change.score:.2f}"
    lines = [
        f"• `{c.check}`: {c.before or 'new'} → {c.after or 'gone'} ({c.message})"
        for c in change.checks
    ]
    if change.scorecard:
        lines.append(f"scorecard `golive:scorecard:{change.scorecard}`")
    text = "\n".join([headline, *lines])
    return {
        "text": text,
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": headline}},
            *(
                [{"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}}]
                if lines
                else []
            ),
        ],
    }


def post(url: str, change: Change, *, client: httpx.Client | None = None) -> bool:
    """POST the message; a failure is logged (the URL never is) and reported as False."""
    never_log(url)  # an incoming-webhook URL is a credential
    own = client is None
    http = httpx.Client(timeout=TIMEOUT_S) if client is None else client
    try:
        response = http.post(url, json=message(change))
        response.raise_for_status()
    except httpx.HTTPError as exc:
        _log.warning(
            "notification for %s not delivered",
            change.spec,
            extra={"outcome": "failure", "error": f"{type(exc).__name__}: {exc}"},
        )
        return False
    finally:
        if own:
            http.close()
    _log.info("notified a change of %s", change.spec, extra={"outcome": "ok"})
    return True
