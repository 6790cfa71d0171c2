"""Opening a registry: URL rules, migrations, SQLite set-up, and errors a person can act on."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from golive.errors import RegistryError
from golive.registry import Registry, open_registry, resolve_registry_url
from golive.registry.database import HEADS, alembic_config
from golive.registry.models import Base


def test_url_explicit_wins_over_env_and_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOLIVE_REGISTRY", "sqlite:///from-env.db")
    assert resolve_registry_url("sqlite:///explicit.db", tmp_path) == "sqlite:///explicit.db"


def test_url_env_wins_over_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOLIVE_REGISTRY", "postgresql+psycopg://ci@db/golive")
    assert resolve_registry_url(None, tmp_path) == "postgresql+psycopg://ci@db/golive"


def test_url_default_is_next_to_the_spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GOLIVE_REGISTRY", raising=False)
    monkeypatch.chdir(tmp_path)
    assert resolve_registry_url(None, Path("team")) == (
        f"sqlite:///{tmp_path.resolve()}/team/.golive/registry.db"
    )


def test_url_blank_env_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOLIVE_REGISTRY", "  ")
    assert resolve_registry_url(None, tmp_path).endswith("/.golive/registry.db")


def test_open_creates_the_sqlite_directory_and_schema(tmp_path: Path) -> None:
    path = tmp_path / "spec dir" / ".golive" / "registry.db"
    with open_registry(f"sqlite:///{path}") as registry:
        tables = set(inspect(registry.engine).get_table_names())
    assert path.is_file()
    assert {"scorecards", "check_results", "audit_log", "alembic_version"} <= tables


def test_open_twice_is_a_no_op(registry_url: str) -> None:
    # Capabilities branch their revisions from 0001: the registry sits at every head.
    for _ in range(2):
        with open_registry(registry_url) as registry, registry.read() as session:
            versions = set(session.scalars(text("SELECT version_num FROM alembic_version")))
            assert versions == set(_heads())


def _heads() -> list[str]:
    """Every head revision: capabilities branch their migrations from 0001."""
    return list(ScriptDirectory.from_config(alembic_config()).get_heads())


def test_heads_constant_is_what_alembic_computes() -> None:
    # open_registry skips Alembic for a registry at HEADS; a stale constant only slows it.
    assert set(_heads()) == HEADS


def test_a_registry_behind_the_heads_is_migrated_on_open(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    with open_registry(url) as registry, registry.engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0001")
    with open_registry(url) as registry, registry.read() as session:
        versions = set(session.scalars(text("SELECT version_num FROM alembic_version")))
        tables = set(inspect(session.connection()).get_table_names())
    assert versions == HEADS
    assert {"api_tokens", "flags"} <= tables


def test_sqlite_uses_wal_busy_timeout_and_foreign_keys(tmp_path: Path) -> None:
    with open_registry(f"sqlite:///{tmp_path / 'r.db'}") as registry, registry.read() as session:
        assert session.scalar(text("PRAGMA journal_mode")) == "wal"
        assert session.scalar(text("PRAGMA busy_timeout")) == 60000
        assert session.scalar(text("PRAGMA foreign_keys")) == 1


def test_models_match_the_migrations(registry: Registry) -> None:
    with registry.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_downgrade_then_upgrade_again(registry: Registry) -> None:
    with registry.engine.begin() as connection:
        command.downgrade(alembic_config(connection), "base")
        assert "audit_log" not in inspect(connection).get_table_names()
        command.upgrade(alembic_config(connection), "heads")
        assert "audit_log" in inspect(connection).get_table_names()


def test_bad_url_is_a_registry_error_without_the_password() -> None:
    with pytest.raises(RegistryError) as caught:
        open_registry("not a url://alice:s3cret@host")
    assert "s3cret" not in str(caught.value)
    assert "expected a SQLAlchemy URL such as sqlite:///" in str(caught.value)


def test_unsupported_database_is_refused() -> None:
    with pytest.raises(RegistryError, match=r"the database 'mysql' is not supported"):
        open_registry("mysql://alice:s3cret@db/golive")


def test_unknown_driver_names_the_url_without_password() -> None:
    with pytest.raises(RegistryError) as caught:
        open_registry("postgresql+nodriver://alice:s3cret@127.0.0.1/golive")
    message = str(caught.value)
    assert "s3cret" not in message
    assert "postgresql+nodriver://alice:***@127.0.0.1/golive" in message


def test_unreachable_server_says_what_to_check() -> None:
    # Port 1 on loopback: nothing listens there, so the connection is refused at once.
    with pytest.raises(RegistryError) as caught:
        open_registry("postgresql+psycopg://alice:s3cret@127.0.0.1:1/golive?connect_timeout=2")
    message = str(caught.value)
    assert "s3cret" not in message
    assert message.startswith("registry postgresql+psycopg://alice:***@127.0.0.1:1/golive")
    assert "check that the database is reachable" in message


def test_directory_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where a directory should be")
    with pytest.raises(RegistryError, match=r"cannot create the directory .*not-a-dir/\.golive"):
        open_registry(f"sqlite:///{blocker}/.golive/registry.db")


def test_unreadable_sqlite_file_is_a_registry_error(tmp_path: Path) -> None:
    bogus = tmp_path / "registry.db"
    bogus.write_text("this is not a SQLite database, it is a text file\n" * 100)
    with pytest.raises(RegistryError, match=r"file is not a database"):
        open_registry(f"sqlite:///{bogus}")


def test_registry_from_a_newer_golive_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    with open_registry(url) as registry, registry.write() as session:
        session.execute(text("DELETE FROM alembic_version"))
        session.execute(text("INSERT INTO alembic_version VALUES ('9999')"))
    with pytest.raises(RegistryError, match=r"cannot migrate registry sqlite:///.*'9999'"):
        open_registry(url)


def test_packaged_template_renders_the_next_revision(tmp_path: Path) -> None:
    # How a later capability starts its revision (docs/registry.md, "Adding a table").
    config = alembic_config()
    shipped = config.get_main_option("script_location")
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", f"{shipped}/versions{os.pathsep}{tmp_path}")
    # Capabilities branch from 0001 (the registry upgrades every head), so name it.
    script = command.revision(
        config,
        message="releases and approvals",
        rev_id="0099",
        head="0001",
        splice=True,  # capabilities branch from 0001, which other revisions already follow
        version_path=str(tmp_path),
    )
    assert script is not None
    source = (tmp_path / "0099_releases_and_approvals.py").read_text()
    assert 'revision = "0099"\ndown_revision = "0001"\n' in source
    names = {n.name for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)}
    assert names == {"upgrade", "downgrade"}
