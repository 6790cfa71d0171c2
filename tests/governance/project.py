"""A small governed project on disk, for CLI tests: a spec, evidence, bundled keys."""

from __future__ import annotations

import json
from pathlib import Path

from tests.governance.conftest import GOVERNANCE, KEYS

CHECKS = """
sources:
  app: {type: jsonl, path: app.log, time: ts}
checks:
  - {id: uc1.a, source: app, where: 'kind == "a"', measure: count, expect: ">= 1"}
  - {id: uc1.b, source: app, where: 'kind == "b"', measure: count, expect: ">= 1"}
  - {id: uc2.a, source: app, where: 'kind == "c"', measure: count, expect: ">= 1"}
  - id: security.critical-high
    source: app
    where: kind == "vuln"
    measure: count
    expect: "== 0"
"""


def write_project(folder: Path, *, kinds: tuple[str, ...] = ("a", "b")) -> Path:
    """Write golive.yaml, app.log (one record per kind) and an artifact; return the spec path."""
    folder.mkdir(parents=True, exist_ok=True)
    spec = folder / "golive.yaml"
    spec.write_text(f"version: 1\nname: shop\n{GOVERNANCE}{CHECKS}")
    lines = [json.dumps({"ts": "2025-12-17T12:00:00Z", "kind": kind}) for kind in kinds]
    (folder / "app.log").write_text("".join(line + "\n" for line in lines))
    (folder / "shop.whl").write_bytes(b"wheel\n")
    return spec


def key(name: str) -> str:
    """Path of the bundled private key of ``name``."""
    return str(KEYS / f"{name}_ed25519")
