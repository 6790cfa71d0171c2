"""What a row edited or inserted behind golive's back runs into."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from golive.errors import RegistryError
from golive.governance.approvals import approve, list_approvals
from golive.governance.releases import ReleaseInput, create_release
from golive.registry import Registry, verify_audit
from golive.spec.models import Spec
from tests.governance.conftest import Clock, private_key

TABLES = (
    "releases",
    "approvals",
    "waivers",
    "rehearsals",
    "incident_events",
    "item_events",
    "gate_decisions",
)


@pytest.fixture
def approved(registry: Registry, spec: Spec, clock: Clock, artifact: Path) -> Registry:
    create_release(registry, ReleaseInput("1.4.0", (artifact,)), spec_name="shop", actor="carol")
    approve(registry, spec, "1.4.0", private_key("alice"), actor="alice", clock=clock)
    return registry


@pytest.mark.parametrize("table", ["releases", "approvals"])
def test_governance_rows_cannot_be_updated_or_deleted(approved: Registry, table: str) -> None:
    for statement in (f"UPDATE {table} SET recorded_by = 'mallory'", f"DELETE FROM {table}"):
        with pytest.raises(RegistryError, match="append-only"), approved.write() as session:
            session.execute(text(statement))


def test_every_governance_table_has_its_append_only_triggers(approved: Registry) -> None:
    with approved.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
            expected = {f"{t}_no_{verb}" for t in TABLES for verb in ("update", "delete")}
        else:
            query = "SELECT tgname FROM pg_trigger"
            expected = {f"{t}_{kind}" for t in TABLES for kind in ("append_only", "no_truncate")}
        names = set(connection.exec_driver_sql(query).scalars())
    assert expected <= names


def test_an_edited_approval_document_is_refused_on_read(approved: Registry) -> None:
    with approved.engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("DROP TRIGGER approvals_no_update")
        else:
            connection.exec_driver_sql("DROP TRIGGER approvals_append_only ON approvals")
        connection.exec_driver_sql(
            "UPDATE approvals SET document = replace(document, 'alice', 'bob')"
        )
    with pytest.raises(RegistryError, match="was altered after it was recorded"):
        list_approvals(approved, "1.4.0")


def test_a_row_inserted_directly_has_no_audit_entry(approved: Registry) -> None:
    with approved.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO approvals (version, manifest_sha256, approver, sha256, recorded_at, "
                "recorded_by, document) VALUES ('1.4.0', :m, 'bob', :s, :t, 'mallory', '{}')"
            ),
            {"m": "0" * 64, "s": "e" * 64, "t": "2025-12-18 00:00:00+00"},
        )
    report = verify_audit(approved)
    assert not report.ok
    assert report.reason == (
        f"approval {'e' * 64} has no audit entry: it was not recorded through golive"
    )
