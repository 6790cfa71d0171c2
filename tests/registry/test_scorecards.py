"""Recording and looking up scorecards, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from golive.canonical import canonical_json, digest
from golive.errors import NotFoundError, RegistryError, UsageError
from golive.registry import (
    Registry,
    get_scorecard,
    latest_scorecard,
    list_scorecards,
    record_scorecard,
    verify_audit,
)
from golive.registry.models import AuditLog, CheckResult, Scorecard

from .registry_builders import T0, MakeScorecard, scorecard

Clock = Callable[[], datetime]


def _day(n: int) -> str:
    return f"2025-12-{n:02d}T00:00:00Z"


def test_record_stores_row_checks_and_audit_entry(
    registry: Registry, make_scorecard: MakeScorecard, clock: Clock
) -> None:
    document = make_scorecard()
    stored = record_scorecard(registry, document, actor="carol", clock=clock, trace_id="ab" * 16)

    assert stored.id == 1
    assert stored.sha256 == digest(document)
    assert stored.spec_name == "governance-v5-battle-tested"
    assert stored.spec_path == "golive.yaml"
    assert stored.spec_sha256 == document["spec"]["sha256"]
    assert stored.evaluated_at == datetime(2025, 12, 18, tzinfo=UTC)
    assert stored.recorded_at == T0
    assert stored.recorded_by == "carol"
    assert (stored.ready, stored.score, stored.trace_id) == (False, 0.5, "ab" * 16)
    assert stored.document == document
    with registry.read() as session:
        row = session.scalars(select(Scorecard)).one()
        assert row.document == canonical_json(document).decode()
        checks = session.execute(
            select(
                CheckResult.check_id, CheckResult.status, CheckResult.observed, CheckResult.required
            ).order_by(CheckResult.check_id)
        ).all()
        assert [tuple(c) for c in checks] == [
            ("PR-11.error-rate", "fail", 0.125, True),
            ("PR-7.volume", "pass", 41.0, True),
        ]
        audit = session.scalars(select(AuditLog)).one()
        assert (audit.seq, audit.action, audit.entity, audit.entity_id) == (
            1,
            "scorecard.recorded",
            "scorecard",
            stored.sha256,
        )
        assert (audit.actor, audit.at) == ("carol", T0)
        assert (
            audit.payload == '{"ready":false,"score":0.5,"spec_name":"governance-v5-battle-tested"}'
        )


def test_get_reads_back_what_was_recorded(
    registry: Registry, make_scorecard: MakeScorecard, clock: Clock
) -> None:
    stored = record_scorecard(registry, make_scorecard(), actor="carol", clock=clock)
    assert get_scorecard(registry, stored.id) == stored
    assert get_scorecard(registry, str(stored.id)) == stored
    assert get_scorecard(registry, stored.sha256) == stored
    assert get_scorecard(registry, stored.sha256[:8]) == stored
    assert get_scorecard(registry, stored.sha256[:20].upper()) == stored


def test_recording_twice_returns_the_first_row_and_audits_once(
    registry: Registry, make_scorecard: MakeScorecard, clock: Clock
) -> None:
    first = record_scorecard(registry, make_scorecard(), actor="carol", clock=clock)
    later: Clock = lambda: T0 + timedelta(hours=1)  # noqa: E731
    again = record_scorecard(registry, make_scorecard(), actor="dave", clock=later)
    assert again == first
    with registry.read() as session:
        assert session.scalar(select(func.count()).select_from(Scorecard)) == 1
        assert session.scalar(select(func.count()).select_from(AuditLog)) == 1
    assert verify_audit(registry).entries == 1


def test_instants_round_trip_exactly(registry: Registry, make_scorecard: MakeScorecard) -> None:
    # An offset other than Z and microseconds: both must come back as the same UTC instant.
    document = make_scorecard(evaluated_at="2025-12-18T01:00:00.000250+01:00")
    recorded_at = datetime(2025, 12, 18, 12, 0, 0, 999999, tzinfo=timezone(timedelta(hours=-5)))
    stored = record_scorecard(registry, document, actor="carol", clock=lambda: recorded_at)
    again = get_scorecard(registry, stored.id)
    assert again.evaluated_at == datetime(2025, 12, 18, 0, 0, 0, 250, tzinfo=UTC)
    assert again.evaluated_at.tzinfo == UTC
    assert again.recorded_at == datetime(2025, 12, 18, 17, 0, 0, 999999, tzinfo=UTC)
    assert again.recorded_at.utcoffset() == timedelta(0)


def test_latest_is_the_newest_evaluation_of_that_spec(
    registry: Registry, make_scorecard: MakeScorecard, clock: Clock
) -> None:
    assert latest_scorecard(registry, "web") is None
    for day, name in [(3, "web"), (5, "web"), (4, "web"), (9, "api")]:
        record_scorecard(
            registry, make_scorecard(name=name, evaluated_at=_day(day)), actor="c", clock=clock
        )
    latest = latest_scorecard(registry, "web")
    assert latest is not None
    assert latest.evaluated_at == datetime(2025, 12, 5, tzinfo=UTC)


def test_list_newest_first_with_filters_and_pages(
    registry: Registry, make_scorecard: MakeScorecard, clock: Clock
) -> None:
    for day in range(1, 11):
        name = "web" if day % 2 else "api"
        ready = day >= 6
        record_scorecard(
            registry,
            make_scorecard(name=name, evaluated_at=_day(day), ready=ready),
            actor="c",
            clock=clock,
        )

    def days(**filters: Any) -> list[int]:
        return [s.evaluated_at.day for s in list_scorecards(registry, **filters)]

    assert days() == [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]
    assert days(spec_name="web") == [9, 7, 5, 3, 1]
    assert days(ready=True) == [10, 9, 8, 7, 6]
    assert days(ready=False, spec_name="api") == [4, 2]
    # since is inclusive, until exclusive: [since, until)
    since, until = datetime(2025, 12, 3, tzinfo=UTC), datetime(2025, 12, 6, tzinfo=UTC)
    assert days(since=since, until=until) == [5, 4, 3]
    assert days(limit=3) == [10, 9, 8]
    assert days(limit=3, offset=3) == [7, 6, 5]
    assert days(limit=3, offset=9) == [1]
    assert days(offset=10) == []
    assert days(spec_name="nobody") == []


def test_list_refuses_bad_paging(registry: Registry) -> None:
    with pytest.raises(UsageError, match="limit must be at least 1, got 0"):
        list_scorecards(registry, limit=0)
    with pytest.raises(UsageError, match="offset must be 0 or more, got -1"):
        list_scorecards(registry, offset=-1)
    with pytest.raises(ValueError, match="since must be timezone-aware"):
        list_scorecards(registry, since=datetime(2025, 12, 1))


def _insert_with_sha(registry: Registry, sha256: str) -> None:
    """A row whose sha256 is chosen, to build prefixes that collide on purpose."""
    with registry.write() as session:
        session.add(
            Scorecard(
                sha256=sha256,
                spec_name="web",
                spec_path="golive.yaml",
                spec_sha256="0" * 64,
                evaluated_at=T0,
                recorded_at=T0,
                recorded_by="test",
                ready=False,
                score=0.0,
                document="{}",
            )
        )


def test_prefix_lookup_ambiguous_and_unique(registry: Registry) -> None:
    _insert_with_sha(registry, "12345678" + "a" * 56)
    _insert_with_sha(registry, "12345678" + "b" * 56)
    with pytest.raises(UsageError, match=r"scorecard prefix '12345678' is ambiguous: it matches "):
        get_scorecard(registry, "12345678")
    # An all-digit string of 8 or more characters is a prefix, never an id.
    with pytest.raises(NotFoundError, match="no scorecard '00000001'"):
        get_scorecard(registry, "00000001")
    # A unique prefix finds the row, which is then refused: its document is not what it claims.
    with pytest.raises(RegistryError, match=r"scorecard 2 in registry .* was altered"):
        get_scorecard(registry, "12345678b")


def _tamper(registry: Registry, statement: str) -> None:
    """Edit a scorecard behind golive's back, past the append-only trigger."""
    with registry.engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("DROP TRIGGER scorecards_no_update")
        else:
            connection.exec_driver_sql("DROP TRIGGER scorecards_append_only ON scorecards")
        connection.exec_driver_sql(statement)


@pytest.mark.parametrize(
    ("statement", "refusal"),
    [
        ("UPDATE scorecards SET ready = true", "scorecards is append-only: UPDATE is refused"),
        ("DELETE FROM scorecards", "scorecards is append-only: DELETE is refused"),
        ("UPDATE check_results SET status = 'pass'", "check_results is append-only: UPDATE"),
        ("DELETE FROM check_results", "check_results is append-only: DELETE is refused"),
    ],
)
def test_recorded_rows_refuse_update_and_delete(
    registry: Registry, make_scorecard: MakeScorecard, clock: Clock, statement: str, refusal: str
) -> None:
    record_scorecard(registry, make_scorecard(), actor="carol", clock=clock)
    with pytest.raises(DBAPIError, match=refusal), registry.engine.begin() as connection:
        connection.exec_driver_sql(statement)
    assert get_scorecard(registry, 1).ready is False


def test_a_column_edited_past_the_trigger_is_refused_on_read(
    registry: Registry, make_scorecard: MakeScorecard, clock: Clock
) -> None:
    stored = record_scorecard(registry, make_scorecard(), actor="carol", clock=clock)
    _tamper(registry, "UPDATE scorecards SET ready = true")
    altered = (
        r"scorecard 1 in registry .* was altered after it was recorded: "
        r"ready is True but its document says False; do not rely on it"
    )
    with pytest.raises(RegistryError, match=altered):
        get_scorecard(registry, stored.id)
    with pytest.raises(RegistryError, match=altered):
        latest_scorecard(registry, stored.spec_name)
    with pytest.raises(RegistryError, match=altered):
        list_scorecards(registry)


def test_a_document_edited_past_the_trigger_is_refused_on_read(
    registry: Registry, make_scorecard: MakeScorecard, clock: Clock
) -> None:
    stored = record_scorecard(registry, make_scorecard(), actor="carol", clock=clock)
    _tamper(
        registry,
        "UPDATE scorecards SET ready = true, "
        """document = replace(document, '"ready":false', '"ready":true')""",
    )
    with pytest.raises(RegistryError, match=rf"its document no longer hashes to {stored.sha256}"):
        get_scorecard(registry, stored.sha256)


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        (99, r"no scorecard 99 in registry .*`golive history` lists"),
        ("99", r"no scorecard '99' in registry"),
        ("deadbeef", r"no scorecard 'deadbeef' in registry"),
        ("f" * 64, r"no scorecard 'f{64}' in registry"),
    ],
)
def test_get_unknown_is_not_found(registry: Registry, ref: int | str, message: str) -> None:
    with pytest.raises(NotFoundError, match=message):
        get_scorecard(registry, ref)


@pytest.mark.parametrize("ref", ["abc", "1234567g", "f" * 65, "", "-1", "12 34"])
def test_get_malformed_reference_is_a_usage_error(registry: Registry, ref: str) -> None:
    with pytest.raises(UsageError, match=r"expected an id .* at least 8 hex characters"):
        get_scorecard(registry, ref)


def _broken(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    document = scorecard()
    change(document)
    return document


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(schema="golive.scorecard/v2"), r"schema must be 'golive.scorecard/v1'"),
        (lambda d: d.pop("spec"), r"spec must be an object"),
        (lambda d: d["spec"].pop("name"), r"spec.name must be a non-empty string, got None"),
        (lambda d: d.update(evaluated_at="yesterday"), r"'yesterday' is not an RFC 3339 instant"),
        (lambda d: d.update(evaluated_at="2025-12-18T00:00:00"), r"has no time zone"),
        (lambda d: d.update(ready="yes"), r"ready must be true or false, got 'yes'"),
        (lambda d: d.update(score=1.5), r"score must be a number from 0 to 1, got 1.5"),
        (lambda d: d.update(score=True), r"score must be a number from 0 to 1, got True"),
        (lambda d: d.update(checks={}), r"checks must be a list"),
        (lambda d: d["checks"][1].update(status="ok"), r"checks\[1\].status must be one of pass"),
        (lambda d: d["checks"][0].update(observed="41"), r"checks\[0\].observed must be a number"),
        (lambda d: d["checks"][0].update(observed=float("nan")), r"observed must be a number"),
        (lambda d: d["checks"][0].pop("required"), r"checks\[0\].required must be true or false"),
        (lambda d: d["checks"][1].update(id="PR-7.volume"), r"'PR-7.volume' appears twice"),
        (lambda d: d.update(ready=True), r"ready is true but required check 'PR-11.error-rate'"),
        (
            lambda d: d["checks"][0]["evidence"][0].update(records=float("inf")),
            r"it has no canonical JSON form \(inf is not representable in JCS\)",
        ),
    ],
)
def test_malformed_documents_are_refused_and_nothing_is_written(
    registry: Registry, change: Callable[[dict[str, Any]], None], message: str, clock: Clock
) -> None:
    with pytest.raises(UsageError, match=message):
        record_scorecard(registry, _broken(change), actor="carol", clock=clock)
    assert list_scorecards(registry) == []
    assert verify_audit(registry).entries == 0


def test_not_ready_with_passing_checks_is_kept(
    registry: Registry, make_scorecard: MakeScorecard, clock: Clock
) -> None:
    # More cautious than its checks (fail closed): stored as it is.
    document = make_scorecard(ready=True)
    document["ready"] = False
    assert record_scorecard(registry, document, actor="c", clock=clock).ready is False


def test_naive_clock_is_refused(registry: Registry, make_scorecard: MakeScorecard) -> None:
    with pytest.raises(ValueError, match="must be timezone-aware"):
        record_scorecard(
            registry, make_scorecard(), actor="c", clock=lambda: datetime(2025, 12, 18)
        )
    assert list_scorecards(registry) == []
