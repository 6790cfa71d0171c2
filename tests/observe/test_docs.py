"""docs/observability-runtime.md names every metric golive emits and every span it makes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
DOC = (ROOT / "docs" / "observability-runtime.md").read_text()
OBSERVE = ROOT / "src" / "golive" / "observe"


def _emitted(pattern: str, *modules: str) -> set[str]:
    return {
        name for module in modules for name in re.findall(pattern, (OBSERVE / module).read_text())
    }


METRICS = _emitted(r'"(golive_[a-z_]+)"', "metrics.py", "asgi.py")
SPANS = _emitted(r'start(?:_as_current)?_span\(\s*"([^"]+)"', "instrument.py", "tracing.py")


@pytest.mark.parametrize("metric", sorted(METRICS))
def test_every_metric_is_documented(metric: str) -> None:
    shown = metric + "_total" if metric == "golive_gate_decisions" else metric
    assert f"| `{shown}` |" in DOC


@pytest.mark.parametrize("span", sorted(SPANS))
def test_every_span_is_documented(span: str) -> None:
    assert f"| `{span}` |" in DOC


def test_the_lists_are_not_empty() -> None:
    assert len(METRICS) == 12
    assert {"golive.check", "golive.source.read", "deployment.gate"} <= SPANS
