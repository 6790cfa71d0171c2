"""Specs in requests: command sources always refused, sql sources only when the server allows."""

from __future__ import annotations

from datetime import timedelta

import pytest

from golive.api.specs import RefusedSpec, accepted_spec
from golive.errors import SpecError
from golive.registry.tokens import Role
from tests.governance.conftest import T0

from .conftest import Api
from .governed import SPEC, approval, waiver

COMMAND = SPEC + "  - {id: cmd.ok, source: build, measure: count, expect: '>= 1'}\n"
COMMAND = COMMAND.replace(
    "sources:\n", "sources:\n  build: {type: command, argv: [make, test]}\n", 1
)
SQL = SPEC.replace(
    "sources:\n", "sources:\n  orders: {type: sql, url_env: ORDERS_DB, table: orders}\n", 1
)


def test_a_command_source_is_refused_even_when_sql_is_allowed() -> None:
    with pytest.raises(RefusedSpec, match="source 'build' is a command source; the API never"):
        accepted_spec(COMMAND, allow_sql=True)


def test_a_sql_source_is_refused_unless_allowed() -> None:
    with pytest.raises(RefusedSpec, match="--allow-sql-sources"):
        accepted_spec(SQL, allow_sql=False)
    assert accepted_spec(SQL, allow_sql=True).sources["orders"].type == "sql"


def test_an_invalid_spec_names_the_spec_field_line_and_column() -> None:
    with pytest.raises(SpecError, match=r"^spec:3:"):
        accepted_spec("version: 1\nname: shop\nchecks: 3\n", allow_sql=False)


@pytest.mark.parametrize(
    ("route", "body"),
    [
        ("/api/v1/releases/1.4.0/gate", {}),
        ("/api/v1/items/register", {}),
        ("/api/v1/items/UC-001/unblock", {}),
        ("/api/v1/items/UC-001/block", {"reason": "legal"}),
        ("/api/v1/releases/1.4.0/approvals", approval("alice", "a" * 64)),
        ("/api/v1/waivers", waiver("alice", "uc1.b", T0, T0 + timedelta(days=1))),
    ],
)
def test_every_route_taking_a_spec_refuses_command_and_sql_sources(
    api: Api, route: str, body: dict[str, str]
) -> None:
    for text, needle in ((COMMAND, "command source"), (SQL, "sql source")):
        response = api.client.post(route, json={**body, "spec": text}, headers=api.auth(Role.ADMIN))
        assert response.status_code == 422, response.text
        assert needle in response.json()["detail"]
