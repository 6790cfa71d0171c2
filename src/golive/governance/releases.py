"""Releases and their ``golive.release-manifest/v1`` manifests.

A manifest names exactly what would go live: the artifacts by size and SHA-256,
the config delta, the rollout window, the rollback plan and the latest scorecard.
Its canonical JSON digest is what approvers sign, so any change to the release is
a new manifest revision with a new digest, and earlier approvals no longer count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import distinct, exists, func, select
from sqlalchemy.orm import Session, aliased

from golive.canonical import digest
from golive.errors import NotFoundError, UsageError
from golive.governance.store import add, document_of
from golive.registry.database import Registry
from golive.registry.governance import Release
from golive.registry.instants import Clock, as_utc, rfc3339, utc_now
from golive.registry.scorecards import StoredScorecard, latest_scorecard
from golive.sources._files import Match, sha256_file

MANIFEST_SCHEMA = "golive.release-manifest/v1"
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class FileRef:
    """A file described by its sender (the API gets no files): its name, size and SHA-256."""

    path: str
    size: int
    sha256: str


@dataclass(frozen=True)
class ReleaseInput:
    """What a person gives to create or amend a release."""

    version: str
    artifacts: tuple[Path | FileRef, ...]
    config_delta: Path | FileRef | None = None
    window: tuple[datetime, datetime] | None = None
    rollback_plan: Path | FileRef | None = None
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class StoredRelease:
    """One manifest revision of a release, as recorded."""

    version: str
    revision: int
    sha256: str
    spec_name: str
    recorded_at: datetime
    recorded_by: str
    manifest: dict[str, Any]

    @property
    def authors(self) -> frozenset[str]:
        """Who made this manifest: its creator and, after an amend, who amended it."""
        names = {self.manifest["creator"], self.manifest.get("amended_by")}
        return frozenset(n for n in names if n)


def file_entry(path: Path | FileRef, what: str) -> dict[str, Any]:
    """``{path, size, sha256}`` of a file named on the command line, or as described."""
    if isinstance(path, FileRef):
        if not path.path.strip() or "\x00" in path.path:
            raise UsageError(f"{what}: the path must be a non-empty name")
        if path.size < 0:
            raise UsageError(f"{what} {path.path}: size must be >= 0")
        if not _SHA256.fullmatch(path.sha256):
            raise UsageError(f"{what} {path.path}: sha256 must be 64 lowercase hex digits")
        return {"path": path.path, "size": path.size, "sha256": path.sha256}
    if not path.is_file():
        raise UsageError(f"{what} {path}: no such file")
    match = Match(path.as_posix(), path)
    return {"path": match.name, "size": path.stat().st_size, "sha256": sha256_file(match)}


def build_manifest(
    given: ReleaseInput,
    *,
    spec_name: str,
    revision: int,
    creator: str,
    created_at: datetime,
    scorecard: StoredScorecard | None,
    amended_by: str | None = None,
    previous: str | None = None,
) -> dict[str, Any]:
    """The ``golive.release-manifest/v1`` document for ``given``."""
    if not given.artifacts:
        raise UsageError("a release needs at least one --artifact FILE")
    artifacts = sorted(
        (file_entry(p, "--artifact") for p in given.artifacts), key=lambda a: a["path"]
    )
    names = [a["path"] for a in artifacts]
    if len(set(names)) != len(names):
        raise UsageError("an --artifact is named twice")
    window = None
    if given.window is not None:
        start, end = (as_utc(t, "window") for t in given.window)
        if end <= start:
            raise UsageError("--window: the end must come after the start")
        window = {"start": rfc3339(start), "end": rfc3339(end)}
    return {
        "schema": MANIFEST_SCHEMA,
        "version": given.version,
        "revision": revision,
        "previous": previous,
        "spec": spec_name,
        "creator": creator,
        "amended_by": amended_by,
        "created_at": rfc3339(created_at),
        "artifacts": artifacts,
        "config_delta": _optional(given.config_delta, "--config-delta"),
        "window": window,
        "rollback_plan": _optional(given.rollback_plan, "--rollback-plan"),
        "scorecard": None
        if scorecard is None
        else {"id": scorecard.id, "sha256": scorecard.sha256, "ready": scorecard.ready},
        "items": sorted(set(given.items)),
    }


def create_release(
    registry: Registry,
    given: ReleaseInput,
    *,
    spec_name: str,
    actor: str,
    clock: Clock = utc_now,
) -> StoredRelease:
    """Record revision 1 of a release; creating it again with other content is refused."""
    now = as_utc(clock(), "the clock's time")
    scorecard = latest_scorecard(registry, spec_name)
    with registry.write() as session:
        existing = _latest_row(session, given.version)
        if existing is not None:
            stored = _stored(existing)
            if _same_content(stored.manifest, given, spec_name, scorecard):
                return stored
            raise UsageError(
                f"release {given.version} already exists with other content (manifest "
                f"{existing.sha256[:16]}); use `golive release amend {given.version}` to "
                "make a new revision (earlier approvals will no longer count)"
            )
        manifest = build_manifest(
            given,
            spec_name=spec_name,
            revision=1,
            creator=actor,
            created_at=now,
            scorecard=scorecard,
        )
        return _record(session, manifest, actor, now)


def amend_release(
    registry: Registry,
    given: ReleaseInput,
    *,
    spec_name: str,
    actor: str,
    clock: Clock = utc_now,
) -> StoredRelease:
    """Record a new manifest revision; refused when nothing changed."""
    now = as_utc(clock(), "the clock's time")
    scorecard = latest_scorecard(registry, spec_name)
    with registry.write() as session:
        existing = _latest_row(session, given.version)
        if existing is None:
            raise _missing(given.version, registry)
        current = _stored(existing)
        if _same_content(current.manifest, given, spec_name, scorecard):
            raise UsageError(
                f"release {given.version} revision {current.revision} already has this content; "
                "nothing to amend"
            )
        manifest = build_manifest(
            given,
            spec_name=spec_name,
            revision=current.revision + 1,
            creator=current.manifest["creator"],
            created_at=now,
            scorecard=scorecard,
            amended_by=actor,
            previous=current.sha256,
        )
        return _record(session, manifest, actor, now)


def get_release(registry: Registry, version: str) -> StoredRelease:
    """The current (latest) manifest revision of ``version``."""
    with registry.read() as session:
        row = _latest_row(session, version)
        if row is None:
            raise _missing(version, registry)
        return _stored(row)


def list_releases(
    registry: Registry, *, limit: int, offset: int
) -> tuple[int, list[StoredRelease]]:
    """How many releases there are, and one page of their current manifests, newest first."""
    newer = aliased(Release)
    current = ~exists().where(newer.version == Release.version, newer.revision > Release.revision)
    with registry.read() as session:
        total = session.scalar(select(func.count(distinct(Release.version))))
        rows = session.scalars(
            select(Release).where(current).order_by(Release.id.desc()).limit(limit).offset(offset)
        ).all()
        return int(total or 0), [_stored(row) for row in rows]


def _record(session: Session, manifest: dict[str, Any], actor: str, now: datetime) -> StoredRelease:
    row = Release(
        version=manifest["version"], revision=manifest["revision"], spec_name=manifest["spec"]
    )
    add(
        session,
        row,
        manifest,
        entity="release",
        summary={"version": row.version, "revision": row.revision},
        actor=actor,
        at=now,
    )
    return _stored(row)


def _same_content(
    manifest: dict[str, Any],
    given: ReleaseInput,
    spec_name: str,
    scorecard: StoredScorecard | None,
) -> bool:
    """Whether ``given`` would make the same manifest, apart from who and when."""
    fresh = build_manifest(
        given,
        spec_name=spec_name,
        revision=manifest["revision"],
        creator=manifest["creator"],
        created_at=datetime.fromisoformat(manifest["created_at"]),
        scorecard=scorecard,
        amended_by=manifest.get("amended_by"),
        previous=manifest.get("previous"),
    )
    return digest(fresh) == digest(manifest)


def _latest_row(session: Session, version: str) -> Release | None:
    query = select(Release).where(Release.version == version)
    row: Release | None = session.scalar(query.order_by(Release.revision.desc()).limit(1))
    return row


def _stored(row: Release) -> StoredRelease:
    manifest = document_of(row, "release manifest")
    return StoredRelease(
        version=row.version,
        revision=row.revision,
        sha256=row.sha256,
        spec_name=row.spec_name,
        recorded_at=row.recorded_at,
        recorded_by=row.recorded_by,
        manifest=manifest,
    )


def _optional(path: Path | FileRef | None, what: str) -> dict[str, Any] | None:
    return None if path is None else file_entry(path, what)


def _missing(version: str, registry: Registry) -> NotFoundError:
    return NotFoundError(
        f"no release {version!r} in registry {registry.url}; create it with "
        f"`golive release create {version} --artifact FILE`"
    )
