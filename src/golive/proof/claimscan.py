"""Check the readiness claims of files on disk against the registry."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import ExitStack
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from golive.errors import NotFoundError, UsageError
from golive.governance.gate import recorded_decision
from golive.governance.items import item_register
from golive.proof.claims import (
    DEFAULT_LABELS,
    HTML_SUFFIXES,
    CitedScorecard,
    Finding,
    Label,
    find_citations,
    find_claims,
    find_item_rows,
    judge,
    judge_items,
)
from golive.registry import Registry, get_scorecard, open_registry
from golive.spec.loader import LoadedSpec
from golive.spec.models import Spec

SUFFIXES = (".md", ".markdown", ".txt", ".rst", ".html", ".htm")


def labels_of(specs: Iterable[LoadedSpec], defaults: Iterable[str] = DEFAULT_LABELS) -> list[Label]:
    """The default labels, then each spec's ``signoff.label`` (bound to that spec)."""
    labels = [Label(text) for text in defaults]
    for loaded in specs:
        spec = loaded.spec
        if spec.signoff is None:
            if spec.items:
                continue  # its items' tracker rows are still checked
            raise UsageError(
                f"{loaded.path}: spec {spec.name!r} has no signoff section and no items, so "
                "nothing to check; add `signoff: {label: ...}` or leave out --spec"
            )
        labels.append(Label(spec.signoff.label, spec.name, spec.signoff.max_age))
    return labels


class RegistryLookup:
    """Looks cited scorecards and item statuses up; opens the registry only when asked.

    So a linter run over documents without citations or item rows never creates a
    registry file. ``specs`` name the register items whose tracker rows are checked.
    """

    def __init__(self, url: str, specs: Sequence[Spec] = ()) -> None:
        self.url = url
        self._stack = ExitStack()
        self._registry: Registry | None = None
        self._specs = specs
        self._statuses: dict[str, str] | None = None
        self.items = {item.id for spec in specs for item in spec.items}

    def _opened(self) -> Registry:
        if self._registry is None:
            self._registry = self._stack.enter_context(open_registry(self.url))
        return self._registry

    def item_status(self, item: str) -> str:
        """The item's status as the register computes it now."""
        if self._statuses is None:
            self._statuses = {
                row.id: row.status
                for spec in self._specs
                for row in item_register(self._opened(), spec)
            }
        return self._statuses[item]

    def signoff(self, sha256: str) -> CitedScorecard | None:
        """The scorecard a sign-off rests on; a sign-off is named by its gate decision's sha256.

        Ready only when that decision allowed the release.
        """
        decision = recorded_decision(self._opened(), sha256)
        if decision is None or decision.get("scorecard") is None:
            return None
        card = self(str(decision["scorecard"]["sha256"]))
        if card is None:
            return None
        return replace(card, ready=card.ready and bool(decision["allowed"]))

    def __call__(self, sha256: str) -> CitedScorecard | None:
        try:
            stored = get_scorecard(self._opened(), sha256)
        except NotFoundError:
            return None
        return CitedScorecard(stored.sha256, stored.spec_name, stored.ready, stored.evaluated_at)

    def __enter__(self) -> RegistryLookup:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()


def documents(paths: Iterable[Path]) -> list[Path]:
    """The files named, and the documents (by suffix) under the folders named, sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
            )
        elif path.is_file():
            found.append(path)
        else:
            raise UsageError(f"{path}: no such file or folder")
    return found


def check_documents(
    paths: Iterable[Path],
    labels: list[Label],
    lookup: RegistryLookup,
    now: datetime,
    max_age: int | None = None,
) -> list[Finding]:
    """Every claim in every document, judged; item rows by the register."""
    findings: list[Finding] = []
    for path in documents(paths):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise UsageError(f"{path}: cannot be read: {exc.strerror or exc}") from None
        html = path.suffix.lower() in HTML_SUFFIXES
        claims = find_claims(text, labels, html=html)
        citations = find_citations(text)
        judged = judge(str(path), claims, citations, lookup, now, max_age, lookup.signoff)
        if lookup.items and not html:
            rows = find_item_rows(text, lookup.items)
            judged = judge_items(judged, rows, lookup.item_status)
        findings += judged
    return findings
