"""API tokens in the registry: only hashes kept, revocation, names, audit entries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from sqlalchemy import select, text

from golive.errors import NotFoundError, UsageError
from golive.registry import Registry, verify_audit
from golive.registry.models import AuditLog
from golive.registry.tokens import (
    ApiToken,
    Role,
    authenticate,
    create_token,
    list_tokens,
    parse_role,
    revoke_token,
    token_sha256,
)


def test_create_keeps_only_the_hash(registry: Registry, clock: Callable[[], datetime]) -> None:
    created = create_token(registry, "ci-upload", Role.ENGINEER, actor="carol", clock=clock)
    assert created.token.startswith("glv_")
    assert len(created.token) == 4 + 43
    with registry.read() as session:
        row = session.scalar(select(ApiToken))
        assert row is not None
        assert row.sha256 == token_sha256(created.token)
        dumped = " ".join(str(v) for v in session.execute(text("SELECT * FROM api_tokens")).one())
    assert created.token not in dumped
    assert created.info.created_at == clock()


def test_two_tokens_differ(registry: Registry) -> None:
    first = create_token(registry, "a", Role.VIEWER, actor="carol").token
    second = create_token(registry, "b", Role.VIEWER, actor="carol").token
    assert first != second


def test_authenticate_finds_live_tokens_only(registry: Registry) -> None:
    token = create_token(registry, "ci", Role.APPROVER, actor="carol").token
    found = authenticate(registry, token)
    assert found is not None
    assert (found.name, found.role) == ("ci", Role.APPROVER)
    assert authenticate(registry, token + "x") is None
    revoke_token(registry, "ci", actor="dave")
    assert authenticate(registry, token) is None


def test_revoked_names_are_listed_and_never_reused(registry: Registry) -> None:
    create_token(registry, "ci", Role.VIEWER, actor="carol")
    revoke_token(registry, "ci", actor="dave")
    [info] = list_tokens(registry)
    assert (info.name, info.revoked_by) == ("ci", "dave")
    assert info.revoked_at is not None
    with pytest.raises(UsageError, match=r"a token named 'ci' already exists \(names are never"):
        create_token(registry, "ci", Role.VIEWER, actor="carol")
    with pytest.raises(UsageError, match=r"token 'ci' is already revoked"):
        revoke_token(registry, "ci", actor="dave")


def test_revoke_unknown_token(registry: Registry) -> None:
    with pytest.raises(NotFoundError, match=r"no token named 'ghost' in registry .*golive token"):
        revoke_token(registry, "ghost", actor="dave")


@pytest.mark.parametrize("name", ["", "-leading-dash", "has space", "x" * 65, "é"])
def test_bad_names_are_refused(registry: Registry, name: str) -> None:
    with pytest.raises(UsageError, match=r"invalid token name .* letters, digits"):
        create_token(registry, name, Role.VIEWER, actor="carol")
    assert list_tokens(registry) == []


def test_roles_are_ordered() -> None:
    assert Role.ADMIN.allows(Role.APPROVER)
    assert Role.APPROVER.allows(Role.ENGINEER)
    assert Role.ENGINEER.allows(Role.VIEWER)
    assert not Role.VIEWER.allows(Role.ENGINEER)
    assert not Role.APPROVER.allows(Role.ADMIN)
    with pytest.raises(UsageError, match=r"unknown role 'root'; expected one of viewer, engineer"):
        parse_role("root")


def test_create_and_revoke_are_audited(registry: Registry) -> None:
    create_token(registry, "ci", Role.ENGINEER, actor="carol")
    revoke_token(registry, "ci", actor="dave")
    with registry.read() as session:
        entries = session.execute(
            select(AuditLog.action, AuditLog.entity_id, AuditLog.actor, AuditLog.payload)
        ).all()
    assert [tuple(e) for e in entries] == [
        ("token.created", "ci", "carol", '{"role":"engineer"}'),
        ("token.revoked", "ci", "dave", "{}"),
    ]
    assert verify_audit(registry).ok


def test_a_token_inserted_behind_golives_back_is_caught(registry: Registry) -> None:
    create_token(registry, "ci", Role.VIEWER, actor="carol")
    with registry.write() as session:
        session.add(
            ApiToken(
                name="sneaky",
                role="admin",
                sha256=token_sha256("glv_sneaky"),
                created_at=datetime.fromisoformat("2025-12-18T00:00:00+00:00"),
                created_by="mallory",
            )
        )
    report = verify_audit(registry)
    assert not report.ok
    assert report.reason == ("token sneaky has no audit entry: it was not recorded through golive")


def test_tokens_are_append_only(registry: Registry) -> None:
    create_token(registry, "ci", Role.VIEWER, actor="carol")
    with pytest.raises(Exception, match="append-only"), registry.engine.begin() as connection:
        connection.execute(text("UPDATE api_tokens SET role = 'admin'"))
