"""Releases and their manifests: record one, list them, fetch one with what the gate judges."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from golive.api.auth import actor_of, registry_of, require
from golive.api.governance_schemas import (
    ApprovalOut,
    FileRefIn,
    ReleaseCreate,
    ReleaseDetail,
    ReleaseOut,
    ReleasePage,
)
from golive.errors import NotFoundError
from golive.governance.approvals import list_approvals
from golive.governance.gate import latest_decision
from golive.governance.rehearsals import list_rehearsals
from golive.governance.releases import (
    FileRef,
    ReleaseInput,
    StoredRelease,
    create_release,
    get_release,
    list_releases,
)
from golive.governance.waivers import list_waivers
from golive.registry import Registry
from golive.registry.instants import parse_rfc3339, rfc3339
from golive.registry.tokens import Role, TokenInfo

router = APIRouter(prefix="/releases", tags=["releases"])
MAX_PAGE = 500
MAX_OFFSET = 2**31 - 1
# The fetch shows the latest drills; the gate looks only at the latest rollback_ok one.
REHEARSALS_SHOWN = 10
VERSION = Path(description="The release version, such as 1.4.0.", pattern=r"^[^\x00]+$")


@router.post("", status_code=201, response_model=ReleaseOut)
def create(
    body: ReleaseCreate,
    request: Request,
    response: Response,
    registry: Registry = Depends(registry_of),
    token: TokenInfo = Depends(require(Role.ENGINEER)),
) -> ReleaseOut:
    """Record release revision 1 and its manifest; 200 when the same content is recorded."""
    given = ReleaseInput(
        version=body.version,
        artifacts=tuple(_ref(a) for a in body.artifacts),
        config_delta=None if body.config_delta is None else _ref(body.config_delta),
        window=None if body.window is None else _window(body.window.start, body.window.end),
        rollback_plan=None if body.rollback_plan is None else _ref(body.rollback_plan),
        items=tuple(body.items),
    )
    existed = _exists(registry, body.version)
    stored = create_release(registry, given, spec_name=body.spec_name, actor=actor_of(token))
    if existed:
        response.status_code = 200
    response.headers["Location"] = f"{request.url.path}/{quote(stored.version, safe='')}"
    return release_out(stored)


@router.get("", response_model=ReleasePage)
def listing(
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    registry: Registry = Depends(registry_of),
    _token: TokenInfo = Depends(require(Role.VIEWER)),
) -> ReleasePage:
    """Releases (their current manifest revision), newest first, one page at a time."""
    total, page = list_releases(registry, limit=limit, offset=offset)
    return ReleasePage(
        total=total, limit=limit, offset=offset, items=[release_out(s) for s in page]
    )


@router.get("/{version}", response_model=ReleaseDetail)
def fetch(
    version: Annotated[str, VERSION],
    registry: Registry = Depends(registry_of),
    _token: TokenInfo = Depends(require(Role.VIEWER)),
) -> ReleaseDetail:
    """The current manifest, its approvals, the spec's waivers, recent rehearsals and the
    latest gate decision."""
    stored = get_release(registry, version)
    return ReleaseDetail(
        release=release_out(stored),
        approvals=[_approval(stored, a) for a in list_approvals(registry, version)],
        waivers=list_waivers(registry, stored.spec_name),
        rehearsals=list_rehearsals(registry, limit=REHEARSALS_SHOWN),
        gate=latest_decision(registry, version),
    )


def release_out(stored: StoredRelease) -> ReleaseOut:
    """The answer for one manifest revision."""
    return ReleaseOut(
        version=stored.version,
        revision=stored.revision,
        sha256=stored.sha256,
        spec_name=stored.spec_name,
        recorded_at=rfc3339(stored.recorded_at),
        recorded_by=stored.recorded_by,
        manifest=stored.manifest,
    )


def _approval(release: StoredRelease, document: dict[str, object]) -> ApprovalOut:
    # Only approvals whose signature verified are ever recorded (CLI and API alike); whether
    # the approver's key is still designated is judged against the spec by the gate.
    if document.get("manifest_sha256") == release.sha256:
        return ApprovalOut(
            document=document,
            current=True,
            state=f"signature verified over the current manifest {release.sha256[:16]}",
        )
    return ApprovalOut(
        document=document,
        current=False,
        state=f"signed revision {document.get('revision')}'s manifest, not the current "
        f"revision {release.revision}: it no longer counts",
    )


def _ref(given: FileRefIn) -> FileRef:
    return FileRef(given.path, given.size, given.sha256)


def _window(start: str, end: str) -> tuple[datetime, datetime]:
    return parse_rfc3339(start, "window.start"), parse_rfc3339(end, "window.end")


def _exists(registry: Registry, version: str) -> bool:
    try:
        get_release(registry, version)
    except NotFoundError:
        return False
    return True
