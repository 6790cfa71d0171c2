"""The same checks over JSONL, Parquet and PostgreSQL copies of the same evidence agree."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from golive.engine.evaluate import evaluate
from golive.engine.scorecard import Scorecard
from golive.spec.models import Spec
from tests.sqlload import fresh_schema, jsonl_to_parquet, jsonl_to_postgres, postgres_url

EXAMPLE = Path(__file__).parents[2] / "examples" / "battle-tested"
AT = datetime(2025, 12, 18, tzinfo=UTC)


def _evaluate(document: dict[str, Any], base_dir: Path) -> Scorecard:
    spec = Spec.model_validate(document)
    return evaluate(spec, base_dir=base_dir, spec_path="golive.yaml", spec_sha256="0" * 64, at=AT)


def _verdicts(card: Scorecard) -> list[dict[str, Any]]:
    """Everything about each check except the evidence (which names other inputs)."""
    out = []
    for check in card.to_document()["checks"]:
        out.append({k: v for k, v in check.items() if k != "evidence"})
    return out


@pytest.fixture
def example() -> dict[str, Any]:
    return yaml.safe_load((EXAMPLE / "golive.yaml").read_text())  # type: ignore[no-any-return]


def _as_parquet(document: dict[str, Any], folder: Path) -> dict[str, Any]:
    typed = copy.deepcopy(document)
    for name, source in typed["sources"].items():
        jsonl_to_parquet(EXAMPLE / source["path"], folder / f"{name}.parquet")
        typed["sources"][name] = {
            "type": "parquet",
            "path": f"{name}.parquet",
            "time": source["time"],
        }
    return typed


def test_parquet_scorecard_matches_jsonl(example: dict[str, Any], tmp_path: Path) -> None:
    jsonl = _evaluate(example, EXAMPLE)
    parquet = _evaluate(_as_parquet(example, tmp_path), tmp_path)
    assert _verdicts(parquet) == _verdicts(jsonl)
    assert any(c.buckets for c in jsonl.checks)  # buckets were compared too
    router = parquet.checks[0].evidence[0]
    assert (router.path, router.records) == ("router.parquet", 253)


@pytest.mark.postgres
def test_postgres_and_parquet_scorecards_match_jsonl(
    example: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = postgres_url()
    monkeypatch.setenv("GOLIVE_PG", url)
    jsonl = _evaluate(example, EXAMPLE)
    parquet = _evaluate(_as_parquet(example, tmp_path), tmp_path)
    with fresh_schema(url) as (engine, schema):
        typed = copy.deepcopy(example)
        for name, source in typed["sources"].items():
            jsonl_to_postgres(EXAMPLE / source["path"], engine, f"{schema}.{name}")
            typed["sources"][name] = {
                "type": "sql",
                "url_env": "GOLIVE_PG",
                "table": f"{schema}.{name}",
                "time": source["time"],
            }
        postgres = _evaluate(typed, tmp_path)
    for j, p, s in zip(_verdicts(jsonl), _verdicts(parquet), _verdicts(postgres), strict=True):
        assert j == p == s, (j["id"], j, p, s)
    evidence = postgres.checks[0].evidence[0]
    assert evidence.path.startswith("postgresql")
    assert evidence.records == 253
    assert len(evidence.sha256 or "") == 64
