"""The registry's scorecard history as records, so stability over days is a check.

``records: scorecards`` gives one record per scorecard: spec, evaluated_at, ready,
score, sha256, and the counts per status; ``records: checks`` one per check result:
spec, evaluated_at, scorecard (sha256), check, status, observed, required. "Ready in
every daily scorecard for 14 days" is ``where: ready == false``, ``measure: count``,
``expect: == 0`` with a count ``>= 1`` per ``every: 24h`` bucket beside it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from golive.canonical import digest
from golive.registry import StoredScorecard, list_scorecards
from golive.sources._registry import source_registry
from golive.sources.base import EvidenceItem, Records
from golive.spec.sources import ScorecardsSource
from golive.times import rfc3339

PAGE = 500


def read(config: ScorecardsSource, base_dir: Path) -> Records:
    """One record per scorecard (or per check of each) in the registry."""
    with source_registry(config.registry, base_dir) as registry:
        if registry is None:
            return Records([], [], config.time)
        cards: list[StoredScorecard] = []
        while True:
            page = list_scorecards(registry, spec_name=config.spec, limit=PAGE, offset=len(cards))
            cards.extend(page)
            if len(page) < PAGE:
                break
        shown = registry.url
    cards.reverse()  # oldest first
    rows = [_card(c) for c in cards] if config.records == "scorecards" else _checks(cards)
    item = EvidenceItem(f"{shown}#scorecards", digest(rows), len(rows))
    return Records(rows, [item], config.time)


def _card(card: StoredScorecard) -> dict[str, Any]:
    summary = card.document.get("summary") or {}
    return {
        "spec": card.spec_name,
        "evaluated_at": rfc3339(card.evaluated_at),
        "ready": card.ready,
        "score": card.score,
        "sha256": card.sha256,
        "checks": len(card.document.get("checks") or []),
        **{f"count_{status}": int(summary.get(status, 0)) for status in sorted(summary)},
    }


def _checks(cards: list[StoredScorecard]) -> list[dict[str, Any]]:
    return [
        {
            "spec": card.spec_name,
            "evaluated_at": rfc3339(card.evaluated_at),
            "scorecard": card.sha256,
            "check": check["id"],
            "status": check["status"],
            "observed": check.get("observed"),
            "required": check.get("required", True),
        }
        for card in cards
        for check in card.document.get("checks") or []
    ]
