"""The env source reports presence only; a value never reaches records or evidence."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest

from golive.sources import env
from golive.spec.sources import EnvSource

SECRET = "s3cr3t-redis-password-4f1c"


def test_presence_without_values(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GOLIVE_T_REDIS_URL", f"redis://:{SECRET}@cache:6379/0")
    monkeypatch.setenv("GOLIVE_T_EMPTY", "")
    monkeypatch.delenv("GOLIVE_T_MISSING", raising=False)
    config = EnvSource.model_validate(
        {"type": "env", "names": ["GOLIVE_T_REDIS_URL", "GOLIVE_T_EMPTY", "GOLIVE_T_MISSING"]}
    )
    out = env.read(config, tmp_path)
    assert out.rows == [
        {"name": "GOLIVE_T_REDIS_URL", "present": True},
        {"name": "GOLIVE_T_EMPTY", "present": False},
        {"name": "GOLIVE_T_MISSING", "present": False},
    ]
    [item] = out.evidence
    assert item.records == 3
    dumped = repr(out) + json.dumps(out.rows) + json.dumps([asdict(e) for e in out.evidence])
    assert SECRET not in dumped
    assert "redis://" not in dumped


def test_evidence_hash_changes_with_presence_only(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = EnvSource.model_validate({"type": "env", "names": ["GOLIVE_T_X"]})
    monkeypatch.setenv("GOLIVE_T_X", "one")
    first = env.read(config, tmp_path).evidence[0].sha256
    monkeypatch.setenv("GOLIVE_T_X", "two")
    assert env.read(config, tmp_path).evidence[0].sha256 == first  # values don't matter
    monkeypatch.delenv("GOLIVE_T_X")
    assert env.read(config, tmp_path).evidence[0].sha256 != first


def test_names_are_validated() -> None:
    with pytest.raises(ValueError, match="pattern"):
        EnvSource.model_validate({"type": "env", "names": ["NOT A NAME"]})
    with pytest.raises(ValueError, match="at least 1"):
        EnvSource.model_validate({"type": "env", "names": []})
