"""The sign-off document from a ready scorecard: totals, ticked groups, evidence, statement."""

from __future__ import annotations

from pathlib import Path

import pytest

from golive.errors import SpecError, UsageError
from golive.proof.claims import DEFAULT_LABELS, Label, find_citations, find_claims
from golive.proof.signoff import NotReadyError, Section, signoff_markdown
from golive.spec.loader import parse_spec
from golive.spec.proof import Signoff
from tests.report.test_junit import BATTLE, MIXED, scorecard

SIGNOFF = Signoff.model_validate(
    {
        "label": "PRODUCTION READY v5 — Battle-Tested",
        "statement": "As of {date}, {spec} is {label} (score {score}).",
        "totals": [
            {"label": "v5 operations", "checks": ["PR-7.volume"]},
            {"label": "strict + local", "checks": ["PR-7.strict", "PR-7.local"]},
            {"label": "rejected", "checks": ["PR-7.rejected"]},
        ],
        "groups": [
            {"prefix": "PR-7", "title": "v5 in production"},
            {"prefix": "PR-8"},
            {"prefix": "PR-10"},
            {"prefix": "PR-11", "title": "monitoring"},
        ],
    }
)


def test_document_from_the_battle_tested_scorecard() -> None:
    card = scorecard(BATTLE)
    doc = signoff_markdown(
        SIGNOFF, card.to_document(), card.sha256, date="2025-12-18", bundle_sha256="b" * 64
    )
    lines = doc.splitlines()
    assert lines[0] == "# PRODUCTION READY v5 — Battle-Tested"
    assert f"- Scorecard: golive:scorecard:{card.sha256}" in lines
    assert f"- Evidence bundle manifest: sha256 `{'b' * 64}`" in lines
    volume = next(c for c in card.checks if c.id == "PR-7.volume")
    assert f"| v5 operations | {volume.observed} |" in lines
    strict = next(c for c in card.checks if c.id == "PR-7.strict")
    local = next(c for c in card.checks if c.id == "PR-7.local")
    assert f"| strict + local | {strict.observed + local.observed} |" in lines  # type: ignore[operator]
    assert "## [x] PR-7: v5 in production" in lines
    assert "## [x] PR-11: monitoring" in lines
    assert "Other checks" not in doc
    row = next(line for line in lines if line.startswith("| PR-7.volume |"))
    assert row.startswith(f"| PR-7.volume | PASS | {volume.observed} | >= 30 | `telemetry/")
    assert volume.evidence[0].sha256[:16] in row  # type: ignore[index]
    assert lines[-1] == (
        "As of 2025-12-18, governance-v5-battle-tested is PRODUCTION READY v5 — Battle-Tested "
        "(score 1.00)."
    )


def test_the_document_cites_the_scorecard_behind_its_label() -> None:
    card = scorecard(BATTLE)
    doc = signoff_markdown(SIGNOFF, card.to_document(), card.sha256, date="2025-12-18")
    labels = [*(Label(t) for t in DEFAULT_LABELS), Label(SIGNOFF.label, card.spec_name)]
    assert find_claims(doc, labels)[0].label.spec == card.spec_name
    assert [c.sha256 for c in find_citations(doc)] == [card.sha256]


def test_not_ready_writes_nothing_and_lists_what_is_missing() -> None:
    card = scorecard(MIXED)
    signoff = Signoff(label="READY")
    with pytest.raises(NotReadyError) as caught:
        signoff_markdown(signoff, card.to_document(), card.sha256, date="2025-12-18")
    assert caught.value.exit_code == 1
    assert str(caught.value).splitlines() == [
        "not signed off: scorecard of proof-mixed at 2025-12-18T00:00:00Z is not ready; missing:",
        "  EV.latency (fail: 224.49999999999994 fails < 100)",
        "  EV.absent (no_data: no evidence: evidence/absent.jsonl matched no file)",
    ]


def test_unknown_total_ids_and_empty_groups_are_refused() -> None:
    card = scorecard(BATTLE)
    signoff = Signoff.model_validate(
        {
            "label": "X",
            "totals": [{"label": "t", "checks": ["PR-9.nope"]}],
            "groups": [{"prefix": "PR-1"}],
        }
    )
    with pytest.raises(UsageError) as caught:
        signoff_markdown(signoff, card.to_document(), card.sha256, date="2025-12-18")
    assert str(caught.value).splitlines() == [
        "signoff.totals names check 'PR-9.nope', not in the scorecard",
        "signoff.groups prefix 'PR-1' matches no check",
    ]


def test_sections_from_other_capabilities_come_before_the_statement() -> None:
    card = scorecard(BATTLE)
    doc = signoff_markdown(
        Signoff(label="GO LIVE"),
        card.to_document(),
        card.sha256,
        date="2025-12-18",
        sections=[Section("Approvals", "| signer | verified |\n|---|---|\n| carol | yes |\n")],
    )
    assert doc.index("## Approvals") < doc.index("## Statement")
    assert "## [x] Checks" in doc


def test_incomplete_totals_say_so() -> None:
    card = scorecard(MIXED)
    document = card.to_document()
    document["ready"] = True  # only to reach the totals: a missing value is never a zero
    signoff = Signoff.model_validate(
        {"label": "X", "totals": [{"label": "t", "checks": ["EV.volume", "EV.absent"]}]}
    )
    doc = signoff_markdown(signoff, document, card.sha256, date="2025-12-18")
    assert "| t | incomplete (no value from EV.absent) |" in doc


@pytest.mark.parametrize(
    ("yaml_tail", "message"),
    [
        ("signoff:\n  label: X\n  statement: 'As of {when}'\n", "unknown placeholder {when}"),
        ("signoff:\n  label: X\n  max_age: soon\n", "invalid duration 'soon'"),
        ("redact:\n  patterns: ['(unclosed']\n", "invalid regular expression"),
        ("redact:\n  builtins: [phone]\n", "phone"),
    ],
)
def test_spec_sections_are_validated_with_positions(yaml_tail: str, message: str) -> None:
    text = (Path(MIXED).read_text()) + yaml_tail
    with pytest.raises(SpecError) as caught:
        parse_spec(text, "golive.yaml")
    assert message in str(caught.value)
    assert str(caught.value).startswith("golive.yaml:")


def test_pipes_in_values_never_break_a_row() -> None:
    card = scorecard(BATTLE)
    document = card.to_document()
    document["checks"][0]["evidence"][0]["path"] = "sh -c 'a | b'"
    doc = signoff_markdown(Signoff(label="GO LIVE"), document, card.sha256, date="2025-12-18")
    first = document["checks"][0]["id"]
    row = next(line for line in doc.splitlines() if line.startswith(f"| {first} |"))
    assert "`sh -c 'a \\| b'`" in row
    assert row.count(" | ") == 4
