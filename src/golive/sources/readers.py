"""Every record source's reader behind one signature: (config, spec folder, evaluation instant).

The engine takes such a mapping (``evaluate(..., readers=...)``). The edges decide
whether commands may run: the CLI passes ``readers(commands=not no_commands)``, the
API ``readers(commands=False)``; a spec whose source type has no reader gets
``error`` on its checks, never a pass.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from golive.sources import (
    alerts,
    benchmark,
    command,
    env,
    file,
    git,
    http,
    junit,
    prometheus,
    scorecards,
    security,
    traces,
)
from golive.sources.base import RecordReader, Records


def _prometheus(config: Any, base_dir: Path, at: datetime) -> Records:
    return prometheus.read(config, base_dir, at=at)


_INSTANT_FREE: dict[str, Callable[[Any, Path], Records]] = {
    "junit": junit.read,
    "benchmark": benchmark.read,
    "security": security.read,
    "traces": traces.read,
    "git": git.read,
    "file": file.read,
    "env": env.read,
    "http": http.read,
    "alerts": alerts.read,
    "scorecards": scorecards.read,
}


def _ignoring_instant(read: Callable[[Any, Path], Records]) -> RecordReader:
    def reader(config: Any, base_dir: Path, at: datetime) -> Records:
        return read(config, base_dir)

    return reader


def readers(*, commands: bool) -> dict[str, RecordReader]:
    """The readers of every source type but jsonl; ``command`` only when ``commands``."""
    table: dict[str, RecordReader] = {
        name: _ignoring_instant(read) for name, read in _INSTANT_FREE.items()
    }
    table["prometheus"] = _prometheus
    if commands:
        table["command"] = _ignoring_instant(command.read)
    return table
