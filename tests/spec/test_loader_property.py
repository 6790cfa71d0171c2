"""Whatever the input, the loader returns a Spec or raises SpecError: never a traceback."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from golive.errors import SpecError
from golive.spec.loader import parse_spec

KEYS = [
    "version",
    "name",
    "sources",
    "defaults",
    "checks",
    "type",
    "path",
    "time",
    "id",
    "source",
    "where",
    "measure",
    "of",
    "field",
    "expect",
    "warn",
    "window",
    "every",
    "required",
    "weight",
    "max_invalid",
    "jsonl",
    "router",
    "x",
]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(
        [
            "7d",
            "24h",
            "all",
            ">= 1",
            "count",
            "ratio",
            "p95",
            "jsonl",
            "router",
            'a == "x"',
            "x.lower()",
            "1 < a < 3",
            "",
            "0s",
        ]
    ),
    st.text(max_size=8),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(KEYS), inner, max_size=5),
    ),
    max_leaves=25,
)


def survives(text: str) -> None:
    problems = []
    try:
        parse_spec(text, "fuzz.yaml")
    except SpecError as exc:
        problems = exc.problems
        assert problems, "a SpecError names at least one problem"
    for problem in problems:
        assert problem.line >= 1
        assert problem.col >= 1
        assert problem.message


@settings(max_examples=200, deadline=None)
@given(VALUES)
def test_any_yaml_data_is_a_spec_or_a_spec_error(data: Any) -> None:
    survives(yaml.safe_dump(data))


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=4),
    st.lists(st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=8), max_size=3),
)
def test_spec_shaped_data_is_a_spec_or_a_spec_error(
    source: dict[str, Any], checks: list[dict[str, Any]]
) -> None:
    data = {"version": 1, "name": "fuzz", "sources": {"router": source}, "checks": checks}
    survives(yaml.safe_dump(data))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab: -[]{}'\"\n#&*!|>%@`\t,?")), max_size=60))
def test_any_text_is_a_spec_or_a_spec_error(text: str) -> None:
    survives(text)
