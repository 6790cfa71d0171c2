"""Builders for governance tests: a spec with approvers, an open registry, a settable clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from golive.governance.keys import SigningKey, load_private_key
from golive.registry import Registry, open_registry
from golive.spec.loader import parse_spec
from golive.spec.models import Spec

KEYS = Path(__file__).parent.parent / "data" / "governance"
T0 = datetime(2025, 12, 18, tzinfo=UTC)


def public_line(name: str) -> str:
    """The bundled public key line of ``name``."""
    return (KEYS / f"{name}_ed25519.pub").read_text().strip()


def private_key(name: str) -> SigningKey:
    """The bundled private key of ``name``."""
    return load_private_key(KEYS / f"{name}_ed25519")


GOVERNANCE = f"""
governance:
  approvers:
    alice: "{public_line("alice")}"
    bob: "{public_line("bob")}"
    carol: "{public_line("carol")}"
  approvals: {{min: 2, distinct_from_creator: true}}
  waivers: {{max_days: 30, never: [security.critical-high]}}
  rehearsal: {{max_age: 30d}}
  postmortem: {{due: 72h}}
  scorecard: {{max_age: 24h}}
items:
  - {{id: UC-001, title: Ingest, owner: carol, requires: [uc1.a, uc1.b]}}
  - {{id: UC-002, title: Replay, owner: dave, requires: [uc2.a]}}
"""


def make_spec(governance: str = GOVERNANCE) -> Spec:
    """A spec named ``shop`` with the governance section above (no checks needed)."""
    return parse_spec(f"version: 1\nname: shop\n{governance}", "golive.yaml")


class Clock:
    """A clock tests move by hand."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def spec() -> Spec:
    return make_spec()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def registry(registry_url: str) -> Iterator[Registry]:
    with open_registry(registry_url) as opened:
        yield opened


@pytest.fixture
def artifact(tmp_path: Path) -> Path:
    path = tmp_path / "shop-1.4.0.whl"
    path.write_bytes(b"wheel bytes\n")
    return path
