"""Finding readiness claims and judging them against cited scorecards (pure functions)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from golive.proof.claims import (
    DEFAULT_LABELS,
    CitedScorecard,
    Label,
    find_citations,
    find_claims,
    judge,
)

DATA = Path(__file__).parents[1] / "data" / "proof" / "claims"
DEFAULTS = [Label(t) for t in DEFAULT_LABELS]
SPEC_LABEL = Label("PRODUCTION READY v5 — Battle-Tested", "proof-claims", 48 * 3600)
NOW = datetime(2025, 12, 18, 12, tzinfo=UTC)
SHA = "a" * 64


def claims(
    text: str, labels: list[Label] = DEFAULTS, html: bool = False
) -> list[tuple[int, int, str]]:
    return [(c.line, c.column, c.text) for c in find_claims(text, labels, html=html)]


def test_report_claims_with_positions() -> None:
    text = (DATA / "report.md").read_text()
    assert claims(text) == [
        (3, 11, "Production Ready"),
        (4, 16, "production-ready"),
        (4, 37, "battle tested"),
        (8, 14, "GO"),
        (10, 14, "✅ PASS"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "PRODUCTION_READY",
        "production  ready",
        "🚀 Production-Ready!",
        "ready for go-live",
        "Ready_For_Go_Live",
        "approved for production",
        "BATTLE—TESTED",
        "PASS ✅",
        "✔️ PASS",
        ":white_check_mark: PASS",
        "go / no-go decision: Go",
    ],
)
def test_case_emoji_and_spacing_variants_are_claims(text: str) -> None:
    assert len(claims(text)) == 1, text


@pytest.mark.parametrize(
    "text",
    [
        "not production ready",
        "It is NOT yet **Production Ready**.",
        "unproductionready",
        "PASSED 12 tests",
        "Go/No-Go: NO GO",
        "Go/No-Go: NO-GO",
        "let's go to lunch",  # no go/no-go on the line
        "`READY_FOR_GO_LIVE`",
    ],
)
def test_negations_code_and_lookalikes_are_not_claims(text: str) -> None:
    assert claims(text) == []


def test_a_specs_full_label_wins_over_the_defaults_inside_it() -> None:
    found = find_claims("We are PRODUCTION READY v5 - Battle Tested.", [*DEFAULTS, SPEC_LABEL])
    assert [(c.text, c.label.spec) for c in found] == [
        ("PRODUCTION READY v5 - Battle Tested", "proof-claims")
    ]


def test_html_tags_are_not_text_but_columns_are_kept() -> None:
    html = '<p class="Production Ready">Status: <b>Production Ready</b></p>'
    assert claims(html, html=True) == [(1, 40, "Production Ready")]


def test_citations_by_golive_uri_and_api_url() -> None:
    text = f"see golive:scorecard:{SHA}\nor https://golive.example/api/v1/scorecards/{'b' * 64}\n"
    text += f"and golive:signoff:{'c' * 64}, not golive:scorecard:{'d' * 12}\n"
    assert [(c.line, c.kind, c.sha256[0]) for c in find_citations(text)] == [
        (1, "scorecard", "a"),
        (2, "scorecard", "b"),
        (3, "signoff", "c"),
    ]


def verdict(card: CitedScorecard | None, label: Label = SPEC_LABEL, cite: bool = True) -> str:
    text = "PRODUCTION READY v5 — Battle-Tested" if label is SPEC_LABEL else "Production Ready"
    if cite:
        text += f"\ngolive:scorecard:{SHA}"
    found = judge(
        "r.md",
        find_claims(text, [*DEFAULTS, SPEC_LABEL]),
        find_citations(text),
        lambda sha: card if sha == SHA else None,
        NOW,
    )
    (finding,) = found
    return finding.reason


def card(spec: str = "proof-claims", ready: bool = True, hours: float = 1) -> CitedScorecard:
    return CitedScorecard(SHA, spec, ready, NOW - timedelta(hours=hours))


def test_judging_each_reason() -> None:
    assert verdict(card()) == "backed"
    assert verdict(card(), cite=False) == "no-citation"
    assert verdict(None) == "unknown"
    assert verdict(card(ready=False)) == "not-ready"
    assert verdict(card(hours=49)) == "stale"  # the spec's max_age is 48h
    assert verdict(card(spec="other-spec")) == "wrong-spec"
    # A default label is backed by a ready scorecard of any spec, within 24h.
    assert verdict(card(spec="other-spec"), Label("Production Ready")) == "backed"
    assert verdict(card(hours=25), Label("Production Ready")) == "stale"


def test_max_age_override_and_the_backing_citation_wins() -> None:
    text = f"Production Ready\ngolive:scorecard:{'f' * 64}\ngolive:scorecard:{SHA}\n"
    found = judge(
        "r.md",
        find_claims(text, DEFAULTS),
        find_citations(text),
        lambda sha: card(hours=3) if sha == SHA else None,
        NOW,
        max_age=3600,
    )
    assert [(f.reason, f.message) for f in found] == [
        (
            "unknown",
            f"claims 'Production Ready' citing scorecard {'f' * 12}, unknown to the registry",
        )
    ]
    found = judge(
        "r.md",
        find_claims(text, DEFAULTS),
        find_citations(text),
        lambda sha: card(hours=3) if sha == SHA else None,
        NOW,
    )
    assert [f.reason for f in found] == ["backed"]
