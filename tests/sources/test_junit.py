"""The junit source on reports written by real pytest and on committed fixtures."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from golive.errors import EvidenceError
from golive.sources import junit
from golive.sources._time import from_epoch
from golive.spec.sources import JunitSource

JUNIT = Path(__file__).parent.parent / "data" / "junit"


def _read(path: str | list[str], records: str = "cases", base: Path = JUNIT) -> Any:
    config = JunitSource.model_validate({"type": "junit", "path": path, "records": records})
    return junit.read(config, base)


def _by_name(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["name"]: r for r in rows}


def test_real_pytest_junitxml(sample_pkg: Path, run_pytest: Any) -> None:
    result = run_pytest("--junitxml=report.xml", "--benchmark-disable")
    assert result.returncode == 1, result.stdout  # one test fails on purpose
    out = _read("report.xml", base=sample_pkg)
    rows = _by_name(out.rows)
    assert {n: r["status"] for n, r in rows.items()} == {
        "test_total": "passed",
        "test_total_of_nothing_is_one": "failed",
        "test_discounts": "skipped",
        "test_bench_total": "passed",
    }
    assert rows["test_total"]["classname"] == "checks_shop"
    assert rows["test_total"]["suite"] == "pytest"
    assert rows["test_total"]["run"] == "report.xml"
    assert rows["test_total"]["timestamp"].endswith("Z")
    assert isinstance(rows["test_total"]["time"], float)
    assert not any(r["flaky"] for r in out.rows)
    [item] = out.evidence
    assert item.path == "report.xml"
    assert item.records == 4
    assert item.sha256 == hashlib.sha256((sample_pkg / "report.xml").read_bytes()).hexdigest()
    assert out.time_field == "timestamp"
    json.dumps(out.rows)  # records are JSON-serialisable


def test_surefire_statuses_times_and_flaky_marker() -> None:
    out = _read("surefire.xml")
    rows = _by_name(out.rows)
    assert {n: r["status"] for n, r in rows.items()} == {
        "createsOrder": "passed",
        "rejectsEmptyCart": "failed",
        "connectsToDatabase": "error",
        "legacyExport": "skipped",
        "retriesPayment": "passed",
    }
    # Surefire's <flakyFailure>: failed, then passed on a rerun.
    assert rows["retriesPayment"]["flaky"] is True
    assert rows["createsOrder"]["flaky"] is False
    assert rows["connectsToDatabase"]["time"] == 2.001
    assert rows["createsOrder"]["suite"] == "com.example.OrderServiceTest"
    assert rows["createsOrder"]["test_id"] == "com.example.OrderServiceTest::createsOrder"
    # No timestamp attribute: the file's modification time stands in.
    mtime = os.stat(JUNIT / "surefire.xml").st_mtime
    assert rows["createsOrder"]["timestamp"] == from_epoch(mtime)


def test_jest_junit_naive_timestamp_is_utc() -> None:
    out = _read("jest-junit.xml")
    assert [r["status"] for r in out.rows] == ["passed", "failed", "passed"]
    assert {r["timestamp"] for r in out.rows} == {"2025-12-17T10:15:00Z"}
    assert {r["suite"] for r in out.rows} == {"cart.test.js"}


def test_gotestsum_offsets_are_normalised_to_utc() -> None:
    rows = _by_name(_read("gotestsum.xml").rows)
    assert rows["TestAdd"]["timestamp"] == "2025-12-17T10:20:31Z"
    assert rows["TestCharge"]["timestamp"] == "2025-12-17T10:20:31Z"
    assert rows["TestCharge"]["status"] == "failed"
    assert rows["TestRefund"]["status"] == "skipped"
    assert rows["TestAdd"]["time"] == 0.0


def test_nunit_style_nesting_and_missing_attributes() -> None:
    rows = _by_name(_read("nunit-nested.xml").rows)
    assert rows["PaysByCard"]["suite"] == "Shop.Tests.Checkout"
    assert rows["PaysByCard"]["timestamp"] == "2025-12-16T09:00:00Z"
    # Inherits the enclosing <testsuites> timestamp; no time or classname attribute.
    assert rows["Boots"]["suite"] == "Shop.Tests"
    assert rows["Boots"]["timestamp"] == "2025-12-16T08:00:00Z"
    assert rows["Boots"]["classname"] is None
    assert rows["Boots"]["test_id"] == "Boots"
    assert rows["PaysByInvoice"]["time"] is None


def test_flaky_across_runs_and_per_test_records() -> None:
    cases = _read("run*.xml").rows
    assert len(cases) == 7
    flaky = {r["test_id"] for r in cases if r["flaky"]}
    # test_pay passed in run1 and errored in run2; test_query failed both times.
    assert flaky == {"it.Checkout::test_pay"}
    assert {r["run"] for r in cases} == {"run1.xml", "run2.xml"}

    tests = _read("run*.xml", records="tests")
    by_id = {r["test_id"]: r for r in tests.rows}
    assert len(by_id) == 4
    pay = by_id["it.Checkout::test_pay"]
    assert (pay["runs"], pay["passed"], pay["error"], pay["flaky"]) == (2, 1, 1, True)
    assert pay["last_status"] == "error"
    assert pay["timestamp"] == "2025-12-16T00:00:00Z"
    assert by_id["it.Search::test_facets"]["executed"] == 0
    # Flake rate = ratio of flaky over distinct tests: 1 of 4.
    assert sum(r["flaky"] for r in tests.rows) / len(tests.rows) == 0.25
    assert [e.records for e in tests.evidence] == [3, 4]


def test_success_rate_fields() -> None:
    cases = _read("run*.xml").rows
    executed = [r for r in cases if r["status"] in ("passed", "failed", "error")]
    passed = [r for r in executed if r["status"] == "passed"]
    assert (len(passed), len(executed)) == (3, 6)


@pytest.mark.parametrize("name", ["xxe.xml", "billion-laughs.xml"])
def test_hostile_xml_is_refused_not_expanded(name: str) -> None:
    with pytest.raises(EvidenceError, match=rf"^{name}: refused: .*DTD") as info:
        _read(name)
    assert "root:" not in str(info.value)
    assert "lol" not in str(info.value)


def test_truncated_xml_is_an_error() -> None:
    with pytest.raises(EvidenceError, match=r"^truncated.xml: not well-formed XML .*truncated"):
        _read("truncated.xml")


def test_wrong_root_element_is_an_error() -> None:
    with pytest.raises(EvidenceError, match=r"not-junit.xml: not a JUnit report: .*<project>"):
        _read("not-junit.xml")


def test_one_bad_file_in_a_glob_fails_the_source(tmp_path: Path) -> None:
    shutil.copy(JUNIT / "run1.xml", tmp_path / "a.xml")
    shutil.copy(JUNIT / "truncated.xml", tmp_path / "b.xml")
    with pytest.raises(EvidenceError, match=r"^b.xml: "):
        _read("*.xml", base=tmp_path)


def test_missing_input_is_no_evidence(tmp_path: Path) -> None:
    out = _read(["nothing/*.xml", "absent.xml"], base=tmp_path)
    assert (out.rows, out.evidence) == ([], [])


def test_latest_run_is_found_by_time_not_by_text(tmp_path: Path) -> None:
    case = '<testsuite name="s" timestamp="{}"><testcase classname="c" name="t">{}</testcase>'
    (tmp_path / "a.xml").write_text(
        case.format("2025-12-16T00:00:00.5Z", "<failure/>") + "</testsuite>"
    )
    (tmp_path / "b.xml").write_text(case.format("2025-12-16T00:00:00Z", "") + "</testsuite>")
    [test] = _read("*.xml", records="tests", base=tmp_path).rows
    assert (test["last_status"], test["timestamp"]) == ("failed", "2025-12-16T00:00:00.5Z")
    assert test["flaky"] is True


def test_empty_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty.xml").write_bytes(b"")
    with pytest.raises(EvidenceError, match=r"^empty.xml: not well-formed XML \(no element found"):
        _read("empty.xml", base=tmp_path)


def test_any_doctype_is_refused(tmp_path: Path) -> None:
    (tmp_path / "d.xml").write_text('<!DOCTYPE testsuite><testsuite name="s"/>')
    with pytest.raises(EvidenceError, match=r"^d.xml: refused: .*DTDForbidden"):
        _read("d.xml", base=tmp_path)


def test_empty_report_is_evidence_of_no_cases(tmp_path: Path) -> None:
    (tmp_path / "none.xml").write_text('<testsuites name="jest tests" tests="0"/>')
    out = _read("none.xml", base=tmp_path)
    assert out.rows == []
    assert [(e.path, e.records) for e in out.evidence] == [("none.xml", 0)]
