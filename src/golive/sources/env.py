"""Environment variables by name: whether each is set. Values never leave this module.

``present`` is true when the variable is set to a non-empty value (an empty
``REDIS_URL`` configures nothing). Only the names and the booleans appear in
records and evidence; the evidence hash is over those, not over any value.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from golive.canonical import digest
from golive.sources.base import EvidenceItem, Records
from golive.spec.sources import EnvSource


def read(config: EnvSource, base_dir: Path) -> Records:
    """One record per name: ``{"name": ..., "present": true|false}``."""
    rows: list[dict[str, Any]] = [
        {"name": name, "present": bool(os.environ.get(name))} for name in config.names
    ]
    item = EvidenceItem("env:" + ",".join(config.names), digest(rows), len(rows))
    return Records(rows, [item], config.time)
