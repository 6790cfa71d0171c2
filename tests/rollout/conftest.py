"""Rollout fixtures: the small spec of tests/data/rollout copied beside evidence we write."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from golive.flags.model import Flag
from golive.registry import Registry, create_flag, open_registry
from golive.registry.flag_edits import with_rollout

from .rollout_builders import SPEC, T0, Evidence


@pytest.fixture
def spec_file(tmp_path: Path) -> Path:
    """The test spec, copied into tmp_path."""
    target = tmp_path / "golive.yaml"
    shutil.copy(SPEC, target)
    return target


@pytest.fixture
def evidence(spec_file: Path) -> Evidence:
    """Empty evidence files beside the spec."""
    return Evidence(spec_file.parent)


@pytest.fixture
def store(registry_url: str) -> Iterator[Registry]:
    """An open registry holding flag ``f``: enabled, flexibleRollout at 0%."""
    with open_registry(registry_url) as opened:
        create_flag(opened, with_rollout(Flag("f", True), 0), actor="alice", clock=lambda: T0)
        yield opened
