"""Readiness claims in documents, and whether a cited golive scorecard backs each one.

A claim is a readiness label written in a Markdown, text or HTML document: a spec's
``signoff.label`` or one of :data:`DEFAULT_LABELS`, in any case, spacing, ``_``/``-``
separators, with or without emoji; or ``GO`` on a go/no-go line. It passes only when the
same document cites (``golive:scorecard:<sha256>``, or an API URL ``.../scorecards/<sha256>``)
a scorecard that is in the registry, ready, of the spec whose label was claimed, and not
older than ``max_age``. A label preceded by a negation ("not Production Ready") is not a
claim, and neither is text in Markdown code (fenced blocks and inline code spans), which is
how documents quote a label without claiming it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from golive.spec.proof import DEFAULT_MAX_AGE

DEFAULT_LABELS = (
    "Production Ready",
    "READY_FOR_GO_LIVE",
    "APPROVED FOR PRODUCTION",
    "Battle-Tested",
)
PASS_MARK = "✅ PASS"
GO = "GO"
_SEPARATOR = r"[\s_\-–—:·.]*"
_CHECKS = r"(?:✅|✔️?|☑️?|:white_check_mark:|:heavy_check_mark:)"
_PASS = re.compile(rf"{_CHECKS}\s*PASS(?![A-Za-z0-9])|(?<![A-Za-z0-9])PASS\s*{_CHECKS}")
_GO_LINE = re.compile(r"(?i)\bgo\s*/\s*no[\s\-]*go\b")
_GO = re.compile(r"(?i)(?<![A-Za-z0-9/\-])(?<!no )(?<!no-)go(?![A-Za-z0-9/\-])")
_NEGATION = re.compile(r"(?i)\b(?:not|isn't|isnt|never|no|nor)\s+(?:yet\s+)?(?:be\s+)?\W{0,3}$")
_CITATION = re.compile(
    r"golive:(?P<kind>scorecard|signoff):(?P<sha>[0-9a-f]{64})"
    r"|https?://[^\s)\"'<>]*/(?P<api>scorecards)/(?P<api_sha>[0-9a-f]{64})"
)
_FENCE = re.compile(r"^\s*(```|~~~)")
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_TAG = re.compile(r"<[^>]*>")
HTML_SUFFIXES = (".html", ".htm")


@dataclass(frozen=True)
class Label:
    """A label that is a readiness claim; ``spec`` names the spec it belongs to, if any."""

    text: str
    spec: str | None = None
    max_age: int = DEFAULT_MAX_AGE


@dataclass(frozen=True)
class Claim:
    """A label found in a document at ``line``:``column`` (1-based)."""

    line: int
    column: int
    text: str
    label: Label


@dataclass(frozen=True)
class Citation:
    """A reference to a golive scorecard or sign-off in a document."""

    line: int
    column: int
    kind: str  # scorecard | signoff
    sha256: str


@dataclass(frozen=True)
class CitedScorecard:
    """What the registry knows about a cited scorecard."""

    sha256: str
    spec_name: str
    ready: bool
    evaluated_at: datetime


@dataclass(frozen=True)
class Finding:
    """The verdict on one claim: backed, or why not."""

    path: str
    claim: Claim
    backed: bool
    reason: str  # backed | no-citation | unknown | not-ready | stale | wrong-spec
    message: str
    citation: str | None = None


Lookup = Callable[[str], CitedScorecard | None]


def label_pattern(label: str) -> re.Pattern[str]:
    """The label as a case-insensitive pattern that allows spacing and separator variants."""
    words = re.findall(r"[^\W_]+", label)
    if not words:
        return re.compile(re.escape(label))
    body = _SEPARATOR.join(re.escape(w) for w in words)
    return re.compile(rf"(?i)(?<![^\W_]){body}(?![^\W_])")


def find_claims(text: str, labels: list[Label], *, html: bool = False) -> list[Claim]:
    """Every claim in ``text``; overlapping matches keep the longest (a spec's full label)."""
    patterns = [(label_pattern(label.text), label) for label in labels]
    generic = Label(PASS_MARK)
    go = Label(GO)
    found: list[Claim] = []
    for number, line in _visible_lines(text, html=html):
        spans: list[tuple[int, int, Label]] = []
        for pattern, label in patterns:
            spans += [(m.start(), m.end(), label) for m in pattern.finditer(line)]
        spans += [(m.start(), m.end(), generic) for m in _PASS.finditer(line)]
        phrases = [m.span() for m in _GO_LINE.finditer(line)]
        if phrases:
            spans += [
                (m.start(), m.end(), go)
                for m in _GO.finditer(line)
                if not any(a <= m.start() < b for a, b in phrases)
            ]
        spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
        end = 0
        for start, stop, label in spans:
            if start < end or _NEGATION.search(line[:start]):
                continue
            found.append(Claim(number, start + 1, line[start:stop], label))
            end = stop
    return found


def find_citations(text: str) -> list[Citation]:
    """Every golive citation in ``text`` (code spans included: a citation is never a claim)."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        for m in _CITATION.finditer(line):
            kind = m.group("kind") or "scorecard"
            found.append(
                Citation(number, m.start() + 1, kind, m.group("sha") or m.group("api_sha"))
            )
    return found


def judge(
    path: str,
    claims: list[Claim],
    citations: list[Citation],
    lookup: Lookup,
    now: datetime,
    max_age: int | None = None,
    signoffs: Lookup | None = None,
) -> list[Finding]:
    """Each claim backed by one of the document's citations, or the reason it is not.

    ``signoffs`` resolves ``golive:signoff:<sha256>`` citations to the scorecard the
    sign-off rests on; without it they are unknown.
    """
    resolved = [(c, _resolve(c, lookup, signoffs)) for c in citations]
    findings = []
    for claim in claims:
        verdicts = [_verdict(path, claim, c, card, now, max_age) for c, card in resolved]
        if not verdicts:
            findings.append(
                Finding(
                    path,
                    claim,
                    False,
                    "no-citation",
                    f"claims {claim.text!r} but cites no golive scorecard "
                    "(golive:scorecard:<sha256>)",
                )
            )
            continue
        backed = next((v for v in verdicts if v.backed), None)
        findings.append(backed or verdicts[0])
    return findings


def _resolve(citation: Citation, lookup: Lookup, signoffs: Lookup | None) -> CitedScorecard | None:
    if citation.kind == "scorecard":
        return lookup(citation.sha256)
    return None if signoffs is None else signoffs(citation.sha256)


def _verdict(
    path: str,
    claim: Claim,
    citation: Citation,
    card: CitedScorecard | None,
    now: datetime,
    max_age: int | None,
) -> Finding:
    cited = f"golive:{citation.kind}:{citation.sha256}"
    short = f"{citation.kind} {citation.sha256[:12]}"

    def finding(reason: str, message: str) -> Finding:
        backed = reason == "backed"
        return Finding(path, claim, backed, reason, message, cited)

    if card is None:
        return finding("unknown", f"claims {claim.text!r} citing {short}, unknown to the registry")
    if claim.label.spec is not None and card.spec_name != claim.label.spec:
        return finding(
            "wrong-spec",
            f"claims {claim.text!r}, the label of spec {claim.label.spec!r}, but cites a "
            f"scorecard of spec {card.spec_name!r}",
        )
    if not card.ready:
        return finding("not-ready", f"claims {claim.text!r} citing {short}, which is not ready")
    limit = max_age if max_age is not None else claim.label.max_age
    age = now - card.evaluated_at
    if age > timedelta(seconds=limit):
        return finding(
            "stale",
            f"claims {claim.text!r} citing {short}, evaluated {_hours(age)} ago; "
            f"the limit is {_hours(timedelta(seconds=limit))}",
        )
    return finding("backed", f"backed by {short} ({card.spec_name}, ready)")


def _hours(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours:.0f}h" if hours >= 1 else f"{delta.total_seconds() / 60:.0f}m"


def _visible_lines(text: str, *, html: bool) -> list[tuple[int, str]]:
    """Lines as a reader sees them: code blanked (Markdown), tags blanked (HTML), same columns."""
    lines = []
    fenced = False
    for number, line in enumerate(text.splitlines(), 1):
        if html:
            line = _TAG.sub(lambda m: " " * len(m.group()), line)
        elif _FENCE.match(line):
            fenced = not fenced
            continue
        elif fenced:
            continue
        else:
            line = _INLINE_CODE.sub(lambda m: " " * len(m.group()), line)
        lines.append((number, line))
    return lines


READY_ITEM = "READY_FOR_GO_LIVE"
_CELL = re.compile(r"[^|]+")


@dataclass(frozen=True)
class ItemRow:
    """A Markdown table row naming a register item (first cell that is an item id)."""

    line: int
    item: str


def find_item_rows(text: str, items: set[str]) -> list[ItemRow]:
    """The table rows of ``text`` that name one of ``items`` in a cell."""
    rows = []
    for number, line in _visible_lines(text, html=False):
        if not line.lstrip().startswith("|"):
            continue
        named = [m.group().strip() for m in _CELL.finditer(line) if m.group().strip() in items]
        if named:
            rows.append(ItemRow(number, named[0]))
    return rows


def judge_items(
    findings: list[Finding], rows: list[ItemRow], status_of: Callable[[str], str]
) -> list[Finding]:
    """A ``READY_FOR_GO_LIVE`` on an item's row is judged by that item's computed status.

    A cited scorecard does not make an item ready: the register, computed from evidence
    and signed promotions, is what a tracker row must agree with.
    """
    by_line = {row.line: row.item for row in rows}
    judged = []
    for f in findings:
        item = by_line.get(f.claim.line)
        if item is None or f.claim.label.text != READY_ITEM:
            judged.append(f)
            continue
        status = status_of(item)
        if status == READY_ITEM:
            judged.append(
                Finding(f.path, f.claim, True, "backed", f"{item} is {READY_ITEM} in the register")
            )
        else:
            judged.append(
                Finding(
                    f.path,
                    f.claim,
                    False,
                    "item-status",
                    f"says {item} is {READY_ITEM}, but the register computes {status}; "
                    "generate the table with `golive item export --format markdown`",
                )
            )
    return judged
