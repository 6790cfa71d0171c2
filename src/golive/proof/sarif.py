"""Unbacked readiness claims as SARIF 2.1.0, for code-scanning annotations."""

from __future__ import annotations

from typing import Any

from golive import __version__
from golive.proof.claims import Finding

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
RULES = {
    "no-citation": "A readiness claim cites no golive scorecard.",
    "unknown": "A readiness claim cites a scorecard the registry does not hold.",
    "not-ready": "A readiness claim cites a scorecard that is not ready.",
    "stale": "A readiness claim cites a scorecard older than its max_age.",
    "wrong-spec": "A readiness claim cites a scorecard of another spec than the label's.",
    "item-status": "A tracker row says READY_FOR_GO_LIVE for an item the register computes "
    "otherwise.",
}


def sarif_log(findings: list[Finding]) -> dict[str, Any]:
    """A SARIF log with one result per unbacked claim."""
    rule_ids = list(RULES)
    results = [
        {
            "ruleId": f"golive/claim-{f.reason}",
            "ruleIndex": rule_ids.index(f.reason),
            "level": "error",
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": f.path},
                        "region": {
                            "startLine": f.claim.line,
                            "startColumn": f.claim.column,
                            "endColumn": f.claim.column + len(f.claim.text),
                        },
                    }
                }
            ],
        }
        for f in findings
        if not f.backed
    ]
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "golive",
                        "version": __version__,
                        "rules": [
                            {
                                "id": f"golive/claim-{reason}",
                                "shortDescription": {"text": text},
                            }
                            for reason, text in RULES.items()
                        ],
                    }
                },
                "results": results,
            }
        ],
    }
