"""Registry states for gate and register tests, built through the library as golive would."""

from __future__ import annotations

import copy
from datetime import datetime
from pathlib import Path
from typing import Any

from golive.governance.approvals import approve
from golive.governance.rehearsals import record_rehearsal
from golive.governance.releases import ReleaseInput, create_release
from golive.registry import Registry, StoredScorecard, record_scorecard
from golive.registry.instants import rfc3339
from golive.spec.models import Spec
from tests.governance.conftest import Clock, private_key

CHECK_IDS = ("uc1.a", "uc1.b", "uc2.a")


def scorecard(at: datetime, failing: tuple[str, ...] = ()) -> dict[str, Any]:
    """A ``shop`` scorecard evaluated at ``at`` where the ``failing`` checks fail."""
    checks = [
        {"id": c, "status": "fail" if c in failing else "pass", "required": True, "observed": 1}
        for c in CHECK_IDS
    ]
    return {
        "schema": "golive.scorecard/v1",
        "spec": {"name": "shop", "path": "golive.yaml", "sha256": "0" * 64},
        "evaluated_at": rfc3339(at),
        "ready": not failing,
        "score": 1.0 - len(failing) / len(CHECK_IDS),
        "summary": {},
        "checks": checks,
    }


def record_card(
    registry: Registry, clock: Clock, failing: tuple[str, ...] = (), document: Any = None
) -> StoredScorecard:
    """Record a scorecard evaluated at the clock's time."""
    card = document if document is not None else scorecard(clock(), failing)
    return record_scorecard(registry, copy.deepcopy(card), actor="ci", clock=clock)


def rehearsal(at: datetime, status: str = "rollback_ok") -> dict[str, Any]:
    """A rehearsal record performed at ``at``."""
    after = "a" * 64 if status == "rollback_ok" else "b" * 64
    return {
        "rollback_strategy": "git_revert",
        "before_checksum": "a" * 64,
        "after_checksum": after,
        "duration_ms": 120,
        "status": status,
        "performed_at": rfc3339(at),
    }


def allowed_release(
    registry: Registry, spec: Spec, clock: Clock, artifact: Path, items: tuple[str, ...] = ()
) -> None:
    """A release every rule allows: fresh ready scorecard, two approvals, a recent drill."""
    record_card(registry, clock)
    record_rehearsal(registry, rehearsal(clock()), actor="ops", clock=clock)
    create_release(
        registry,
        ReleaseInput("1.4.0", (artifact,), items=items),
        spec_name="shop",
        actor="carol",
        clock=clock,
    )
    for name in ("alice", "bob"):
        approve(registry, spec, "1.4.0", private_key(name), actor=name, clock=clock)
