"""Property: a check over evidence that is missing or unreadable is never ``pass``."""

from __future__ import annotations

import gzip
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from golive.engine.evaluate import evaluate
from golive.spec.models import MEASURES, Spec

AT = datetime(2025, 12, 18, tzinfo=UTC)


def _break(kind: str, folder: Path, name: str) -> None:
    target = folder / name
    if kind == "directory":
        target.mkdir()
    elif kind == "binary":
        target.write_bytes(bytes(range(256)) * 4)
    elif kind == "truncated-gzip":
        whole = gzip.compress(b'{"ts": "2025-12-17T00:00:00Z", "n": 1}\n' * 500)
        target.write_bytes(whole[: len(whole) // 2])
    elif kind == "not-utf8":
        target.write_bytes(b'{"ts": "2025-12-17T00:00:00Z", "n": "\xff\xfe"}\n')
    # "missing": nothing is written


@st.composite
def trivially_true_checks(draw: st.DrawFn) -> dict[str, Any]:
    """Checks whose expectation any observed value would meet: only the evidence can fail them."""
    measure = draw(st.sampled_from(MEASURES))
    check: dict[str, Any] = {"id": "c", "source": "r", "measure": measure}
    check["expect"] = draw(st.sampled_from([">= 0", "<= 1e12", "!= -1"]))
    if measure == "ratio":
        check["of"] = "true"
    if measure not in ("count", "ratio", "span", "age"):
        check["field"] = "n"
    check["window"] = draw(st.sampled_from(["all", "7d"]))
    return check


@settings(max_examples=60, deadline=None)
@given(
    kind=st.sampled_from(["missing", "directory", "binary", "truncated-gzip", "not-utf8"]),
    check=trivially_true_checks(),
    glob=st.booleans(),
)
def test_missing_or_unreadable_evidence_is_never_a_pass(
    kind: str, check: dict[str, Any], glob: bool
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        _assert_not_passing(Path(folder), kind, check, glob)


def _assert_not_passing(tmp_path: Path, kind: str, check: dict[str, Any], glob: bool) -> None:
    name = "evidence.jsonl" + (".gz" if kind == "truncated-gzip" else "")
    _break(kind, tmp_path, name)
    spec = Spec.model_validate(
        {
            "version": 1,
            "name": "t",
            "sources": {"r": {"type": "jsonl", "path": "evid*" if glob else name, "time": "ts"}},
            "checks": [check],
        }
    )
    card = evaluate(spec, base_dir=tmp_path, spec_path="s.yaml", spec_sha256="", at=AT)
    assert card.checks[0].status in ("no_data", "error"), card.checks[0]
    assert not card.ready
