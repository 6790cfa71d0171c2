"""The release collector: a release's governance record, bundled beside its scorecard.

``golive bundle create --release VERSION`` (and ``golive signoff``) add, under ``release/``:
the current manifest and the gate decision as their canonical JSON (so each member's
original sha256 is its registry identity), the approvals with their verification status,
the waivers in force, the rollback rehearsals within ``governance.rehearsal.max_age``,
and the incidents of the release's window with their postmortems. Everything is read
from the registry as of the gate decision's instant; without a recorded decision there is
nothing to bundle (fail closed). The release artifacts become in-toto subjects.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, BinaryIO

from golive.canonical import canonical_json, digest
from golive.errors import NotFoundError
from golive.governance.approvals import current_tally, governance_of, list_approvals
from golive.governance.gate import recorded_decisions
from golive.governance.incidents import Incident, latest_postmortem, list_incidents
from golive.governance.rehearsals import rehearsals_until
from golive.governance.releases import StoredRelease, get_release
from golive.governance.waivers import load_waivers
from golive.proof.collectors import BundleInputs, Collected, Collector, Member
from golive.proof.provenance import subject
from golive.registry.database import Registry
from golive.registry.instants import parse_rfc3339, rfc3339
from golive.spec.models import Spec

MANIFEST_MEMBER = "release/manifest.json"
DECISION_MEMBER = "release/gate-decision.json"
APPROVALS_MEMBER = "release/approvals.json"
WAIVERS_MEMBER = "release/waivers.json"
REHEARSALS_MEMBER = "release/rehearsals.json"
INCIDENTS_MEMBER = "release/incidents.json"
RELEASE_MEMBERS = (
    MANIFEST_MEMBER,
    DECISION_MEMBER,
    APPROVALS_MEMBER,
    WAIVERS_MEMBER,
    REHEARSALS_MEMBER,
    INCIDENTS_MEMBER,
)


def latest_decision(registry: Registry, version: str) -> tuple[str, dict[str, Any]]:
    """The last gate decision recorded for ``version`` and its sha256."""
    decisions = recorded_decisions(registry, version)
    if not decisions:
        raise NotFoundError(
            f"no gate decision recorded for release {version} in registry {registry.url}; "
            f"run `golive gate {version}` first"
        )
    return decisions[-1]


def release_collector(
    registry: Registry, spec: Spec, version: str, decision: tuple[str, dict[str, Any]]
) -> Collector:
    """A collector of ``version``'s record as of ``decision`` (read now, bundled later)."""
    decision_sha256, document = decision
    at = parse_rfc3339(document["decided_at"], "decided_at")
    release = get_release(registry, version)
    governance = governance_of(spec)
    approvals = _approvals(registry, spec, version)
    waivers = _waivers(registry, spec, version, at)
    since = at - timedelta(seconds=governance.rehearsal.max_age.seconds)
    rehearsals = [
        r
        for r in rehearsals_until(registry, at)
        if parse_rfc3339(r["performed_at"], "performed_at") >= since
    ]
    incidents = [i for i in list_incidents(registry) if _in_window(i, release, at)]
    postmortems = {i.id: latest_postmortem(registry, i.id) for i in incidents}
    origin = f"golive:release:{version}"

    def collect(inputs: BundleInputs) -> Collected:
        members = [
            _canonical(MANIFEST_MEMBER, "release", f"{origin}#{release.revision}", release),
            _document(
                DECISION_MEMBER,
                "gate-decision",
                f"golive:gate-decision:{decision_sha256}",
                canonical_json(document),
                decision_sha256,
            ),
            _listing(APPROVALS_MEMBER, "approvals", f"{origin}/approvals", approvals),
            _listing(WAIVERS_MEMBER, "waivers", f"golive:waivers:{spec.name}", waivers),
            _listing(REHEARSALS_MEMBER, "rehearsals", "golive:rehearsals", rehearsals),
            _listing(
                INCIDENTS_MEMBER,
                "incidents",
                "golive:incidents",
                [_incident(i, postmortems[i.id] is not None) for i in incidents],
            ),
        ]
        members += [
            _document(
                _postmortem_path(incident),
                "postmortem",
                f"golive:incident:{incident}",
                markdown.encode("utf-8"),
            )
            for incident, markdown in postmortems.items()
            if markdown is not None
        ]
        predicate = {
            "gate": {
                "sha256": decision_sha256,
                "allowed": document["allowed"],
                "decided_at": document["decided_at"],
                "trace_id": document["trace_id"],
            },
            "release": {
                "version": version,
                "revision": release.revision,
                "manifest_sha256": release.sha256,
            },
        }
        subjects = [subject(a["path"], a["sha256"]) for a in release.manifest["artifacts"]]
        return Collected(members=members, subjects=subjects, predicate=predicate)

    return collect


def _approvals(registry: Registry, spec: Spec, version: str) -> list[dict[str, Any]]:
    """Each approval with whether it counts against the current manifest, and why."""
    documents = list_approvals(registry, version)
    checks = current_tally(registry, spec, version).checks
    return [
        {
            "approver": check.approver,
            "fingerprint": check.fingerprint,
            "signed_at": check.signed_at,
            "verified": check.counts,
            "reason": check.reason,
            "sha256": digest(approval),
        }
        for approval, check in zip(documents, checks, strict=True)
    ]


def _waivers(registry: Registry, spec: Spec, version: str, at: datetime) -> list[dict[str, Any]]:
    """The waivers that verify, are unexpired at ``at`` and apply to ``version``."""
    valid, _ = load_waivers(registry, spec)
    return [
        {**w.reference(), "check_id": w.check_id, "created_at": rfc3339(w.created_at)}
        for w in valid
        if w.active(at) and w.release in (None, version)
    ]


def _in_window(incident: Incident, release: StoredRelease, at: datetime) -> bool:
    """Opened by ``at``; with a release window, open at some time inside it."""
    if incident.opened_at > at:
        return False
    window = release.manifest.get("window")
    if window is None:
        return True
    start = parse_rfc3339(window["start"], "window.start")
    end = parse_rfc3339(window["end"], "window.end")
    return incident.opened_at <= end and (
        incident.resolved_at is None or incident.resolved_at >= start
    )


def _postmortem_path(incident: str) -> str:
    return f"release/postmortems/{incident}.md"


def _incident(incident: Incident, has_postmortem: bool) -> dict[str, Any]:
    def instant(value: datetime | None) -> str | None:
        return None if value is None else rfc3339(value)

    return {
        "id": incident.id,
        "title": incident.title,
        "severity": incident.severity,
        "commander": incident.commander,
        "opened_at": instant(incident.opened_at),
        "resolved_at": instant(incident.resolved_at),
        "postmortem_at": instant(incident.postmortem_at),
        "postmortem": _postmortem_path(incident.id) if has_postmortem else None,
        "timeline": list(incident.timeline),
    }


def _canonical(path: str, kind: str, origin: str, release: StoredRelease) -> Member:
    return _document(path, kind, origin, canonical_json(release.manifest), release.sha256)


def _listing(path: str, kind: str, origin: str, rows: list[dict[str, Any]]) -> Member:
    data = (json.dumps(rows, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()
    return _document(path, kind, origin, data)


def _document(
    path: str, kind: str, origin: str, data: bytes, expected: str | None = None
) -> Member:
    return Member(path, kind, origin, _reader(data), expected_sha256=expected)


def _reader(data: bytes) -> Callable[[], BinaryIO]:
    return lambda: io.BytesIO(data)
