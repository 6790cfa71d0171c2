"""Shared builders for the proof tests: a recorded scorecard over a private copy of a spec."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from golive.engine.evaluate import evaluate
from golive.registry import open_registry, record_scorecard
from golive.sources.readers import readers
from golive.spec.loader import load_spec
from golive.times import parse_instant

DATA = Path(__file__).parents[1] / "data" / "proof"
AT = "2025-12-18T00:00:00Z"


@dataclass(frozen=True)
class Recorded:
    """A spec copied under tmp_path, evaluated and recorded in ``registry``."""

    spec: Path
    registry: str
    sha256: str


def record(spec: Path, registry: str, at: str = AT, trace_id: str | None = None) -> Recorded:
    """Evaluate ``spec`` at ``at`` and record the scorecard."""
    loaded = load_spec(spec)
    card = evaluate(
        loaded.spec,
        base_dir=loaded.base_dir,
        spec_path=str(spec),
        spec_sha256=loaded.sha256,
        at=parse_instant(at),
        readers=readers(commands=False),
    )
    with open_registry(registry) as store:
        stored = record_scorecard(store, card.to_document(), actor="carol", trace_id=trace_id)
    return Recorded(spec, registry, stored.sha256)


def copy_example(name: str, tmp_path: Path) -> Path:
    """A private copy of ``tests/data/proof/<name>``; the path of its golive.yaml."""
    target = tmp_path / name
    shutil.copytree(DATA / name, target)
    return target / "golive.yaml"


@pytest.fixture
def mixed(tmp_path: Path, registry_url: str) -> Recorded:
    """The mixed-status spec, recorded (trace id set) in a fresh registry."""
    return record(copy_example("mixed", tmp_path), registry_url, trace_id="4bf92f3577b34da6")


@dataclass(frozen=True)
class KeyPair:
    """An ed25519 key written as OpenSSH files ``private`` and ``public``."""

    key: Ed25519PrivateKey
    private: Path
    public: Path


def make_key(folder: Path, name: str) -> KeyPair:
    """A new ed25519 key pair in OpenSSH format, as ssh-keygen writes it."""
    key = Ed25519PrivateKey.generate()
    private = folder / name
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.OpenSSH,
            serialization.NoEncryption(),
        )
    )
    public = folder / f"{name}.pub"
    public.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
        )
        + b" release@example\n"
    )
    return KeyPair(key, private, public)


@pytest.fixture
def release_key(tmp_path: Path) -> KeyPair:
    """The release signer's key."""
    return make_key(tmp_path, "release")
