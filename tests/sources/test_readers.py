"""The reader table the engine uses: every source type, commands only when allowed."""

from __future__ import annotations

import socket
import sys
import typing
from datetime import UTC, datetime
from pathlib import Path

import pytest

from golive.errors import EvidenceError
from golive.sources.readers import readers
from golive.spec.models import SourceSpec
from golive.spec.sources import CommandSource, EnvSource, PrometheusSource

AT = datetime(2025, 12, 17, 8, 0, tzinfo=UTC)


def _types() -> set[str]:
    models = typing.get_args(typing.get_args(SourceSpec)[0])
    return {typing.get_args(m.model_fields["type"].annotation)[0] for m in models}


def test_every_record_source_type_has_a_reader() -> None:
    assert set(readers(commands=True)) == _types() - {"jsonl", "sql", "parquet", "csv"}


def test_commands_only_when_allowed(tmp_path: Path) -> None:
    assert "command" not in readers(commands=False)
    config = CommandSource(type="command", argv=[sys.executable, "-c", "print('hi')"])
    out = readers(commands=True)["command"](config, tmp_path, AT)
    assert out.rows[0]["stdout_tail"] == "hi"


def test_instant_reaches_prometheus_and_is_ignored_elsewhere(tmp_path: Path) -> None:
    env = readers(commands=False)["env"](EnvSource(type="env", names=["PATH"]), tmp_path, AT)
    assert env.rows == [{"name": "PATH", "present": True}]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = PrometheusSource(type="prometheus", url=f"http://127.0.0.1:{port}", query="up")
    # Nothing listens there: the error names the URL, whose query holds the instant.
    with pytest.raises(EvidenceError, match=r"time=2025-12-17T08%3A00%3A00Z"):
        readers(commands=False)["prometheus"](config, tmp_path, AT)
