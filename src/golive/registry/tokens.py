"""API tokens: only a token's SHA-256 is stored; creation and revocation are audited.

A token is shown once, when it is created; the registry keeps its hash, so whoever
reads the database cannot call the API with what they read. Both tables are
append-only: a revocation is a row of its own, and a revoked name is never reused,
so every audit entry keeps naming one token.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CHAR, CheckConstraint, ForeignKey, Integer, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from golive.errors import NotFoundError, UsageError

# A module import, not ``from ... import``: audit.py imports this module for AUDITED.
from golive.registry import audit
from golive.registry.database import Registry
from golive.registry.instants import Clock, as_utc, utc_now
from golive.registry.models import Base, UTCDateTime

# Secret scanners recognise a fixed prefix; 32 random bytes are 43 URL-safe characters.
TOKEN_PREFIX = "glv_"
TOKEN_BYTES = 32
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


class Role(StrEnum):
    """What a token may do; each role may do everything the ones before it may."""

    VIEWER = "viewer"
    ENGINEER = "engineer"
    APPROVER = "approver"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        """The role's place in viewer < engineer < approver < admin."""
        return list(Role).index(self)

    def allows(self, needed: Role) -> bool:
        """Whether this role may do what ``needed`` may."""
        return self.rank >= needed.rank


class ApiToken(Base):
    """One API token: its name, role and the SHA-256 of the secret (never the secret)."""

    __tablename__ = "api_tokens"
    __table_args__ = (
        CheckConstraint("role IN (" + ", ".join(f"'{r.value}'" for r in Role) + ")", name="role"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    role: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(CHAR(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(Text)


class TokenRevocation(Base):
    """The revocation of one token (at most one per token)."""

    __tablename__ = "api_token_revocations"

    name: Mapped[str] = mapped_column(ForeignKey("api_tokens.name"), primary_key=True)
    revoked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_by: Mapped[str] = mapped_column(Text)


@dataclass(frozen=True)
class TokenInfo:
    """A token as listed: everything but the secret, which the registry does not have."""

    name: str
    role: Role
    created_at: datetime
    created_by: str
    revoked_at: datetime | None
    revoked_by: str | None


@dataclass(frozen=True)
class CreatedToken:
    """A new token and its secret, which exists only here: show it once."""

    info: TokenInfo
    token: str


def token_sha256(token: str) -> str:
    """The hex SHA-256 the registry keeps for ``token``."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def parse_role(value: str) -> Role:
    """``value`` as a Role, or a UsageError listing the roles."""
    try:
        return Role(value)
    except ValueError:
        raise UsageError(
            f"unknown role {value!r}; expected one of " + ", ".join(r.value for r in Role)
        ) from None


def create_token(
    registry: Registry, name: str, role: Role, *, actor: str, clock: Clock = utc_now
) -> CreatedToken:
    """Create token ``name`` with ``role``; the secret is returned here and stored nowhere."""
    if not NAME_PATTERN.fullmatch(name):
        raise UsageError(
            f"invalid token name {name!r}; use 1 to 64 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit (e.g. ci-upload)"
        )
    token = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    with registry.write() as session:
        if session.scalar(select(ApiToken.id).where(ApiToken.name == name)) is not None:
            raise UsageError(
                f"a token named {name!r} already exists (names are never reused, even "
                "after revocation); choose another name"
            )
        now = as_utc(clock(), "the clock's time")
        session.add(
            ApiToken(
                name=name,
                role=role.value,
                sha256=token_sha256(token),
                created_at=now,
                created_by=actor,
            )
        )
        session.flush()
        audit.append_audit(
            session,
            action="token.created",
            entity="token",
            entity_id=name,
            payload={"role": role.value},
            actor=actor,
            at=now,
        )
    info = TokenInfo(name, role, now, actor, None, None)
    return CreatedToken(info=info, token=token)


def revoke_token(registry: Registry, name: str, *, actor: str, clock: Clock = utc_now) -> TokenInfo:
    """Revoke token ``name``: from now on it authenticates nothing."""
    with registry.write() as session:
        row = session.scalar(select(ApiToken).where(ApiToken.name == name))
        if row is None:
            raise NotFoundError(
                f"no token named {name!r} in registry {registry.url}; "
                "`golive token list` shows the tokens"
            )
        if session.get(TokenRevocation, name) is not None:
            raise UsageError(f"token {name!r} is already revoked")
        now = as_utc(clock(), "the clock's time")
        session.add(TokenRevocation(name=name, revoked_at=now, revoked_by=actor))
        session.flush()
        audit.append_audit(
            session,
            action="token.revoked",
            entity="token",
            entity_id=name,
            payload={},
            actor=actor,
            at=now,
        )
        return TokenInfo(name, Role(row.role), row.created_at, row.created_by, now, actor)


def list_tokens(registry: Registry) -> list[TokenInfo]:
    """Every token, revoked ones too, in the order they were created."""
    query = (
        select(ApiToken, TokenRevocation)
        .outerjoin(TokenRevocation, TokenRevocation.name == ApiToken.name)
        .order_by(ApiToken.id)
    )
    with registry.read() as session:
        return [
            TokenInfo(
                token.name,
                Role(token.role),
                token.created_at,
                token.created_by,
                None if revoked is None else revoked.revoked_at,
                None if revoked is None else revoked.revoked_by,
            )
            for token, revoked in session.execute(query).all()
        ]


def authenticate(registry: Registry, token: str) -> TokenInfo | None:
    """The live (unrevoked) token whose secret is ``token``, or None."""
    # Columns, not the entity: every API request makes this lookup, and loading an ORM
    # object costs more than the query.
    query = (
        select(ApiToken.name, ApiToken.role, ApiToken.created_at, ApiToken.created_by)
        .outerjoin(TokenRevocation, TokenRevocation.name == ApiToken.name)
        .where(ApiToken.sha256 == token_sha256(token), TokenRevocation.name.is_(None))
    )
    with registry.read() as session:
        row = session.execute(query).first()
        if row is None:
            return None
        return TokenInfo(row.name, Role(row.role), row.created_at, row.created_by, None, None)
