"""Scorecard documents and instants the registry tests build on."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SCORECARD = Path(__file__).parent.parent / "data" / "registry" / "scorecard.json"
T0 = datetime(2025, 12, 18, 9, 30, 0, 123456, tzinfo=UTC)


def scorecard(
    *,
    name: str | None = None,
    evaluated_at: str | None = None,
    ready: bool | None = None,
    score: float | None = None,
    observed: float | None = None,
) -> dict[str, Any]:
    """The committed scorecard, with the given fields changed (a changed field, a new sha256)."""
    document: dict[str, Any] = copy.deepcopy(json.loads(SCORECARD.read_text()))
    if name is not None:
        document["spec"]["name"] = name
    if evaluated_at is not None:
        document["evaluated_at"] = evaluated_at
    if ready is not None:
        document["ready"] = ready
        if ready:  # a ready scorecard has no failing required check
            document["checks"][1]["status"] = "pass"
            document["checks"][1]["observed"] = 0.05
    if score is not None:
        document["score"] = score
    if observed is not None:
        document["checks"][0]["observed"] = observed
    return document


MakeScorecard = Callable[..., dict[str, Any]]
