"""The audit chain: hashes, append-only triggers, and tampering caught by verify."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from golive.canonical import canonical_json, digest
from golive.registry import Registry, append_audit, open_registry, record_scorecard, verify_audit
from golive.registry.audit import GENESIS_HASH, entry_hash

from .registry_builders import T0, scorecard


def _append(registry: Registry, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        with registry.write() as session:
            append_audit(
                session,
                action="test.wrote",
                entity="thing",
                entity_id=f"thing-{n}",
                payload={"n": n, "note": "ünïcode ok"},
                actor="carol",
                at=T0 + timedelta(seconds=n),
            )


def _raw(registry: Registry, *statements: str) -> None:
    """Run SQL behind golive's back, in one plain transaction."""
    with registry.engine.begin() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)


def _drop_triggers(registry: Registry) -> None:
    if registry.engine.dialect.name == "sqlite":
        _raw(
            registry,
            "DROP TRIGGER audit_log_no_update",
            "DROP TRIGGER audit_log_no_delete",
        )
    else:
        _raw(registry, "DROP TRIGGER audit_log_append_only ON audit_log")


def test_first_entry_hash_is_sha256_of_genesis_and_canonical_entry(registry: Registry) -> None:
    with registry.write() as session:
        entry = append_audit(
            session,
            action="scorecard.recorded",
            entity="scorecard",
            entity_id="abc",
            payload={"spec_name": "web", "ready": True, "score": 1.0},
            actor="carol",
            at=datetime(2025, 12, 18, tzinfo=UTC),
        )
    canonical = (
        b'{"action":"scorecard.recorded","actor":"carol","at":"2025-12-18T00:00:00Z",'
        b'"entity":"scorecard","entity_id":"abc",'
        b'"payload":{"ready":true,"score":1,"spec_name":"web"},"seq":1}'
    )
    assert entry.seq == 1
    assert entry.prev_hash == GENESIS_HASH == "0" * 64
    assert entry.hash == hashlib.sha256(b"0" * 64 + canonical).hexdigest()


def test_entries_link_to_the_previous_hash(registry: Registry) -> None:
    with registry.write() as session:
        first = append_audit(
            session, action="a", entity="e", entity_id="1", payload={}, actor="x", at=T0
        )
        second = append_audit(
            session, action="a", entity="e", entity_id="2", payload={}, actor="x", at=T0
        )
    assert (second.seq, second.prev_hash) == (2, first.hash)


def test_empty_and_intact_chains_verify(registry: Registry) -> None:
    report = verify_audit(registry)
    assert (report.ok, report.entries, report.first_broken_seq, report.reason) == (
        True,
        0,
        None,
        None,
    )
    assert report.head_hash is None
    _append(registry, 7)
    report = verify_audit(registry, page_size=3)  # pages of 3: 3 + 3 + 1
    assert (report.ok, report.entries, report.first_broken_seq) == (True, 7, None)
    with registry.read() as session:
        head = session.scalar(text("SELECT hash FROM audit_log WHERE seq = 7"))
    assert report.head_hash == head


def test_naive_time_is_refused(registry: Registry) -> None:
    with (
        pytest.raises(ValueError, match="audit time must be timezone-aware"),
        registry.write() as s,
    ):
        append_audit(
            s, action="a", entity="e", entity_id="1", payload={}, actor="x", at=datetime(2025, 1, 1)
        )


def test_update_is_refused_by_the_database(registry: Registry) -> None:
    _append(registry, 2)
    with pytest.raises(DBAPIError, match="audit_log is append-only: UPDATE is refused"):
        _raw(registry, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 1")
    assert verify_audit(registry).ok


def test_delete_is_refused_by_the_database(registry: Registry) -> None:
    _append(registry, 2)
    with pytest.raises(DBAPIError, match="audit_log is append-only: DELETE is refused"):
        _raw(registry, "DELETE FROM audit_log WHERE seq = 2")
    assert verify_audit(registry).entries == 2


def test_emptying_the_table_is_refused(registry: Registry) -> None:
    # PostgreSQL's TRUNCATE skips row triggers, so it has its own; SQLite has no TRUNCATE,
    # and its whole-table DELETE (the "truncate optimisation") still fires the row trigger.
    _append(registry, 1)
    if registry.engine.dialect.name == "postgresql":
        statement, refused = "TRUNCATE audit_log", "TRUNCATE is refused"
    else:
        statement, refused = "DELETE FROM audit_log", "DELETE is refused"
    with pytest.raises(DBAPIError, match=f"audit_log is append-only: {refused}"):
        _raw(registry, statement)
    assert verify_audit(registry).entries == 1


def test_edited_payload_is_caught_as_hash_mismatch(registry: Registry) -> None:
    _append(registry, 20)
    _drop_triggers(registry)
    _raw(registry, """UPDATE audit_log SET payload = '{"n":999}' WHERE seq = 17""")
    report = verify_audit(registry, page_size=6)
    assert (report.ok, report.entries, report.first_broken_seq, report.reason) == (
        False,
        16,
        17,
        "hash mismatch",
    )


def test_edited_time_or_actor_is_caught(registry: Registry) -> None:
    _append(registry, 3)
    _drop_triggers(registry)
    _raw(registry, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2")
    assert (verify_audit(registry).first_broken_seq, verify_audit(registry).reason) == (
        2,
        "hash mismatch",
    )


def test_edited_and_rehashed_entry_breaks_the_next_link(registry: Registry) -> None:
    # A forger who edits entry 2 and stores its correct new hash still breaks entry 3's link.
    _append(registry, 3)
    _drop_triggers(registry)
    with registry.read() as session:
        prev_hash = session.scalar(text("SELECT hash FROM audit_log WHERE seq = 1"))
    forged = {
        "seq": 2,
        "at": "2025-12-18T09:30:01.123456Z",
        "actor": "carol",
        "action": "test.wrote",
        "entity": "thing",
        "entity_id": "thing-1",
        "payload": {"n": 1000, "note": "forged"},
    }
    _raw(
        registry,
        "UPDATE audit_log SET "
        f"payload = '{canonical_json(forged['payload']).decode()}', "
        f"hash = '{entry_hash(prev_hash, forged)}' WHERE seq = 2",
    )
    report = verify_audit(registry)
    assert (report.entries, report.first_broken_seq, report.reason) == (
        2,
        3,
        "prev_hash mismatch",
    )


def test_edited_prev_hash_is_a_prev_hash_mismatch(registry: Registry) -> None:
    _append(registry, 3)
    _drop_triggers(registry)
    _raw(registry, f"UPDATE audit_log SET prev_hash = '{'f' * 64}' WHERE seq = 3")
    report = verify_audit(registry)
    assert (report.ok, report.first_broken_seq, report.reason) == (False, 3, "prev_hash mismatch")


def test_deleted_entry_is_a_gap(registry: Registry) -> None:
    _append(registry, 5)
    _drop_triggers(registry)
    _raw(registry, "DELETE FROM audit_log WHERE seq = 3")
    report = verify_audit(registry, page_size=2)
    assert (report.ok, report.entries, report.first_broken_seq) == (False, 2, 3)
    assert report.reason == "gap in seq: entry 3 is missing (the next entry is 4)"


def test_deleted_first_entry_is_a_gap(registry: Registry) -> None:
    _append(registry, 2)
    _drop_triggers(registry)
    _raw(registry, "DELETE FROM audit_log WHERE seq = 1")
    report = verify_audit(registry)
    assert (report.entries, report.first_broken_seq, report.head_hash) == (0, 1, None)


def test_payload_that_is_not_json_is_named(registry: Registry) -> None:
    _append(registry, 1)
    _drop_triggers(registry)
    _raw(registry, "UPDATE audit_log SET payload = 'not json' WHERE seq = 1")
    assert verify_audit(registry).reason == "payload is not valid JSON"
    _raw(registry, "UPDATE audit_log SET payload = '[1, 2]' WHERE seq = 1")
    assert verify_audit(registry).reason == "payload is not a JSON object"


def test_appends_continue_a_chain_after_reopening(registry_url: str) -> None:
    for start in (0, 2):
        with open_registry(registry_url) as registry:
            _append(registry, 2, start)
    with open_registry(registry_url) as registry:
        assert (verify_audit(registry).ok, verify_audit(registry).entries) == (True, 4)


def test_forged_first_entry_is_out_of_sequence(registry: Registry) -> None:
    _append(registry, 2)
    _raw(
        registry,
        "INSERT INTO audit_log"
        " (seq, at, actor, action, entity, entity_id, payload, prev_hash, hash) VALUES"
        f" (0, '2025-12-18 00:00:00', 'm', 'a', 'e', '1', '{{}}', '{'0' * 64}', '{'1' * 64}')",
    )
    report = verify_audit(registry)
    assert (report.entries, report.first_broken_seq, report.reason) == (
        0,
        0,
        "out of sequence: entry 0 comes before entry 1",
    )


def _record(registry: Registry, count: int) -> list[str]:
    return [
        record_scorecard(registry, scorecard(observed=n), actor="carol", clock=lambda: T0).sha256
        for n in range(count)
    ]


def test_scorecard_inserted_without_golive_is_caught(registry: Registry) -> None:
    _record(registry, 2)
    forged = scorecard(ready=True, score=1.0)
    _raw(
        registry,
        "INSERT INTO scorecards (sha256, spec_name, spec_path, spec_sha256, evaluated_at,"
        " recorded_at, recorded_by, ready, score, document) VALUES"
        f" ('{digest(forged)}', 'governance-v5-battle-tested', 'golive.yaml', '{'0' * 64}',"
        " '2025-12-18 00:00:00', '2025-12-18 00:00:00', 'mallory', true, 1.0,"
        f" '{canonical_json(forged).decode()}')",
    )
    report = verify_audit(registry)
    assert (report.ok, report.entries, report.first_broken_seq) == (False, 2, None)
    assert report.reason == (
        f"scorecard {digest(forged)} has no audit entry: it was not recorded through golive"
    )


def test_wiped_audit_log_is_caught_by_the_scorecards_it_leaves(registry: Registry) -> None:
    shas = _record(registry, 2)
    _drop_triggers(registry)
    _raw(registry, "DELETE FROM audit_log WHERE seq = 2")  # the tail: the chain alone cannot tell
    report = verify_audit(registry)
    assert (report.ok, report.entries, report.first_broken_seq) == (False, 1, None)
    assert report.reason == (
        f"scorecard {shas[1]} has no audit entry: it was not recorded through golive"
    )


def test_deleted_scorecard_is_named_by_its_entry(registry: Registry) -> None:
    shas = _record(registry, 3)
    statements = {
        "sqlite": ["DROP TRIGGER check_results_no_delete", "DROP TRIGGER scorecards_no_delete"],
        "postgresql": [
            "DROP TRIGGER check_results_append_only ON check_results",
            "DROP TRIGGER scorecards_append_only ON scorecards",
        ],
    }[registry.engine.dialect.name]
    _raw(
        registry,
        *statements,
        "DELETE FROM check_results WHERE scorecard_id = 2",
        "DELETE FROM scorecards WHERE id = 2",
    )
    report = verify_audit(registry)
    assert (report.ok, report.entries, report.first_broken_seq) == (False, 3, 2)
    assert report.reason == f"the scorecard it records ({shas[1]}) is missing"


@pytest.mark.parametrize(
    ("at", "text"),
    [
        (datetime(2025, 12, 18, 9, 30, 0, 123456, tzinfo=UTC), "2025-12-18T09:30:00.123456Z"),
        (datetime(2025, 12, 18, 9, 30, 0, 250, tzinfo=UTC), "2025-12-18T09:30:00.000250Z"),
        (
            datetime(2025, 12, 18, 10, 30, tzinfo=timezone(timedelta(hours=1))),
            "2025-12-18T09:30:00Z",
        ),
    ],
)
def test_entry_time_is_hashed_as_fixed_rfc3339_text(
    registry: Registry, at: datetime, text: str
) -> None:
    # This text is part of every stored hash: changing its format would break old chains.
    with registry.write() as session:
        entry = append_audit(
            session, action="a", entity="e", entity_id="1", payload={}, actor="x", at=at
        )
    canonical = (
        '{"action":"a","actor":"x","at":"' + text + '","entity":"e","entity_id":"1",'
        '"payload":{},"seq":1}'
    ).encode()
    assert entry.hash == hashlib.sha256(b"0" * 64 + canonical).hexdigest()
    assert verify_audit(registry).ok
