"""The object reader of JSON lines: the exact reader's answers, or a signal to use that one."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from golive.engine.compiler import (
    SourceScan,
    compile_json_objects,
    compile_json_source,
    needed_fields,
)
from golive.engine.duck import duck_session
from golive.engine.evaluate import evaluate, plan_check
from golive.engine.fields import object_keys
from golive.spec.models import Spec

from .test_differential import AT, AT_US, checks, records

NOT_OBJECTS = ["{not json", "[1, 2]", '"text"', "42", "null", "true", '{"ts": 1} trailing']


def _spec(check_list: list[dict[str, Any]] | tuple[dict[str, Any], ...]) -> Spec:
    return Spec.model_validate(
        {
            "version": 1,
            "name": "fields",
            "sources": {
                "r": {"type": "jsonl", "path": "r.jsonl", "time": "ts", "max_invalid": 10**6}
            },
            "checks": list(check_list),
        }
    )


def _both(path: Path, spec: Spec) -> tuple[SourceScan, SourceScan]:
    """The scans of ``path`` by the object reader and by the exact reader."""
    planned = [plan_check(spec, i, c, AT_US) for i, c in enumerate(spec.checks)]
    keys = object_keys(needed_fields(planned), "ts")
    assert keys is not None
    fast = compile_json_objects("objects", keys, planned, "ts", per_file=False)
    exact = compile_json_source("lines", planned, "ts", per_file=False)
    with duck_session() as duck:
        duck.add_json_objects_view("objects", [path], keys)
        duck.add_jsonl_view("lines", [path])
        return fast.read(duck.run(fast.statement)), exact.read(duck.run(exact.statement))


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)
    return bool(a == b)


def _assert_same_answers(fast: dict[str, Any], exact: dict[str, Any]) -> None:
    fast = {k: v for k, v in fast.items() if k != "suspects"}
    assert fast.keys() == exact.keys()
    for key, value in exact.items():
        assert _same(fast[key], value), (key, fast[key], value)


def _holds_none(record: dict[str, Any], keys: list[str]) -> bool:
    return all(record.get(k) is None for k in keys)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(records(), max_size=30),
    check_list=st.integers(1, 4).flatmap(lambda n: st.tuples(*(checks(i) for i in range(n)))),
)
def test_the_object_reader_answers_as_the_exact_reader_or_counts_suspects(
    tmp_path: Path, rows: list[dict[str, Any]], check_list: tuple[dict[str, Any], ...]
) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    spec = _spec(check_list)
    fast, exact = _both(path, spec)
    keys = object_keys(
        needed_fields([plan_check(spec, i, c, AT_US) for i, c in enumerate(spec.checks)]), "ts"
    )
    assert keys is not None
    # an object holding none of the keys (or only nulls) cannot be told from a bad line
    assert fast.total["suspects"] == sum(_holds_none(r, keys) for r in rows)
    if fast.total["suspects"] == 0:
        _assert_same_answers(fast.total, exact.total)
        assert fast.buckets.keys() == exact.buckets.keys()
        for index, buckets in exact.buckets.items():
            assert buckets.keys() == fast.buckets[index].keys()
            for number, values in buckets.items():
                _assert_same_answers(fast.buckets[index][number], values)


@pytest.mark.parametrize("line", NOT_OBJECTS)
def test_a_line_that_is_not_an_object_is_a_suspect_and_the_exact_reader_counts_it(
    tmp_path: Path, line: str
) -> None:
    path = tmp_path / "r.jsonl"
    good = '{"ts": "2025-12-17T10:00:00Z", "action": "x"}\n'
    path.write_text(good + line + "\n" + good)
    spec = _spec([{"id": "n", "source": "r", "measure": "count", "expect": ">= 0"}])
    fast, exact = _both(path, spec)
    assert fast.total["suspects"] == 1
    assert exact.total["malformed"] == 1
    card = evaluate(spec, base_dir=tmp_path, spec_path="s.yaml", spec_sha256="0" * 64, at=AT)
    [check] = card.checks
    assert check.observed == 2
    assert check.evidence[0].invalid == 1
    assert list(check.evidence[0].invalid_lines) == [2]


@pytest.mark.parametrize(
    ("names", "time_field", "keys"),
    [
        (["action", "ctx.lane", "ctx.zone"], "ts", ["ts", "action", "ctx"]),
        (["ts"], "ts", ["ts"]),
        ([], None, None),  # nothing to read: no row could be told from a bad line
        (["filename"], "ts", None),  # DuckDB's own column
        (["Lane", "lane"], "ts", None),  # DuckDB's names ignore case
        (["FileName.x"], None, None),
    ],
)
def test_object_keys(names: list[str], time_field: str | None, keys: list[str] | None) -> None:
    assert object_keys(names, time_field) == keys


def test_fields_the_object_reader_cannot_name_are_read_exactly(tmp_path: Path) -> None:
    (tmp_path / "r.jsonl").write_text(
        '{"ts": "2025-12-17T10:00:00Z", "filename": "a", "Lane": 1, "lane": 2}\n'
        '{"ts": "2025-12-17T11:00:00Z", "filename": "b", "Lane": 1, "lane": 1}\n'
    )
    spec = _spec(
        [
            {
                "id": "f",
                "source": "r",
                "where": 'filename == "a"',
                "measure": "count",
                "expect": ">= 0",
            },
            {
                "id": "l",
                "source": "r",
                "where": "Lane == 1 and lane == 1",
                "measure": "count",
                "expect": ">= 0",
            },
        ]
    )
    card = evaluate(spec, base_dir=tmp_path, spec_path="s.yaml", spec_sha256="0" * 64, at=AT)
    assert [c.observed for c in card.checks] == [1, 1]
