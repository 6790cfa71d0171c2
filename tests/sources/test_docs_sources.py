"""docs/sources.md documents every source type, and each of its examples is a valid spec."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest
import yaml

from golive.spec.models import SourceSpec, Spec

DOC = Path(__file__).parent.parent.parent / "docs" / "sources.md"
TEXT = DOC.read_text()
EXAMPLES = re.findall(r"```yaml\n(.*?)```", TEXT, flags=re.DOTALL)


def _types() -> list[str]:
    union = typing.get_args(SourceSpec)[0]
    models = typing.get_args(union)
    return [typing.get_args(m.model_fields["type"].annotation)[0] for m in models]


@pytest.mark.parametrize("source_type", [t for t in _types() if t != "jsonl"])
def test_every_source_type_has_a_section_and_an_example(source_type: str) -> None:
    assert f"\n## {source_type}\n" in TEXT
    assert any(f"type: {source_type}\n" in example for example in EXAMPLES)


@pytest.mark.parametrize("example", EXAMPLES, ids=range(len(EXAMPLES)))
def test_examples_are_valid_specs(example: str) -> None:
    spec = Spec.model_validate({"version": 1, "name": "doc", **yaml.safe_load(example)})
    assert spec.checks
    for check in spec.checks:
        assert check.source in spec.sources
