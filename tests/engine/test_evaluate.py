"""``evaluate`` over the committed JSONL fixtures: values worked out by hand."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from golive.engine.evaluate import evaluate
from golive.engine.scorecard import CheckResult, Scorecard
from golive.spec.models import Spec

AT = datetime(2025, 12, 18, tzinfo=UTC)
JSONL = Path(__file__).parents[1] / "data" / "jsonl"


def run(
    checks: list[dict[str, Any]],
    path: str | list[str] = "router_small.jsonl",
    *,
    at: datetime = AT,
    base: Path = JSONL,
    max_invalid: int = 0,
    time: str | None = "ts",
) -> Scorecard:
    source: dict[str, Any] = {"type": "jsonl", "path": path, "max_invalid": max_invalid}
    if time:
        source["time"] = time
    spec = Spec.model_validate(
        {
            "version": 1,
            "name": "t",
            "sources": {"router": source},
            "checks": [{"id": f"c{i}", "source": "router", **c} for i, c in enumerate(checks)],
        }
    )
    return evaluate(spec, base_dir=base, spec_path="golive.yaml", spec_sha256="0" * 64, at=at)


def one(check: dict[str, Any], **kwargs: Any) -> CheckResult:
    return run([check], **kwargs).checks[0]


V5 = 'action == "process_v5"'


def test_counts_worked_out_by_hand() -> None:
    card = run(
        [
            {"measure": "count", "where": V5, "expect": ">= 12"},
            {"measure": "count", "where": V5 + ' and lane == "strict"', "expect": "== 5"},
            {"measure": "count", "where": V5 + ' and lane == "local"', "expect": "== 7"},
            {"measure": "count", "where": 'status == "rejected"', "expect": "== 1"},
            {"measure": "ratio", "where": V5, "of": 'status == "error"', "expect": "<= 0.2"},
            {"measure": "distinct", "field": "wo_id", "expect": "== 12"},
        ],
    )
    assert [c.observed for c in card.checks] == [12, 5, 7, 1, 2 / 12, 12]
    assert all(c.status == "pass" for c in card.checks)
    assert card.ready
    assert card.score == 1.0


def test_numeric_measures_and_percentiles_interpolate_like_numpy() -> None:
    base = {"where": V5, "field": "duration_ms", "expect": ">= 0"}
    card = run([{**base, "measure": m} for m in ("sum", "avg", "min", "max", "p50", "p95")])
    # duration_ms of process_v5 is 10, 20, ..., 120
    assert [c.observed for c in card.checks] == [780, 65, 10, 120, 65, 114.5]


def test_window_holds_records_after_its_start_up_to_and_including_its_end() -> None:
    # process_v5 records at 2025-12-11T00:00Z + 12h steps; a 6d window ending at
    # 2025-12-17T00:00Z starts at 2025-12-11T00:00Z, which is excluded.
    at = datetime(2025, 12, 17, tzinfo=UTC)
    assert (
        one({"measure": "count", "where": V5, "window": "6d", "expect": ">= 0"}, at=at).observed
        == 11
    )
    # ending exactly on a record includes it
    at = datetime(2025, 12, 16, 12, tzinfo=UTC)
    check = {"measure": "count", "where": V5, "window": "12h", "expect": ">= 0"}
    assert one(check, at=at).observed == 1


def test_span_and_age_are_seconds() -> None:
    span = one({"measure": "span", "where": V5, "expect": ">= 5d"})
    assert span.observed == 5 * 86400 + 12 * 3600
    assert span.status == "pass"
    age = one({"measure": "age", "where": V5, "expect": "<= 2d"})
    assert age.observed == 86400 + 12 * 3600


def test_edge_cases_of_empty_selections() -> None:
    nothing = 'action == "nothing"'
    card = run(
        [
            {"measure": "count", "where": nothing, "expect": "== 0"},
            {"measure": "sum", "field": "duration_ms", "where": nothing, "expect": "== 0"},
            {"measure": "distinct", "field": "wo_id", "where": nothing, "expect": "== 0"},
            {"measure": "ratio", "where": nothing, "of": "true", "expect": ">= 0"},
            {"measure": "avg", "field": "duration_ms", "where": nothing, "expect": ">= 0"},
            {"measure": "p95", "field": "duration_ms", "where": nothing, "expect": ">= 0"},
            {"measure": "span", "where": nothing, "expect": ">= 0"},
            {"measure": "age", "where": nothing, "expect": ">= 0"},
        ]
    )
    assert [c.status for c in card.checks] == ["pass"] * 3 + ["no_data"] * 5
    assert [c.observed for c in card.checks][:3] == [0, 0, 0]
    assert not card.ready


def test_span_of_one_record_is_zero() -> None:
    assert one({"measure": "span", "where": 'wo_id == "WO-003"', "expect": "== 0"}).observed == 0


def test_warn_then_fail() -> None:
    base = {"measure": "count", "where": V5}
    assert one({**base, "expect": ">= 30", "warn": ">= 10"}).status == "warn"
    failing = one({**base, "expect": ">= 30", "warn": ">= 20"})
    assert failing.status == "fail"
    assert failing.message == "12 fails >= 30"


def test_missing_file_is_no_data_never_pass() -> None:
    result = one({"measure": "count", "expect": ">= 0"}, path="nope.jsonl")
    assert result.status == "no_data"
    assert result.message == "no evidence: nope.jsonl matched no file"


def test_empty_file_has_zero_records() -> None:
    result = one({"measure": "count", "expect": "== 0"}, path="empty.jsonl")
    assert result.status == "pass"
    assert result.evidence[0].records == 0


def test_malformed_lines_are_counted_listed_and_error_over_max_invalid() -> None:
    check = {"measure": "count", "expect": ">= 0"}
    result = one(check, path="bad_malformed.jsonl")
    assert result.status == "error"
    assert result.evidence[0].invalid == 2
    assert result.evidence[0].invalid_lines == (2, 3)
    assert result.message.startswith("2 invalid records exceed max_invalid 0")
    tolerated = one(check, path="bad_malformed.jsonl", max_invalid=2)
    assert tolerated.status == "pass"
    assert tolerated.observed == 2


def test_records_without_a_valid_time_are_invalid_only_when_a_window_applies() -> None:
    windowed = one({"measure": "count", "window": "7d", "expect": ">= 0"}, path="bad_time.jsonl")
    assert windowed.status == "error"
    assert windowed.evidence[0].invalid_lines == (2, 3, 4)
    unwindowed = one({"measure": "count", "expect": "== 4"}, path="bad_time.jsonl")
    assert unwindowed.status == "pass"


def test_non_numeric_values_are_invalid_and_nulls_are_skipped() -> None:
    check = {"measure": "sum", "field": "duration_ms", "expect": ">= 0"}
    assert one(check, path="bad_types.jsonl").status == "error"
    tolerated = one(check, path="bad_types.jsonl", max_invalid=1)
    assert tolerated.observed == 40
    assert tolerated.evidence[0].invalid == 1


def test_glob_reads_every_file_and_names_each() -> None:
    result = one({"measure": "count", "expect": "== 3", "window": "7d"}, path="daily/*.jsonl")
    assert result.status == "pass"
    assert [e.path for e in result.evidence] == [
        f"daily/router-2025-12-{d}.jsonl" for d in (15, 16, 17)
    ]
    assert [e.records for e in result.evidence] == [1, 1, 1]
    assert all(len(e.sha256 or "") == 64 for e in result.evidence)


def test_a_glob_matching_nothing_is_no_data() -> None:
    assert one({"measure": "count", "expect": ">= 0"}, path="daily/*.log").status == "no_data"


def test_every_bucket_must_pass_and_each_is_listed() -> None:
    result = one(
        {"measure": "count", "window": "4d", "every": "24h", "expect": ">= 1"},
        path="daily/*.jsonl",
    )
    assert result.status == "fail"
    assert result.buckets is not None
    assert [b.observed for b in result.buckets] == [0, 1, 1, 1]
    assert result.buckets[0].start == "2025-12-14T00:00:00Z"
    assert result.observed == 0
    assert result.message.endswith("3 of 4 buckets pass")


def test_epoch_seconds_milliseconds_and_offsets_mean_the_same_instant(tmp_path: Path) -> None:
    (tmp_path / "t.jsonl").write_text(
        '{"ts": 1765929600}\n'  # 2025-12-17T00:00:00Z in seconds
        '{"ts": 1765929600000}\n'  # the same in milliseconds
        '{"ts": "2025-12-17T01:00:00+01:00"}\n'  # the same with an offset
        '{"ts": "2025-12-16T23:59:59Z"}\n'  # exactly the window start: excluded
        '{"ts": 1765929599.5}\n'  # fractional epoch seconds, inside
    )
    check = {"measure": "count", "window": "1s", "expect": ">= 0"}
    at = datetime(2025, 12, 17, tzinfo=UTC)
    assert one(check, path="t.jsonl", base=tmp_path, at=at).observed == 4


def test_the_same_evidence_gives_the_same_scorecard_bytes(tmp_path: Path) -> None:
    shutil.copy(JSONL / "router_small.jsonl", tmp_path / "router_small.jsonl")
    checks = [
        {"measure": "avg", "field": "duration_ms", "expect": ">= 0"},
        {"measure": "count", "window": "7d", "every": "1d", "expect": ">= 0"},
    ]
    first = run(checks, base=tmp_path)
    second = run(checks, base=tmp_path)
    assert first.to_document() == second.to_document()
    assert first.sha256 == second.sha256
    assert first.to_document()["evaluated_at"] == "2025-12-18T00:00:00Z"


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ('lane != "strict"', 7),  # records without a lane are not "!= strict"
        ('not (lane == "strict")', 15),  # ... but they are "not == strict"
        ("lane == null", 8),
        ('startswith(wo_id, "WO-00")', 10),
        ("duration_ms > 100", 2),
        ('status in ["error", "rejected"]', 3),
    ],
)
def test_expression_semantics_on_missing_fields(where: str, expected: int) -> None:
    assert one({"measure": "count", "where": where, "expect": ">= 0"}).observed == expected


def test_unknown_only_id_is_a_usage_error() -> None:
    from golive.errors import UsageError

    spec = Spec.model_validate(
        {
            "version": 1,
            "name": "t",
            "sources": {"r": {"type": "jsonl", "path": "x.jsonl"}},
            "checks": [{"id": "a", "source": "r", "measure": "count", "expect": ">= 0"}],
        }
    )
    with pytest.raises(UsageError, match="unknown check id 'b' in --only"):
        evaluate(spec, base_dir=JSONL, spec_path="s", spec_sha256="", at=AT, only=["b"])


def test_age_ignores_records_after_the_evaluation_instant() -> None:
    # process_v5 records run to 2025-12-16T12:00Z; seen from 2025-12-14T00:00Z the
    # newest one at or before that instant is 2025-12-14T00:00Z itself.
    at = datetime(2025, 12, 14, tzinfo=UTC)
    assert one({"measure": "age", "where": V5, "expect": ">= 0"}, at=at).observed == 0
    before_all = datetime(2025, 12, 1, tzinfo=UTC)
    assert one({"measure": "age", "where": V5, "expect": ">= 0"}, at=before_all).status == "no_data"


def test_distinct_counts_equal_numbers_once_and_strings_apart(tmp_path: Path) -> None:
    (tmp_path / "d.jsonl").write_text(
        '{"v": 0}\n{"v": 0.0}\n{"v": "0"}\n{"v": true}\n{"v": 1}\n{"v": null}\n{}\n'
    )
    check = {"measure": "distinct", "field": "v", "expect": ">= 0"}
    assert one(check, path="d.jsonl", base=tmp_path, time=None).observed == 4


def test_distinct_treats_negative_zero_as_zero(tmp_path: Path) -> None:
    (tmp_path / "z.jsonl").write_text('{"v": -0.0}\n{"v": 0}\n')
    check = {"measure": "distinct", "field": "v", "expect": ">= 0"}
    assert one(check, path="z.jsonl", base=tmp_path, time=None).observed == 1


TRICKY = ["é", "日本", "\u2028", "\x7f", "a/b", "😀", "<>&'", " sp ", "", "e\u0301", 'q"t', "b\\s"]


@pytest.mark.parametrize("value", TRICKY)
def test_string_equality_whatever_the_json_escaping(tmp_path: Path, value: str) -> None:
    # Each value twice: \\u-escaped and raw UTF-8; a near miss and a number beside them.
    lines = [
        json.dumps({"a": value}),
        json.dumps({"a": value}, ensure_ascii=False),
        json.dumps({"a": value + "x"}),
        json.dumps({"a": 1}),
    ]
    (tmp_path / "t.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    literal = json.dumps(value, ensure_ascii=False)
    where = f"a == {literal}"
    check = {"measure": "count", "where": where, "expect": ">= 0"}
    assert one(check, path="t.jsonl", base=tmp_path, time=None).observed == 2
    negated = {"measure": "count", "where": f"a != {literal}", "expect": ">= 0"}
    assert one(negated, path="t.jsonl", base=tmp_path, time=None).observed == 2


def test_indented_objects_are_records_and_other_json_values_are_not(tmp_path: Path) -> None:
    (tmp_path / "w.jsonl").write_text('   {"a": 1}\n\t{"a": 2}\n[1]\n"text"\n', encoding="utf-8")
    check = {"measure": "count", "expect": ">= 0"}
    result = one(check, path="w.jsonl", base=tmp_path, time=None, max_invalid=2)
    assert result.observed == 2
    assert result.evidence[0].invalid_lines == (3, 4)
