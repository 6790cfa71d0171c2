"""``golive check --junit``: every check a testcase, read back by golive's own junit source."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from golive.cli.app import app
from golive.engine.evaluate import evaluate
from golive.engine.scorecard import Scorecard
from golive.report.junit import junit_xml
from golive.sources.junit import read
from golive.sources.readers import readers
from golive.spec.loader import load_spec
from golive.spec.sources import JunitSource
from golive.times import parse_instant

ROOT = Path(__file__).parents[2]
MIXED = ROOT / "tests" / "data" / "proof" / "mixed" / "golive.yaml"
BATTLE = ROOT / "examples" / "battle-tested" / "golive.yaml"
AT = "2025-12-18T00:00:00Z"
# What the junit source calls each golive status.
AS_JUNIT = {
    "pass": "passed",
    "warn": "passed",
    "fail": "failed",
    "no_data": "failed",
    "error": "error",
    "waived": "skipped",
}


def scorecard(spec: Path, at: str = AT) -> Scorecard:
    loaded = load_spec(spec)
    return evaluate(
        loaded.spec,
        base_dir=loaded.base_dir,
        spec_path=str(spec),
        spec_sha256=loaded.sha256,
        at=parse_instant(at),
        readers=readers(commands=False),
    )


@pytest.mark.parametrize(
    ("spec", "at"),
    [(MIXED, AT), (BATTLE, AT), (BATTLE, "2026-01-30T00:00:00Z")],
    ids=["mixed", "battle-ready", "battle-not-ready"],
)
def test_junit_source_reads_back_every_check(tmp_path: Path, spec: Path, at: str) -> None:
    card = scorecard(spec, at)
    (tmp_path / "golive.xml").write_bytes(junit_xml(card))
    records = read(JunitSource(type="junit", path="golive.xml"), tmp_path)
    got = {
        r["name"]: (r["status"], r["suite"], r["classname"], r["timestamp"]) for r in records.rows
    }
    want = {c.id: (AS_JUNIT[c.status], card.spec_name, card.spec_name, at) for c in card.checks}
    assert got == want
    assert records.evidence[0].records == len(card.checks)


def test_failure_message_says_observed_vs_expected_and_body_names_evidence() -> None:
    card = scorecard(MIXED)
    root = ET.fromstring(junit_xml(card))
    cases = {c.get("name"): c for c in root.iter("testcase")}
    failure = cases["EV.latency"].find("failure")
    assert failure is not None
    assert failure.get("message") == "fail: observed 224.49999999999994, expected < 100"
    assert failure.get("type") == "fail"
    events = next(e for e in card.checks[0].evidence)
    assert f"evidence: events evidence/events.jsonl sha256={events.sha256} records=4" in (
        failure.text or ""
    )
    no_data = cases["EV.absent"].find("failure")
    assert no_data is not None
    assert no_data.get("type") == "no_data"
    assert "evidence: none" in (no_data.text or "")
    error = cases["EV.broken"].find("error")
    assert error is not None
    assert error.get("message") == "error (optional): observed no value, expected >= 1"
    assert list(cases["EV.volume"]) == []
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("5", "2", "1")
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props["golive.scorecard"] == card.sha256
    assert props["golive.ready"] == "false"


def test_cli_writes_the_file_and_keeps_its_exit_code(tmp_path: Path) -> None:
    target = tmp_path / "mixed"
    shutil.copytree(MIXED.parent, target)
    out = tmp_path / "golive.xml"
    result = CliRunner().invoke(
        app,
        ["check", str(target / "golive.yaml"), "--at", AT, "--no-record", "--junit", str(out)],
    )
    assert result.exit_code == 1
    assert b'<testcase classname="proof-mixed" name="EV.latency"' in out.read_bytes()


def test_cli_unwritable_junit_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "check",
            str(MIXED),
            "--at",
            AT,
            "--no-record",
            "--junit",
            str(tmp_path / "missing" / "golive.xml"),
        ],
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --junit: cannot write ")
    assert "No such file or directory" in result.stderr
