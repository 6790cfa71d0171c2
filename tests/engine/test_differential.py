"""The SQL engine against the plain-Python oracle on generated records and checks."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from golive.engine.evaluate import evaluate
from golive.spec.expr import parse_expression
from golive.spec.models import MEASURES, Spec
from golive.times import epoch_us, to_epoch_us

from .oracle import lookup, measure

AT = datetime(2025, 12, 18, tzinfo=UTC)
AT_US = epoch_us(AT)
WORDS = ["x", "xy", "y", "m", "strict", "", "X", "x*y", "a.b", 'x"y', '"x', "x\ny", "\\x"]

texts = st.sampled_from(WORDS)
numbers = st.one_of(
    st.integers(-1000, 1000),
    st.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False).map(lambda f: round(f, 3)),
)
times = st.one_of(
    st.integers(0, 3 * 86400).map(
        lambda s: datetime.fromtimestamp(AT.timestamp() - s, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    ),
    st.integers(0, 3 * 86400).map(lambda s: int(AT.timestamp()) - s),
    st.integers(0, 3 * 86400).map(lambda s: (int(AT.timestamp()) - s) * 1000),
    st.integers(0, 86400).map(
        lambda s: datetime.fromtimestamp(AT.timestamp() - s, tz=UTC).strftime(
            "%Y-%m-%dT%H:%M:%S+02:00"
        )
    ),
    st.just(AT.strftime("%Y-%m-%dT%H:%M:%SZ")),
    st.just("2025-12-17T10:00:00"),
    st.just("yesterday"),
    st.just(True),
    st.none(),
)
MISSING = object()


def _put(record: dict[str, Any], key: str, value: Any) -> None:
    if value is not MISSING:
        record[key] = value


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    record: dict[str, Any] = {}
    _put(record, "ts", draw(st.one_of(times, st.just(MISSING))))
    _put(
        record,
        "a",
        draw(st.one_of(texts, st.integers(-3, 3), st.booleans(), st.none(), st.just(MISSING))),
    )
    _put(record, "n", draw(st.one_of(numbers, texts, st.booleans(), st.none(), st.just(MISSING))))
    _put(record, "flag", draw(st.one_of(st.booleans(), st.just("true"), st.just(MISSING))))
    lane = draw(
        st.one_of(
            st.just({"lane": "strict"}), st.just({"lane": 1}), st.just("strict"), st.just(MISSING)
        )
    )
    _put(record, "ctx", lane)
    return record


atoms = st.sampled_from(
    [
        'a == "x"',
        'a != "y"',
        "a == 1",
        "a == true",
        "a == null",
        "a != null",
        "n > 2.5",
        "n <= 3",
        "-1 < n",
        'a < "m"',
        'a >= "x"',
        'a in ["x", 1, null]',
        'a not in ["x", true]',
        'startswith(a, "x")',
        'endswith(a, "y")',
        'contains(a, ".")',
        'glob(a, "x*")',
        'matches(a, "^[xy]")',
        "flag",
        'ctx.lane == "strict"',
        "ctx.lane != null",
        "true",
    ]
)


@st.composite
def expressions(draw: st.DrawFn, depth: int = 2) -> str:
    if depth == 0 or draw(st.booleans()):
        return draw(atoms)
    kind = draw(st.sampled_from(["and", "or", "not"]))
    if kind == "not":
        return f"not ({draw(expressions(depth - 1))})"
    return f"({draw(expressions(depth - 1))}) {kind} ({draw(expressions(depth - 1))})"


@st.composite
def checks(draw: st.DrawFn, index: int) -> dict[str, Any]:
    m = draw(st.sampled_from(MEASURES))
    check: dict[str, Any] = {"id": f"c{index}", "source": "r", "measure": m, "expect": ">= 0"}
    if draw(st.booleans()):
        check["where"] = draw(expressions())
    if m == "ratio":
        check["of"] = draw(expressions())
    if m in ("sum", "avg", "min", "max", "p50", "p90", "p95", "p99"):
        check["field"] = "n"
    if m == "distinct":
        check["field"] = draw(st.sampled_from(["a", "n"]))
    check["window"] = draw(st.sampled_from(["all", "1d", "2d", "36h"]))
    if check["window"] != "all" and draw(st.booleans()):
        check["every"] = draw(st.sampled_from(["6h", "12h"]))
    return check


def _close(a: float | int | None, b: float | int | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(records(), max_size=40),
    malformed=st.integers(0, 2),
    check_list=st.integers(1, 4).flatmap(lambda n: st.tuples(*(checks(i) for i in range(n)))),
)
def test_engine_matches_the_oracle(
    tmp_path: Path,
    rows: list[dict[str, Any]],
    malformed: int,
    check_list: tuple[dict[str, Any], ...],
) -> None:
    lines = [json.dumps(r) for r in rows] + ["{not json"] * malformed
    evidence = tmp_path / "r.jsonl"
    evidence.write_text("\n".join(lines) + ("\n" if lines else ""))
    spec = Spec.model_validate(
        {
            "version": 1,
            "name": "diff",
            "sources": {
                "r": {"type": "jsonl", "path": "r.jsonl", "time": "ts", "max_invalid": 10**6}
            },
            "checks": list(check_list),
        }
    )
    card = evaluate(spec, base_dir=tmp_path, spec_path="s.yaml", spec_sha256="0" * 64, at=AT)
    badtime = sum(1 for r in rows if to_epoch_us(lookup(r, "ts")) is None)
    for check, result in zip(spec.checks, card.checks, strict=True):
        window = spec.window_of(check)
        start = None if window == "all" else AT_US - window.seconds * 1_000_000
        expected, invalid = measure(
            rows,
            measure=check.measure,
            where=None if check.where is None else parse_expression(check.where.text),
            of=None if check.of is None else check.of.tree,
            field=check.field,
            time_field="ts",
            start_us=start,
            end_us=None if start is None else AT_US,
            at_us=AT_US,
        )
        if check.every is None:
            assert _close(result.observed, expected), (check, result.observed, expected)
        else:
            assert result.buckets is not None
            assert start is not None
            step = check.every.seconds * 1_000_000
            assert len(result.buckets) == (AT_US - start) // step
            for k, bucket in enumerate(result.buckets):
                in_bucket, _ = measure(
                    rows,
                    measure=check.measure,
                    where=None if check.where is None else check.where.tree,
                    of=None if check.of is None else check.of.tree,
                    field=check.field,
                    time_field="ts",
                    start_us=start + k * step,
                    end_us=start + (k + 1) * step,
                    at_us=AT_US,
                )
                assert _close(bucket.observed, in_bucket), (check, k, bucket, in_bucket)
        uses_time = window != "all" or check.measure in ("span", "age")
        expected_invalid = malformed + (badtime if uses_time else 0) + invalid
        assert result.evidence[0].invalid == expected_invalid, (check, result.evidence[0])
        assert result.evidence[0].records == len(rows)
