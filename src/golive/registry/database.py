"""Open a registry by URL: engine set-up, migrations, and serialised write transactions.

SQLite (the default, a file next to the spec) and PostgreSQL are supported. Every
write transaction is serialised across processes, because the audit chain needs
exactly one writer at its head: SQLite begins writes with ``BEGIN IMMEDIATE``;
PostgreSQL takes a transaction-scoped advisory lock.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session

from golive.errors import RegistryError

if TYPE_CHECKING:  # alembic is imported when a registry is opened, not on every command
    from alembic.config import Config

ENV_VAR = "GOLIVE_REGISTRY"
SUPPORTED = ("sqlite", "postgresql")
# First key of the PostgreSQL advisory lock that serialises registry writes ("golv" in
# ASCII); the second is the schema's hash, so registries in other schemas do not wait.
WRITE_LOCK_KEY = 0x676F6C76
# Seconds a SQLite writer waits for another writer before giving up.
SQLITE_BUSY_TIMEOUT_S = 60
_BEGIN_OPTION = "golive_sqlite_begin"
# The Alembic heads of this golive's migrations. A registry whose alembic_version holds
# exactly these is opened without loading Alembic (a third of a second per command);
# any other registry goes through `alembic upgrade heads`. A test keeps this equal to
# what Alembic computes from the migration files.
HEADS = frozenset({"0002", "0003", "0004", "0005"})
# Seconds after which a pooled PostgreSQL connection is replaced rather than reused.
POOL_RECYCLE_S = 300


def resolve_registry_url(explicit: str | None, spec_dir: Path) -> str:
    """The registry URL: ``--registry``, else ``$GOLIVE_REGISTRY``, else one in ``spec_dir``.

    The default is ``sqlite:///<spec_dir>/.golive/registry.db`` (an absolute path).
    """
    if explicit:
        return explicit
    from_env = os.environ.get(ENV_VAR, "").strip()
    if from_env:
        return from_env
    return f"sqlite:///{spec_dir.resolve() / '.golive' / 'registry.db'}"


@dataclass(frozen=True)
class Registry:
    """An open registry: an engine whose schema is at the latest revision."""

    engine: Engine
    url: str  # for messages: the password is hidden

    @cached_property
    def _reader(self) -> Engine:
        """The engine reads go through.

        On PostgreSQL reads run in autocommit: at its READ COMMITTED isolation every
        statement takes its own snapshot anyway, so BEGIN and COMMIT would only add two
        round trips to each read (which the API pays on every request). SQLite keeps a
        read transaction, which there gives one snapshot for all the session's reads.
        """
        if self.engine.dialect.name == "postgresql":
            return self.engine.execution_options(isolation_level="AUTOCOMMIT")
        return self.engine

    @cached_property
    def _writer(self) -> Engine:
        """The engine writes go through: BEGIN IMMEDIATE on SQLite (made once: making one
        costs about 50 us, a third of a short query)."""
        return self.engine.execution_options(**{_BEGIN_OPTION: "BEGIN IMMEDIATE"})

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reads only (see ``_reader``); writes go through :meth:`write`."""
        with _translated(self.url), Session(self._reader) as session, session.begin():
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session in a write transaction that no other process writes during."""
        with _translated(self.url), Session(self._writer) as session, session.begin():
            lock_writes(session)
            yield session

    def close(self) -> None:
        """Release the engine's pooled connections."""
        self.engine.dispose()

    def __enter__(self) -> Registry:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def lock_writes(session: Session | Connection) -> None:
    """Serialise with every other registry writer until this transaction ends.

    On PostgreSQL this takes the advisory lock (re-entrant within a transaction).
    On SQLite the lock is the ``BEGIN IMMEDIATE`` that :meth:`Registry.write` issues,
    which a session only sends with its first statement: asking for the connection
    sends it now, so the lock is held from here, as on PostgreSQL.
    """
    bind = session.connection() if isinstance(session, Session) else session
    if bind.dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(:key, hashtext(coalesce(current_schema(), '')))"),
            {"key": WRITE_LOCK_KEY},
        )


def open_registry(url: str) -> Registry:
    """Open the registry at ``url``, creating it or migrating it to the latest revision."""
    parsed = _parse(url)
    shown = parsed.render_as_string(hide_password=True)
    if parsed.get_backend_name() == "sqlite":
        _make_parent_dir(parsed, shown)
    engine = _create_engine(parsed, shown)
    registry = Registry(engine=engine, url=shown)
    try:
        if _at_heads(engine, shown):
            return registry
    except BaseException:
        engine.dispose()
        raise
    from alembic.util import CommandError

    try:
        with _translated(shown), engine.connect() as connection:
            connection = connection.execution_options(**{_BEGIN_OPTION: "BEGIN IMMEDIATE"})
            with connection.begin():
                # Serialised like any write, so two processes never migrate at once.
                lock_writes(connection)
                migrate(connection)
    except CommandError as exc:
        engine.dispose()
        # Typically a registry migrated by a newer golive than this one.
        raise RegistryError(
            f"cannot migrate registry {shown}: {exc}; use the golive version "
            "that last wrote this registry, or a newer one"
        ) from None
    except BaseException:
        engine.dispose()
        raise
    return registry


def _at_heads(engine: Engine, shown: str) -> bool:
    """Whether the registry's schema is already at :data:`HEADS` (one short read)."""
    with _translated(shown), engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return False
        found = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
        return frozenset(found) == HEADS


def alembic_config(connection: Connection | None = None) -> Config:
    """The Alembic configuration, built in code: golive ships no ``alembic.ini``."""
    from alembic.config import Config

    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("golive.registry") / "migrations")
    )
    config.attributes["connection"] = connection
    return config


def migrate(connection: Connection) -> None:
    """Run ``alembic upgrade heads`` on ``connection`` (inside the caller's transaction).

    Capabilities add revisions branching from the one they need, so there may be
    several heads; ``heads`` applies them all.
    """
    from alembic import command

    command.upgrade(alembic_config(connection), "heads")


def _parse(url: str) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise RegistryError(
            f"invalid registry URL {_redact(url)!r}; expected a SQLAlchemy URL such as "
            "sqlite:///path/to/registry.db or postgresql+psycopg://user@host:5432/dbname"
        ) from None
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED:
        raise RegistryError(
            f"unsupported registry URL {parsed.render_as_string(hide_password=True)!r}: "
            f"the database {backend!r} is not supported; use sqlite:///... or "
            "postgresql+psycopg://..."
        )
    return parsed


def _redact(url: str) -> str:
    """Hide the password in a URL SQLAlchemy could not parse (``u:secret@`` -> ``u:***@``)."""
    scheme, sep, rest = url.partition("://")
    userinfo, at, host = rest.rpartition("@")
    if not sep or not at or ":" not in userinfo:
        return url
    user = userinfo.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}"


def _make_parent_dir(url: URL, shown: str) -> None:
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return
    parent = Path(database).parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RegistryError(
            f"cannot create the directory {str(parent)!r} for registry {shown}: "
            f"{exc.strerror or exc}; choose a writable location with --registry or "
            f"{ENV_VAR}"
        ) from None


def _create_engine(url: URL, shown: str) -> Engine:
    try:
        if url.get_backend_name() == "sqlite":
            engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})
            _take_over_sqlite_transactions(engine)
            return engine
        # No pre-ping: it is a round trip on every checkout. A connection the server
        # dropped fails one statement, which invalidates the pool; recycling connections
        # older than POOL_RECYCLE_S keeps idle ones from being cut by the server or a proxy.
        return create_engine(url, pool_recycle=POOL_RECYCLE_S)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise RegistryError(
            f"cannot use registry URL {shown}: {exc}; check the driver part of the URL "
            "(postgresql+psycopg://...)"
        ) from None


def _take_over_sqlite_transactions(engine: Engine) -> None:
    """Let golive, not the sqlite3 module, emit BEGIN, so writes can ``BEGIN IMMEDIATE``.

    This is SQLAlchemy's recipe from "Serializable isolation / Savepoints /
    Transactional DDL" for pysqlite; it also makes Alembic's DDL transactional.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
            cursor.execute("PRAGMA foreign_keys=ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql(connection.get_execution_options().get(_BEGIN_OPTION, "BEGIN"))


@contextmanager
def _translated(shown: str) -> Iterator[None]:
    """Turn a database failure into a ``RegistryError`` that names the registry and a next step."""
    try:
        yield
    except DBAPIError as exc:
        detail = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise RegistryError(
            f"registry {shown} failed: {detail}; check that the database is reachable, "
            "writable and that the URL is right"
        ) from exc
