"""Check the readiness claims of files on disk against the registry."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path

from golive.errors import NotFoundError, UsageError
from golive.proof.claims import (
    DEFAULT_LABELS,
    HTML_SUFFIXES,
    CitedScorecard,
    Finding,
    Label,
    find_citations,
    find_claims,
    judge,
)
from golive.registry import Registry, get_scorecard, open_registry
from golive.spec.loader import load_spec

SUFFIXES = (".md", ".markdown", ".txt", ".rst", ".html", ".htm")


def labels_of(specs: Iterable[Path], defaults: Iterable[str] = DEFAULT_LABELS) -> list[Label]:
    """The default labels, then each spec's ``signoff.label`` (bound to that spec)."""
    labels = [Label(text) for text in defaults]
    for path in specs:
        spec = load_spec(path).spec
        if spec.signoff is None:
            raise UsageError(
                f"{path}: spec {spec.name!r} has no signoff section, so no label to check; "
                "add `signoff: {label: ...}` or leave out --spec"
            )
        labels.append(Label(spec.signoff.label, spec.name, spec.signoff.max_age))
    return labels


class RegistryLookup:
    """Looks cited scorecards up by sha256; opens the registry only when a document cites one.

    So a linter run over documents without citations never creates a registry file.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self._stack = ExitStack()
        self._registry: Registry | None = None

    def __call__(self, sha256: str) -> CitedScorecard | None:
        if self._registry is None:
            self._registry = self._stack.enter_context(open_registry(self.url))
        try:
            stored = get_scorecard(self._registry, sha256)
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
    lookup: Callable[[str], CitedScorecard | None],
    now: datetime,
    max_age: int | None = None,
) -> list[Finding]:
    """Every claim in every document, judged."""
    findings: list[Finding] = []
    for path in documents(paths):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise UsageError(f"{path}: cannot be read: {exc.strerror or exc}") from None
        html = path.suffix.lower() in HTML_SUFFIXES
        claims = find_claims(text, labels, html=html)
        findings += judge(str(path), claims, find_citations(text), lookup, now, max_age)
    return findings
