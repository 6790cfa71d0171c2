"""Docs keep up with the code: every command and every source type is documented."""

from __future__ import annotations

import sys
import typing
from pathlib import Path

import pytest

from golive.spec.models import MEASURES, SourceSpec

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "docs"))

from _cog import command_paths  # noqa: E402


@pytest.mark.parametrize("path", command_paths(), ids=lambda p: " ".join(p))
def test_every_command_is_documented(path: list[str]) -> None:
    assert f"### golive {' '.join(path)}\n" in (ROOT / "docs" / "cli.md").read_text()


def _source_types() -> list[str]:
    union = typing.get_args(SourceSpec)[0]
    members = typing.get_args(union) or (union,)
    return [typing.get_args(m.model_fields["type"].annotation)[0] for m in members]


@pytest.mark.parametrize("source_type", _source_types())
def test_every_source_type_is_documented(source_type: str) -> None:
    docs = "".join(p.read_text() for p in (ROOT / "docs").glob("*.md"))
    assert f"type: {source_type}" in docs


@pytest.mark.parametrize("measure", MEASURES)
def test_every_measure_is_in_the_spec_reference(measure: str) -> None:
    assert f"`{measure}`" in (ROOT / "docs" / "spec-reference.md").read_text()
