"""Approvals: who may sign, what a signature covers, and which ones count."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from golive.errors import SignatureError, UsageError
from golive.governance.approvals import approve, current_tally, list_approvals, tally
from golive.governance.keys import APPROVAL, WAIVER, sign
from golive.governance.releases import ReleaseInput, amend_release, create_release, get_release
from golive.registry import Registry, verify_audit
from golive.spec.models import Spec
from tests.governance.conftest import KEYS, Clock, make_spec, private_key


@pytest.fixture
def release(registry: Registry, clock: Clock, artifact: Path) -> ReleaseInput:
    given = ReleaseInput("1.4.0", (artifact,))
    create_release(registry, given, spec_name="shop", actor="carol", clock=clock)
    return given


def test_two_approvers_make_the_release_approved(
    registry: Registry, spec: Spec, clock: Clock, release: ReleaseInput
) -> None:
    approve(registry, spec, "1.4.0", private_key("alice"), actor="alice", clock=clock)
    assert not current_tally(registry, spec, "1.4.0").ok
    approve(registry, spec, "1.4.0", private_key("bob"), actor="whoever", clock=clock)
    result = current_tally(registry, spec, "1.4.0")
    assert (result.ok, result.valid, result.required) == (True, 2, 2)
    assert [c.approver for c in result.checks] == ["alice", "bob"]
    assert verify_audit(registry).ok


def test_the_creator_a_stranger_and_a_second_signature_are_refused(
    registry: Registry, spec: Spec, clock: Clock, release: ReleaseInput
) -> None:
    with pytest.raises(SignatureError, match=r"carol made release 1\.4\.0; an approval by its"):
        approve(registry, spec, "1.4.0", private_key("carol"), actor="carol", clock=clock)
    from golive.governance.keys import load_private_key

    dave = load_private_key(KEYS / "dave_ed25519_encrypted", lambda: "correct horse")
    with pytest.raises(SignatureError, match=r"is not one of governance.approvers \(alice, bob"):
        approve(registry, spec, "1.4.0", dave, actor="alice", clock=clock)
    approve(registry, spec, "1.4.0", private_key("alice"), actor="alice", clock=clock)
    with pytest.raises(UsageError, match=r"alice already approved release 1\.4\.0 revision 1"):
        approve(registry, spec, "1.4.0", private_key("alice"), actor="alice", clock=clock)


def test_amending_the_release_voids_earlier_approvals(
    registry: Registry, spec: Spec, clock: Clock, release: ReleaseInput, artifact: Path
) -> None:
    approve(registry, spec, "1.4.0", private_key("alice"), actor="alice", clock=clock)
    approve(registry, spec, "1.4.0", private_key("bob"), actor="bob", clock=clock)
    artifact.write_bytes(b"changed after approval\n")
    amend_release(registry, release, spec_name="shop", actor="carol", clock=clock)
    result = current_tally(registry, spec, "1.4.0")
    assert result.valid == 0
    assert "the release changed after it was approved" in result.checks[0].reason
    approve(registry, spec, "1.4.0", private_key("alice"), actor="alice", clock=clock)
    assert current_tally(registry, spec, "1.4.0").valid == 1


def test_forged_and_replayed_records_do_not_count(
    registry: Registry, spec: Spec, clock: Clock, release: ReleaseInput
) -> None:
    good = approve(registry, spec, "1.4.0", private_key("alice"), actor="alice", clock=clock)
    current = get_release(registry, "1.4.0")
    # A name typed over someone else's signature: the key decides, not the label.
    renamed = {**copy.deepcopy(good), "approver": "bob"}
    # Bob's key signing the same digest for another purpose (a waiver) is not an approval.
    replayed = {
        **good,
        "approver": "bob",
        "key_fingerprint": private_key("bob").public.fingerprint,
        "signature": sign(private_key("bob"), WAIVER, current.sha256),
    }
    # A signature by a key that is not an approver, claiming to be one.
    stranger = {**good, "key_fingerprint": "SHA256:nope"}
    result = tally(current, [good, renamed, replayed, stranger], spec.governance)  # type: ignore[arg-type]
    assert [c.counts for c in result.checks] == [True, False, False, False]
    assert "alice already approved this manifest" in result.checks[1].reason
    assert "golive-approval-v1 signature does not verify" in result.checks[2].reason
    assert "is not one of governance.approvers" in result.checks[3].reason
    assert sign(private_key("bob"), APPROVAL, current.sha256) != replayed["signature"]


def test_creator_approval_counts_when_the_policy_allows_it(
    registry: Registry, clock: Clock, release: ReleaseInput
) -> None:
    from tests.governance.conftest import GOVERNANCE

    relaxed = make_spec(
        GOVERNANCE.replace("distinct_from_creator: true", "distinct_from_creator: false")
    )
    approve(registry, relaxed, "1.4.0", private_key("carol"), actor="carol", clock=clock)
    assert current_tally(registry, relaxed, "1.4.0").valid == 1
    assert len(list_approvals(registry, "1.4.0")) == 1
    strict = make_spec()
    assert current_tally(registry, strict, "1.4.0").valid == 0


def test_a_spec_without_governance_cannot_approve(
    registry: Registry, clock: Clock, release: ReleaseInput
) -> None:
    with pytest.raises(UsageError, match="has no governance section"):
        approve(registry, make_spec(""), "1.4.0", private_key("alice"), actor="a", clock=clock)
