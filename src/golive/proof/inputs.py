"""Choose what a bundle proves: a scorecard from the registry and the spec it was evaluated from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from golive.errors import NotFoundError, UsageError
from golive.proof.collectors import BundleInputs
from golive.proof.redact import Redactor
from golive.registry import Registry, StoredScorecard, get_scorecard, latest_scorecard
from golive.spec.loader import load_spec
from golive.spec.models import Spec
from golive.times import parse_instant, rfc3339


@dataclass(frozen=True)
class Selected:
    """The bundle's inputs, the spec evaluated and its redaction rules."""

    inputs: BundleInputs
    redactor: Redactor
    spec: Spec


def select(
    registry: Registry,
    *,
    scorecard: str | None,
    spec: Path | None,
    at: str | None,
) -> Selected:
    """The scorecard ``scorecard`` (id, sha256 or prefix), else the latest of ``spec``.

    Without ``spec``, the spec is the file the scorecard names (``spec.path``, relative
    to the current folder). ``at`` (RFC 3339) is the bundle's ``collected_at``; the
    scorecard's ``evaluated_at`` by default, so the same inputs give the same bundle.
    """
    if scorecard is not None:
        stored = get_scorecard(registry, scorecard)
        spec_path = spec if spec is not None else Path(stored.spec_path)
        if spec is None and not spec_path.is_file():
            raise UsageError(
                f"scorecard {stored.sha256[:12]} was evaluated from {stored.spec_path!r}, "
                "which is not a file from this folder; give the spec with --spec"
            )
        loaded = load_spec(spec_path)
    else:
        spec_path = spec if spec is not None else Path("golive.yaml")
        loaded = load_spec(spec_path)
        found = latest_scorecard(registry, loaded.spec.name)
        if found is None:
            raise NotFoundError(
                f"no scorecard of spec {loaded.spec.name!r} in registry {registry.url}; "
                f"run `golive check {spec_path}` first"
            )
        stored = found
    if loaded.spec.name != stored.spec_name:
        raise UsageError(
            f"{spec_path} is spec {loaded.spec.name!r} but scorecard {stored.sha256[:12]} is of "
            f"{stored.spec_name!r}; give the spec it was evaluated from with --spec"
        )
    inputs = BundleInputs(
        scorecard=stored.document,
        scorecard_sha256=stored.sha256,
        trace_id=stored.trace_id,
        spec_path=spec_path,
        collected_at=_collected_at(at, stored),
    )
    redactor = Redactor(loaded.spec.redact) if loaded.spec.redact else Redactor()
    return Selected(inputs, redactor, loaded.spec)


def _collected_at(at: str | None, stored: StoredScorecard) -> str:
    if at is None:
        return str(stored.document["evaluated_at"])
    try:
        return rfc3339(parse_instant(at))
    except ValueError as exc:
        raise UsageError(f"--at: {exc}") from None
