"""Each API request is a server span continuing the caller's W3C ``traceparent``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from golive.observe.tracing import BUFFER, configure_tracing, shutdown_tracing
from golive.registry import record_scorecard
from golive.registry.tokens import Role
from golive.sources import traces
from golive.spec.sources import TracesSource

from .conftest import Api, scorecard

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT_ID = "00f067aa0ba902b7"


@pytest.fixture
def traced(tmp_path: Path) -> Iterator[Path]:
    """Spans buffered under ``tmp_path`` for the test, flushed and stopped after it."""
    configure_tracing(tmp_path)
    yield tmp_path
    shutdown_tracing()


def test_a_request_continues_the_callers_trace(api: Api, traced: Path) -> None:
    record_scorecard(api.registry, scorecard(), actor="carol")
    headers = {**api.auth(Role.VIEWER), "traceparent": f"00-{TRACE_ID}-{PARENT_ID}-01"}
    assert api.client.get("/api/v1/scorecards/1", headers=headers).status_code == 200
    assert api.client.get("/api/v1/scorecards/1").status_code == 401
    shutdown_tracing()
    spans = traces.read(TracesSource(type="traces", path=str(BUFFER)), traced).rows
    servers = [s for s in spans if s["kind"] == "server"]
    assert [s["name"] for s in servers] == ["GET /api/v1/scorecards/{ref}"] * 2
    continued, fresh = servers
    assert (continued["trace_id"], continued["parent_span_id"]) == (TRACE_ID, PARENT_ID)
    assert continued["attributes"]["http"]["route"] == "/api/v1/scorecards/{ref}"
    assert continued["attributes"]["http"]["response"]["status_code"] == 200
    assert fresh["trace_id"] != TRACE_ID
    assert fresh["parent_span_id"] is None
    assert fresh["attributes"]["http"]["response"]["status_code"] == 401
