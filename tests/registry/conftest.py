"""Registry fixtures: an open registry on each database, scorecard documents, a fixed clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

import pytest

from golive.registry import Registry, open_registry

from .registry_builders import T0, MakeScorecard, scorecard


@pytest.fixture
def registry(registry_url: str) -> Iterator[Registry]:
    """An open, migrated, empty registry."""
    with open_registry(registry_url) as opened:
        yield opened


@pytest.fixture
def make_scorecard() -> MakeScorecard:
    """Build scorecard documents: the committed one with some fields changed."""
    return scorecard


@pytest.fixture
def clock() -> Callable[[], datetime]:
    """A clock that always says T0 (2025-12-18T09:30:00.123456Z)."""
    return lambda: T0
