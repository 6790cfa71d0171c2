"""Releases: manifests, re-creation, amendments."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from golive.canonical import digest
from golive.errors import NotFoundError, UsageError
from golive.governance.releases import (
    MANIFEST_SCHEMA,
    ReleaseInput,
    amend_release,
    create_release,
    get_release,
    list_releases,
)
from golive.registry import Registry, record_scorecard, verify_audit
from tests.governance.conftest import Clock

SCORECARD = {
    "schema": "golive.scorecard/v1",
    "spec": {"name": "shop", "path": "golive.yaml", "sha256": "0" * 64},
    "evaluated_at": "2025-12-17T23:00:00Z",
    "ready": True,
    "score": 1.0,
    "summary": {"pass": 1, "warn": 0, "fail": 0, "no_data": 0, "error": 0, "waived": 0},
    "checks": [{"id": "a", "status": "pass", "required": True, "observed": 1}],
}


def test_create_records_the_manifest_as_the_issue_lists(
    registry: Registry, clock: Clock, artifact: Path, tmp_path: Path
) -> None:
    card = record_scorecard(registry, SCORECARD, actor="ci", clock=clock)
    plan = tmp_path / "rollback.md"
    plan.write_text("revert the deploy\n")
    given = ReleaseInput(
        "1.4.0",
        (artifact,),
        rollback_plan=plan,
        window=(datetime(2025, 12, 19, 8, tzinfo=UTC), datetime(2025, 12, 19, 10, tzinfo=UTC)),
        items=("UC-001",),
    )
    release = create_release(registry, given, spec_name="shop", actor="dave", clock=clock)
    manifest = release.manifest
    assert manifest["schema"] == MANIFEST_SCHEMA
    assert (manifest["version"], manifest["revision"], manifest["creator"]) == ("1.4.0", 1, "dave")
    assert manifest["created_at"] == "2025-12-18T00:00:00Z"
    assert manifest["artifacts"] == [
        {
            "path": artifact.as_posix(),
            "size": 12,
            "sha256": hashlib.sha256(b"wheel bytes\n").hexdigest(),
        }
    ]
    assert manifest["rollback_plan"]["size"] == len("revert the deploy\n")
    assert manifest["config_delta"] is None
    assert manifest["window"] == {"start": "2025-12-19T08:00:00Z", "end": "2025-12-19T10:00:00Z"}
    assert manifest["scorecard"] == {"id": card.id, "sha256": card.sha256, "ready": True}
    assert manifest["items"] == ["UC-001"]
    assert release.sha256 == digest(manifest)
    assert get_release(registry, "1.4.0") == release
    assert verify_audit(registry).entries == 2


def test_recreating_the_same_release_is_a_no_op_and_other_content_is_refused(
    registry: Registry, clock: Clock, artifact: Path
) -> None:
    given = ReleaseInput("1.4.0", (artifact,))
    first = create_release(registry, given, spec_name="shop", actor="dave", clock=clock)
    clock.advance(hours=1)
    assert create_release(registry, given, spec_name="shop", actor="dave", clock=clock) == first
    artifact.write_bytes(b"other bytes\n")
    with pytest.raises(UsageError, match=r"already exists with other content .* release amend"):
        create_release(registry, given, spec_name="shop", actor="dave", clock=clock)
    assert verify_audit(registry).entries == 1


def test_amend_makes_a_new_revision_linked_to_the_previous(
    registry: Registry, clock: Clock, artifact: Path
) -> None:
    given = ReleaseInput("1.4.0", (artifact,))
    first = create_release(registry, given, spec_name="shop", actor="dave", clock=clock)
    with pytest.raises(UsageError, match="nothing to amend"):
        amend_release(registry, given, spec_name="shop", actor="erin", clock=clock)
    artifact.write_bytes(b"patched\n")
    second = amend_release(registry, given, spec_name="shop", actor="erin", clock=clock)
    assert second.revision == 2
    assert second.manifest["previous"] == first.sha256
    assert second.authors == {"dave", "erin"}
    assert get_release(registry, "1.4.0").sha256 == second.sha256


def test_unknown_release_and_bad_input(registry: Registry, clock: Clock, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match=r"no release '9\.9' in registry"):
        get_release(registry, "9.9")
    with pytest.raises(UsageError, match=r"--artifact .*missing\.whl: no such file"):
        create_release(
            registry,
            ReleaseInput("1", (tmp_path / "missing.whl",)),
            spec_name="shop",
            actor="dave",
            clock=clock,
        )
    with pytest.raises(UsageError, match="at least one --artifact"):
        create_release(registry, ReleaseInput("1", ()), spec_name="shop", actor="d", clock=clock)


def test_list_releases_gives_each_current_revision_newest_first(
    registry: Registry, clock: Clock, artifact: Path
) -> None:
    assert list_releases(registry, limit=10, offset=0) == (0, [])
    given = ReleaseInput("1.4.0", (artifact,))
    create_release(registry, given, spec_name="shop", actor="dave", clock=clock)
    other = create_release(
        registry, ReleaseInput("1.5.0", (artifact,)), spec_name="shop", actor="dave", clock=clock
    )
    artifact.write_bytes(b"patched\n")
    amended = amend_release(registry, given, spec_name="shop", actor="erin", clock=clock)
    total, shown = list_releases(registry, limit=10, offset=0)
    assert total == 2
    assert [(r.version, r.revision, r.sha256) for r in shown] == [
        ("1.4.0", 2, amended.sha256),
        ("1.5.0", 1, other.sha256),
    ]
    assert list_releases(registry, limit=1, offset=1) == (2, [shown[1]])
