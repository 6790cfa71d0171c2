"""docs/spec-reference.md documents every key, measure, operator and function, correctly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from golive.spec.expr import FUNCTIONS, parse_expression
from golive.spec.loader import parse_spec
from golive.spec.models import MEASURES, Check, Defaults, JsonlSource, Spec

DOC = (Path(__file__).parent.parent.parent / "docs" / "spec-reference.md").read_text()
YAML_BLOCKS = re.findall(r"```yaml\n(.*?)```", DOC, re.S)
SOURCES = "sources:\n" + "".join(
    f"  {name}: {{type: jsonl, path: {name}.log, time: ts}}\n"
    for name in ("router", "errors", "monitor")
)


@pytest.mark.parametrize(
    ("model", "prefix"),
    [(Spec, ""), (Defaults, "defaults."), (Check, ""), (JsonlSource, "")],
)
def test_every_key_is_documented(model: type, prefix: str) -> None:
    for key in model.model_fields:
        assert f"| `{key}` |" in DOC or f"`{prefix}{key}`" in DOC, key


def test_every_measure_and_function_is_documented() -> None:
    for measure in MEASURES:
        assert re.search(rf"^\| (`p\d\d` )*`{measure}`", DOC, re.M), measure
    for function in FUNCTIONS:
        assert f"| `{function}(f, " in DOC, function
    for op in ("==", "!=", "<", "<=", ">", ">=", "in [v, ...]", "not in [v, ...]"):
        assert f"`f {op}" in DOC, op


def test_the_sources_heading_is_there_for_other_source_types() -> None:
    assert "\n## Sources\n" in DOC
    assert "\n### `jsonl`\n" in DOC


def test_the_opening_example_loads() -> None:
    spec = parse_spec(YAML_BLOCKS[0], "doc.yaml")
    assert [c.id for c in spec.checks] == ["PR-7.volume", "PR-11.error-rate", "PR-11.daily-monitor"]


def test_every_check_example_loads() -> None:
    checks = [b for b in YAML_BLOCKS if b.startswith(("checks:", "- "))]
    assert len(checks) >= 3
    for block in checks:
        body = block if block.startswith("checks:") else "checks:\n" + block
        parse_spec(f"version: 1\nname: doc\n{SOURCES}{body}", "doc.yaml")


def test_the_source_example_loads() -> None:
    block = next(b for b in YAML_BLOCKS if b.startswith("sources:\n  router:\n    type: jsonl"))
    spec = parse_spec(f"version: 1\nname: doc\n{block}", "doc.yaml")
    assert spec.sources["router"].max_invalid == 2


def test_the_expression_examples_parse() -> None:
    rows = re.findall(r"^\| `[^|]*` \|[^|]*\| `([^`]+)` \|$", DOC, re.M)
    assert len(rows) >= 15
    for text in rows:
        parse_expression(text)


def test_yaml_blocks_are_yaml() -> None:
    for block in YAML_BLOCKS:
        yaml.safe_load(block)
