"""examples/ci: the workflows run check -> upload -> gate -> bundle, nightly at 06:00 UTC."""

from __future__ import annotations

from pathlib import Path

import yaml

CI = Path(__file__).parents[2] / "examples" / "ci"


def test_github_workflow_schedule_and_steps() -> None:
    workflow = yaml.safe_load((CI / "github-actions.yml").read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["schedule"] == [{"cron": "0 6 * * *"}]
    assert "workflow_dispatch" in triggers
    steps = workflow["jobs"]["readiness"]["steps"]
    names = [s.get("name") for s in steps if "name" in s]
    order = ["Check", "Upload the scorecard to the golive service", "Gate", "Bundle the evidence"]
    assert [n for n in names if n in order] == order
    runs = "\n".join(s.get("run", "") for s in steps)
    assert "golive check golive.yaml --junit golive-junit.xml --json" in runs
    assert "golive bundle create --latest --spec golive.yaml -o golive-bundle.tar.gz" in runs
    assert "golive bundle verify golive-bundle.tar.gz" in runs
    assert "$release --summary md" in runs  # --release RELEASE when one is set
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert "golive-bundle.tar.gz" in upload["with"]["path"]


def test_gitlab_pipeline_stages_and_triggers() -> None:
    pipeline = yaml.safe_load((CI / "gitlab-ci.yml").read_text())
    assert pipeline["stages"] == ["check", "upload", "gate", "bundle"]
    sources = [r["if"] for r in pipeline["workflow"]["rules"]]
    assert sources == ['$CI_PIPELINE_SOURCE == "schedule"', '$CI_PIPELINE_SOURCE == "web"']
    assert pipeline["check"]["artifacts"]["reports"]["junit"] == "golive-junit.xml"
    assert pipeline["bundle"]["when"] == "always"
    assert "golive-bundle.tar.gz" in pipeline["bundle"]["artifacts"]["paths"]
    assert '"0 6 * * *"' in (CI / "gitlab-ci.yml").read_text()  # the schedule to create
