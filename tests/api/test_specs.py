"""Specs in requests: command sources always refused, sql sources only when the server allows."""

from __future__ import annotations

from datetime import timedelta

import pytest

from golive.api.specs import ParsedSpecs, RefusedSpec, accepted_spec
from golive.errors import SpecError
from golive.registry.tokens import Role
from tests.governance.conftest import T0

from .conftest import Api
from .governed import SPEC, approval, create_release, waiver

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


def test_a_spec_text_is_never_answered_from_another_texts_entry() -> None:
    specs = ParsedSpecs(size=8)
    shop = specs.spec(SPEC)
    other = specs.spec(SPEC.replace("name: shop\n", "name: other\n", 1))
    assert (shop.name, other.name) == ("shop", "other")
    # One character apart, after both are kept: still its own spec.
    assert specs.spec(SPEC.replace("min: 2", "min: 1", 1)).governance != shop.governance
    with pytest.raises(SpecError, match=r"^spec:3:"):
        specs.spec("version: 1\nname: shop\nchecks: 3\n")
    assert specs.spec(SPEC) is shop  # the same text is parsed once


def test_a_text_that_does_not_parse_is_not_kept_and_lone_surrogates_are_a_spec_error() -> None:
    specs = ParsedSpecs(size=8)
    for _ in range(2):
        with pytest.raises(SpecError):
            specs.spec("version: 1\nname: \ud800\n")
    assert len(specs) == 0


def test_the_least_recently_used_spec_is_dropped_and_parsed_again_when_sent() -> None:
    specs = ParsedSpecs(size=2)
    texts = [SPEC.replace("name: shop\n", f"name: shop-{n}\n", 1) for n in range(3)]
    first = specs.spec(texts[0])
    specs.spec(texts[1])
    assert specs.spec(texts[0]) is first  # used again: now the most recent
    specs.spec(texts[2])  # drops texts[1]
    assert len(specs) == 2
    assert specs.spec(texts[0]) is first
    assert specs.spec(texts[1]).name == "shop-1"


def test_a_kept_spec_is_still_refused_when_its_sources_are() -> None:
    assert accepted_spec(SQL, allow_sql=True).sources["orders"].type == "sql"
    with pytest.raises(RefusedSpec, match="--allow-sql-sources"):
        accepted_spec(SQL, allow_sql=False)


def test_the_gate_judges_each_spec_text_sent_not_the_last_one_parsed(api: Api) -> None:
    create_release(api)
    url = "/api/v1/releases/1.4.0/gate"
    reasons = []
    for text in (SPEC, SPEC.replace("min: 2", "min: 3", 1), SPEC):
        response = api.client.post(url, json={"spec": text}, headers=api.auth(Role.ENGINEER))
        assert response.status_code == 200, response.text
        rules = {r["rule"]: r["reason"] for r in response.json()["rules"]}
        reasons.append(rules["approvals"])
    assert reasons == [
        "0 of 2 required approvals valid",
        "0 of 3 required approvals valid",
        "0 of 2 required approvals valid",
    ]
