"""Every record source's reader behind one signature: (config, spec folder, evaluation instant).

The engine takes such a mapping (``evaluate(..., readers=...)``). The edges decide
whether commands may run: the CLI passes ``readers(commands=not no_commands)``, the
API ``readers(commands=False)``; a spec whose source type has no reader gets
``error`` on its checks, never a pass.

Each adapter module is imported when a spec first reads a source of its type, so a
spec of JSON Lines alone never loads the HTTP client, the XML parser or git.
"""

from __future__ import annotations

import importlib
from datetime import datetime
from pathlib import Path
from typing import Any

from golive.sources.base import RecordReader, Records

# Source types whose adapter reads no instant: read(config, base_dir).
_INSTANT_FREE = (
    "junit",
    "benchmark",
    "security",
    "traces",
    "git",
    "file",
    "env",
    "http",
    "alerts",
    "scorecards",
)


def _adapter(source_type: str) -> Any:
    return importlib.import_module(f"golive.sources.{source_type}")


def _ignoring_instant(source_type: str) -> RecordReader:
    def reader(config: Any, base_dir: Path, at: datetime) -> Records:
        records: Records = _adapter(source_type).read(config, base_dir)
        return records

    return reader


def _prometheus(config: Any, base_dir: Path, at: datetime) -> Records:
    records: Records = _adapter("prometheus").read(config, base_dir, at=at)
    return records


def readers(*, commands: bool) -> dict[str, RecordReader]:
    """The readers of every source type but jsonl; ``command`` only when ``commands``."""
    table = {name: _ignoring_instant(name) for name in _INSTANT_FREE}
    table["prometheus"] = _prometheus
    if commands:
        table["command"] = _ignoring_instant("command")
    return table
