"""Waivers: signing, the policy, expiry at its exact edge, and what the scorecard shows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from golive.engine.scorecard import CheckResult, Scorecard
from golive.errors import SignatureError, UsageError
from golive.governance.keys import load_private_key
from golive.governance.waivers import (
    ValidWaiver,
    apply_waivers,
    load_waivers,
    parse_expiry,
    verified_waiver,
    waive,
)
from golive.registry import Registry, verify_audit
from golive.spec.models import Spec
from tests.governance.conftest import GOVERNANCE, KEYS, T0, Clock, make_spec, private_key

CHECKS = """checks:
  - {id: perf.p95, source: s, measure: count, expect: ">= 1"}
  - {id: security.critical-high, source: s, measure: count, expect: "== 0"}
sources:
  s: {type: jsonl, path: s.log}
"""


@pytest.fixture
def spec() -> Spec:
    return make_spec(GOVERNANCE + CHECKS)


def _waive(registry: Registry, spec: Spec, clock: Clock, **kw: object) -> dict[str, object]:
    args: dict[str, object] = {
        "reason": "load test rig down",
        "expires_at": T0 + timedelta(days=7),
        "key": private_key("alice"),
        "release": None,
        "actor": "alice",
        "clock": clock,
    }
    args.update(kw)
    return waive(registry, spec, "perf.p95", **args)  # type: ignore[arg-type]


def _card(status: str = "fail") -> Scorecard:
    check = CheckResult(
        id="perf.p95",
        title=None,
        status=status,  # type: ignore[arg-type]
        required=True,
        weight=1,
        measure="count",
        observed=0,
        expect=">= 1",
        warn=None,
        message="0 is not >= 1",
    )
    return Scorecard("shop", "golive.yaml", "0" * 64, T0, (check,))


def test_a_signed_waiver_turns_the_failing_check_into_waived_and_names_itself(
    registry: Registry, spec: Spec, clock: Clock
) -> None:
    document = _waive(registry, spec, clock)
    valid, problems = load_waivers(registry, spec)
    assert problems == []
    assert [w.check_id for w in valid] == ["perf.p95"]
    card = apply_waivers(_card(), valid, T0 + timedelta(days=1))
    assert card.ready
    check = card.to_document()["checks"][0]
    assert check["status"] == "waived"
    assert check["waiver"] == {
        "id": valid[0].sha256,
        "approver": "alice",
        "reason": "load test rig down",
        "expires_at": "2025-12-25T00:00:00Z",
        "release": None,
    }
    assert check["message"].startswith("waived by alice until 2025-12-25T00:00:00Z")
    assert document["signature"]
    assert verify_audit(registry).ok


def test_a_check_without_a_waiver_has_no_waiver_key() -> None:
    assert "waiver" not in _card().to_document()["checks"][0]
    assert apply_waivers(_card("pass"), [], T0) == _card("pass")


def test_expiry_is_exact_and_an_expired_waiver_says_so(
    registry: Registry, spec: Spec, clock: Clock
) -> None:
    _waive(registry, spec, clock)
    valid, _ = load_waivers(registry, spec)
    expires = T0 + timedelta(days=7)
    just_before = apply_waivers(_card(), valid, expires - timedelta(microseconds=1))
    assert just_before.checks[0].status == "waived"
    at_expiry = apply_waivers(_card(), valid, expires)
    assert at_expiry.checks[0].status == "fail"
    assert at_expiry.checks[0].waiver is None
    assert at_expiry.checks[0].message == (
        f"0 is not >= 1; waiver {valid[0].sha256[:16]} by alice expired at "
        "2025-12-25T00:00:00Z and is not applied"
    )
    assert not at_expiry.ready


def test_max_days_is_an_inclusive_limit(registry: Registry, spec: Spec, clock: Clock) -> None:
    _waive(registry, spec, clock, expires_at=T0 + timedelta(days=30))
    with pytest.raises(UsageError, match=r"longer than governance.waivers.max_days \(30 days"):
        _waive(registry, spec, clock, expires_at=T0 + timedelta(days=30, seconds=1))
    with pytest.raises(UsageError, match="not after its signing"):
        _waive(registry, spec, clock, expires_at=T0)


def test_never_checks_strangers_and_unknown_checks_are_refused(
    registry: Registry, spec: Spec, clock: Clock
) -> None:
    with pytest.raises(UsageError, match=r"in governance\.waivers\.never and can never be waived"):
        waive(
            registry,
            spec,
            "security.critical-high",
            reason="r",
            expires_at=T0 + timedelta(days=1),
            key=private_key("alice"),
            release=None,
            actor="alice",
            clock=clock,
        )
    with pytest.raises(UsageError, match=r"has no check 'nope'; waive one of: perf\.p95"):
        waive(
            registry,
            spec,
            "nope",
            reason="r",
            expires_at=T0 + timedelta(days=1),
            key=private_key("alice"),
            release=None,
            actor="alice",
            clock=clock,
        )
    dave = load_private_key(KEYS / "dave_ed25519_encrypted", lambda: "correct horse")
    with pytest.raises(SignatureError, match=r"a waiver must be signed by a designated approver"):
        _waive(registry, spec, clock, key=dave)
    assert load_waivers(registry, spec) == ([], [])


def test_an_edited_waiver_no_longer_verifies(registry: Registry, spec: Spec, clock: Clock) -> None:
    document = _waive(registry, spec, clock)
    longer = {**document, "expires_at": "2026-01-10T00:00:00Z"}
    with pytest.raises(SignatureError, match="golive-waiver-v1 signature does not verify"):
        verified_waiver("f" * 64, longer, spec.governance)  # type: ignore[arg-type]
    # A waiver whose check the spec later puts in `never` stops counting.
    stricter = make_spec(GOVERNANCE.replace("never: [", "never: [perf.p95, ") + CHECKS)
    valid, problems = load_waivers(registry, stricter)
    assert valid == []
    assert "can never be waived" in problems[0]


def test_the_longest_active_waiver_is_named() -> None:
    def waiver(days: int) -> ValidWaiver:
        return ValidWaiver(
            str(days) * 64, "perf.p95", None, "r", "bob", T0, T0 + timedelta(days=days)
        )

    card = apply_waivers(_card(), [waiver(1), waiver(3), waiver(2)], T0)
    assert card.checks[0].waiver is not None
    assert card.checks[0].waiver["id"] == "3" * 64


def test_parse_expiry() -> None:
    assert parse_expiry("2026-01-31") == datetime(2026, 1, 31, tzinfo=UTC)
    assert parse_expiry("2026-01-31T12:00:00+01:00") == datetime(2026, 1, 31, 11, tzinfo=UTC)
    with pytest.raises(UsageError, match="expected a date such as 2026-01-31"):
        parse_expiry("next friday")
    with pytest.raises(UsageError, match="expected a date"):
        parse_expiry("2026-01-31T12:00:00")
