"""The flag store: create, change, import, export; every change audited with old and new."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from golive.errors import FlagsError, NotFoundError, UsageError
from golive.flags import FlagClient
from golive.flags.model import Constraint, Flag, Strategy
from golive.registry import Registry, verify_audit
from golive.registry.flag_edits import (
    parse_constraint,
    rollout_percentage,
    with_constraints,
    with_rollout,
)
from golive.registry.flags import (
    create_flag,
    export_flags,
    flag_history,
    get_flag,
    import_flags,
    list_flags,
    update_flag,
)

T1 = datetime(2025, 12, 1, 9, tzinfo=UTC)
T2 = datetime(2025, 12, 1, 10, tzinfo=UTC)


def rollout_flag(name: str = "checkout", pct: int = 10) -> Flag:
    return with_rollout(Flag(name, True, "New checkout"), pct)


def test_create_get_list_and_export_load_in_the_flag_client(
    registry: Registry, tmp_path: Path
) -> None:
    create_flag(registry, rollout_flag(), actor="alice", clock=lambda: T1)
    create_flag(registry, Flag("banner", False), actor="bob", clock=lambda: T2)
    stored = get_flag(registry, "checkout")
    assert (stored.version, stored.created_by, stored.created_at) == (1, "alice", T1)
    assert [s.flag.name for s in list_flags(registry)] == ["banner", "checkout"]
    path = tmp_path / "flags.json"
    path.write_text(json.dumps(export_flags(registry)))
    client = FlagClient.from_file(path)
    assert {f.name for f in client.flags} == {"banner", "checkout"}
    # flexibleRollout 10% grouped by the flag name: user ids whose bucket is <= 10.
    from golive.flags import normalized_hash

    ids = [str(i) for i in range(200)]
    expected = [i for i in ids if normalized_hash(i, "checkout") <= 10]
    assert [i for i in ids if client.is_enabled("checkout", {"userId": i})] == expected
    assert not client.is_enabled("banner", {"userId": "1"})


def test_create_twice_is_refused(registry: Registry) -> None:
    create_flag(registry, rollout_flag(), actor="alice")
    with pytest.raises(UsageError, match=r"flag 'checkout' already exists"):
        create_flag(registry, rollout_flag(), actor="alice")


def test_every_change_is_in_the_audit_chain_with_who_when_old_and_new(
    registry: Registry,
) -> None:
    create_flag(registry, rollout_flag(pct=10), actor="alice", clock=lambda: T1)
    stored, changed = update_flag(
        registry, "checkout", lambda f: with_rollout(f, 25), actor="bob", clock=lambda: T2
    )
    assert (changed, stored.version, stored.updated_by, rollout_percentage(stored.flag)) == (
        True,
        2,
        "bob",
        25,
    )
    _, unchanged = update_flag(registry, "checkout", lambda f: with_rollout(f, 25), actor="bob")
    assert not unchanged
    history = flag_history(registry, "checkout")
    assert [(h.action, h.change, h.actor, h.at) for h in history] == [
        ("flag.created", "create", "alice", T1),
        ("flag.updated", "set", "bob", T2),
    ]
    assert history[0].old is None
    assert history[1].old is not None
    assert history[1].old["strategies"][0]["parameters"]["rollout"] == "10"
    assert history[1].new["strategies"][0]["parameters"]["rollout"] == "25"
    assert verify_audit(registry).ok


def test_unknown_flag_names_those_that_exist(registry: Registry) -> None:
    create_flag(registry, rollout_flag(), actor="alice")
    with pytest.raises(NotFoundError, match=r"no flag 'nope' in the registry \(flags: checkout\)"):
        get_flag(registry, "nope")
    with pytest.raises(NotFoundError):
        update_flag(registry, "nope", lambda f: f, actor="a")
    with pytest.raises(NotFoundError):
        flag_history(registry, "nope")


def test_import_creates_updates_and_skips_unchanged_in_one_transaction(
    registry: Registry,
) -> None:
    create_flag(registry, rollout_flag(pct=10), actor="alice")
    create_flag(registry, Flag("same", True), actor="alice")
    result = import_flags(
        registry, [rollout_flag(pct=50), Flag("same", True), Flag("new", False)], actor="carol"
    )
    assert result == {"created": ["new"], "updated": ["checkout"], "unchanged": ["same"]}
    assert rollout_percentage(get_flag(registry, "checkout").flag) == 50
    assert [h.change for h in flag_history(registry, "checkout")] == ["create", "import"]


def test_a_definition_the_loader_refuses_is_never_stored(registry: Registry) -> None:
    bad = Flag("b", True, strategies=(Strategy("flexibleRollout", {"rollout": "150"}),))
    with pytest.raises(FlagsError, match=r"parameters.rollout must be a whole percentage 0-100"):
        create_flag(registry, bad, actor="alice")
    assert list_flags(registry) == []


def test_with_rollout_rules() -> None:
    flag = with_rollout(Flag("x", False), 0)
    assert flag.strategies[0].parameters == {
        "stickiness": "default",
        "rollout": "0",
        "groupId": "x",
    }
    assert with_rollout(flag, 30, enable=True).enabled
    with pytest.raises(UsageError, match=r"whole number 0-100, got 101"):
        with_rollout(flag, 101)
    with pytest.raises(UsageError, match=r"flag 'd' has no flexibleRollout strategy"):
        with_rollout(Flag("d", True, strategies=(Strategy("default"),)), 10)


def test_parse_constraint() -> None:
    assert parse_constraint("environment IN production,staging") == Constraint(
        "environment", "IN", ("production", "staging")
    )
    assert parse_constraint("appVersion SEMVER_GT 1.2.0 inverted") == Constraint(
        "appVersion", "SEMVER_GT", value="1.2.0", inverted=True
    )
    assert parse_constraint("email STR_ENDS_WITH @x.com case_insensitive").case_insensitive
    for bad in ("environment IN", "environment LIKE x", "a IN b sometimes"):
        with pytest.raises(UsageError, match=r"invalid constraint"):
            parse_constraint(bad)
    flag = with_constraints(Flag("c", True), (parse_constraint("country IN NO"),))
    assert flag.strategies[0].name == "default"
    assert flag.strategies[0].constraints[0].values == ("NO",)


def test_a_flag_changed_behind_golives_back_is_never_served(registry: Registry) -> None:
    from sqlalchemy import text

    from golive.errors import RegistryError

    create_flag(registry, rollout_flag(pct=10), actor="alice")
    create_flag(registry, Flag("other", False), actor="alice")
    altered = rollout_flag(pct=100).to_dict()
    with registry.write() as session:
        session.execute(
            text("UPDATE flags SET definition = :d WHERE name = 'checkout'"),
            {"d": json.dumps(altered)},
        )
    message = r"flag 'checkout' was changed outside golive: its definition differs"
    for read in (lambda: get_flag(registry, "checkout"), lambda: export_flags(registry)):
        with pytest.raises(RegistryError, match=message):
            read()
    with pytest.raises(RegistryError, match=message):
        update_flag(registry, "checkout", lambda f: with_rollout(f, 0), actor="bob")
    assert get_flag(registry, "other").version == 1
    with registry.write() as session:
        session.execute(
            text("INSERT INTO flags VALUES ('ghost', :d, 1, :t, 'x', :t, 'x')"),
            {"d": json.dumps(Flag("ghost", True).to_dict()), "t": T1},
        )
    with pytest.raises(RegistryError, match=r"flag 'ghost' was changed outside golive: it has no"):
        get_flag(registry, "ghost")
