"""Signed approvals of a release manifest, and the rules that decide which ones count.

An approval is an Ed25519 signature over ``golive-approval-v1:<manifest sha256>``.
It counts only when the key is one of ``governance.approvers`` (whatever name was
typed), the signature verifies over the *current* manifest, the approver is not
one of the release's authors (``distinct_from_creator``) and has not approved it
already. Names are labels; keys are what is trusted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from golive.errors import GoliveError, SignatureError, UsageError
from golive.governance.keys import APPROVAL, PublicKey, SigningKey, load_public_key, sign, verify
from golive.governance.releases import StoredRelease, get_release
from golive.governance.store import add, document_of
from golive.registry.database import Registry
from golive.registry.governance import Approval
from golive.registry.instants import Clock, as_utc, rfc3339, utc_now
from golive.spec.governance import Governance
from golive.spec.models import Spec

APPROVAL_SCHEMA = "golive.approval/v1"


@dataclass(frozen=True)
class Approver:
    """A designated approver: a name from the spec and the key that speaks for it."""

    name: str
    key: PublicKey


@dataclass(frozen=True)
class ApprovalCheck:
    """One recorded approval and whether it counts, with the reason when it does not."""

    approver: str
    fingerprint: str
    signed_at: str
    counts: bool
    reason: str


@dataclass(frozen=True)
class ApprovalTally:
    """Every approval of a release judged against the current manifest and the policy."""

    required: int
    checks: tuple[ApprovalCheck, ...]

    @property
    def valid(self) -> int:
        """How many approvals count."""
        return sum(1 for c in self.checks if c.counts)

    @property
    def ok(self) -> bool:
        """Whether enough approvals count."""
        return self.valid >= self.required


def governance_of(spec: Spec) -> Governance:
    """The spec's governance section; a spec without one cannot approve or gate."""
    if spec.governance is None:
        raise UsageError(
            f"spec {spec.name!r} has no governance section; add governance.approvers "
            "and the rules (see docs/governance.md)"
        )
    return spec.governance


def approvers_of(governance: Governance) -> dict[str, Approver]:
    """The designated approvers by key fingerprint."""
    found: dict[str, Approver] = {}
    for name, line in governance.approvers.items():
        key = load_public_key(line, f"governance.approvers.{name}")
        if key.fingerprint in found:
            raise UsageError(
                f"governance.approvers: {found[key.fingerprint].name!r} and {name!r} have the "
                "same key; each approver needs their own"
            )
        found[key.fingerprint] = Approver(name, key)
    return found


def approver_for(governance: Governance, key: PublicKey, what: str) -> Approver:
    """The approver whose key ``key`` is, or a ``SignatureError`` saying it is none of them."""
    approver = approvers_of(governance).get(key.fingerprint)
    if approver is None:
        names = ", ".join(governance.approvers) or "none"
        raise SignatureError(
            f"key {key.fingerprint} is not one of governance.approvers ({names}); "
            f"{what} must be signed by a designated approver's key"
        )
    return approver


def approve(
    registry: Registry,
    spec: Spec,
    version: str,
    key: SigningKey,
    *,
    actor: str,
    clock: Clock = utc_now,
) -> dict[str, Any]:
    """Sign the current manifest of ``version`` and record the approval; refuse one that would
    not count."""
    release = get_release(registry, version)
    signature = sign(key, APPROVAL, release.sha256)
    return record_approval(
        registry,
        spec,
        version,
        key.public,
        signature,
        manifest_sha256=release.sha256,
        actor=actor,
        clock=clock,
    )


def record_approval(
    registry: Registry,
    spec: Spec,
    version: str,
    public: PublicKey,
    signature: str,
    *,
    manifest_sha256: str,
    actor: str,
    clock: Clock = utc_now,
) -> dict[str, Any]:
    """Record an approval signed elsewhere (the API never holds private keys), once its
    signature verifies over the current manifest; refuse one that would not count."""
    governance = governance_of(spec)
    approver = approver_for(governance, public, "an approval")
    now = as_utc(clock(), "the clock's time")
    release = get_release(registry, version)
    if manifest_sha256 != release.sha256:
        raise SignatureError(
            f"manifest_sha256: {manifest_sha256!r} is not the current manifest of release "
            f"{version} (revision {release.revision}, {release.sha256}); sign that one"
        )
    verify(public, APPROVAL, release.sha256, signature)
    if governance.approvals.distinct_from_creator and approver.name in release.authors:
        raise SignatureError(
            f"{approver.name} made release {version}; an approval by its creator does not "
            "count (governance.approvals.distinct_from_creator)"
        )
    with registry.write() as session:
        for existing in _rows(session, version):
            if existing.manifest_sha256 == release.sha256 and existing.approver == approver.name:
                raise UsageError(
                    f"{approver.name} already approved release {version} revision "
                    f"{release.revision}; an approver counts once"
                )
        document = {
            "schema": APPROVAL_SCHEMA,
            "release": version,
            "revision": release.revision,
            "manifest_sha256": release.sha256,
            "approver": approver.name,
            "key_fingerprint": public.fingerprint,
            "signature": signature,
            "signed_at": rfc3339(now),
        }
        row = Approval(version=version, manifest_sha256=release.sha256, approver=approver.name)
        add(
            session,
            row,
            document,
            entity="approval",
            summary={"release": version, "revision": release.revision, "approver": approver.name},
            actor=actor,
            at=now,
        )
    return document


def list_approvals(registry: Registry, version: str) -> list[dict[str, Any]]:
    """Every approval recorded for ``version``, in the order they were recorded."""
    with registry.read() as session:
        return [document_of(row, "approval") for row in _rows(session, version)]


def tally(
    release: StoredRelease, approvals: list[dict[str, Any]], governance: Governance
) -> ApprovalTally:
    """Judge each approval of ``release`` against its current manifest and the policy."""
    approvers = approvers_of(governance)
    counted: set[str] = set()
    checks = []
    for approval in approvals:
        reason = _why_not(approval, release, approvers, governance, counted)
        approver = approvers.get(approval.get("key_fingerprint", ""))
        if reason is None and approver is not None:
            counted.add(approver.name)
        checks.append(
            ApprovalCheck(
                approver=str(approval.get("approver")),
                fingerprint=str(approval.get("key_fingerprint")),
                signed_at=str(approval.get("signed_at")),
                counts=reason is None,
                reason=reason or f"valid signature over manifest {release.sha256[:16]}",
            )
        )
    return ApprovalTally(governance.approvals.min, tuple(checks))


def current_tally(registry: Registry, spec: Spec, version: str) -> ApprovalTally:
    """The tally of ``version``'s approvals as they stand now."""
    release = get_release(registry, version)
    return tally(release, list_approvals(registry, version), governance_of(spec))


def _why_not(
    approval: dict[str, Any],
    release: StoredRelease,
    approvers: dict[str, Approver],
    governance: Governance,
    counted: set[str],
) -> str | None:
    if approval.get("manifest_sha256") != release.sha256:
        return (
            f"signed revision {approval.get('revision')}'s manifest, not the current "
            f"revision {release.revision}: the release changed after it was approved"
        )
    approver = approvers.get(approval.get("key_fingerprint", ""))
    if approver is None:
        return f"key {approval.get('key_fingerprint')} is not one of governance.approvers"
    try:
        verify(approver.key, APPROVAL, release.sha256, str(approval.get("signature", "")))
    except GoliveError as exc:
        return str(exc)
    if governance.approvals.distinct_from_creator and approver.name in release.authors:
        return f"{approver.name} made the release; the creator's approval does not count"
    if approver.name in counted:
        return f"{approver.name} already approved this manifest; an approver counts once"
    return None


def _rows(session: Session, version: str) -> list[Approval]:
    query = select(Approval).where(Approval.version == version).order_by(Approval.id)
    return list(session.scalars(query))
