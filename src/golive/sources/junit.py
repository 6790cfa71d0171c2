"""JUnit/xUnit XML test reports (pytest, Surefire, jest-junit, gotestsum, NUnit-style nesting).

Each file is one run. Files are streamed with ``defusedxml``'s ``iterparse``: a
document type declaration or an entity is refused before anything is expanded, so
an XXE or billion-laughs file is an ``EvidenceError``, never a read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from golive.errors import EvidenceError
from golive.sources._files import HashingReader, Match, expand
from golive.sources._time import file_mtime, instant, parse_timestamp
from golive.sources.base import EvidenceItem, Records
from golive.spec.sources import JunitSource

# Child elements of <testcase> that decide its status, strongest first.
_OUTCOMES = (("error", "error"), ("failure", "failed"), ("skipped", "skipped"))
# Surefire's rerun markers: a case with <flakyFailure>/<flakyError> failed, then passed.
_FLAKY_MARKERS = ("flakyFailure", "flakyError")


@dataclass
class _Suite:
    name: str | None
    timestamp: str | None


def read(config: JunitSource, base_dir: Path) -> Records:
    """Read every JUnit file the config names; records per testcase or per distinct test."""
    cases: list[dict[str, Any]] = []
    evidence: list[EvidenceItem] = []
    for match in expand(config.path, base_dir):
        run_cases, sha = _read_file(match)
        cases.extend(run_cases)
        # ``records`` counts the testcases read from the file, whichever records are emitted.
        evidence.append(EvidenceItem(match.name, sha, len(run_cases), detail={"format": "junit"}))
    flaky_ids = _flaky_ids(cases)
    for case in cases:
        case["flaky"] = case["flaky"] or case["test_id"] in flaky_ids
    rows = cases if config.records == "cases" else _per_test(cases)
    return Records(rows, evidence, config.time)


def _read_file(match: Match) -> tuple[list[dict[str, Any]], str]:
    try:
        with match.path.open("rb") as handle:
            reader = HashingReader(handle)
            mtime = file_mtime(match.path)
            cases = list(_cases(reader, match.name, mtime))
            return cases, reader.hexdigest()
    except DefusedXmlException as exc:
        raise EvidenceError(
            f"{match.name}: refused: the XML declares a DTD or entities ({type(exc).__name__}); "
            "golive never expands them (XXE and entity-expansion protection). "
            "Test reports do not need a <!DOCTYPE>: remove it."
        ) from None
    except ParseError as exc:
        raise EvidenceError(
            f"{match.name}: not well-formed XML ({exc}); is the report truncated?"
        ) from None
    except OSError as exc:
        raise EvidenceError(f"{match.name}: cannot read: {exc.strerror or exc}") from None


def _cases(reader: HashingReader, run: str, mtime: str) -> Iterator[dict[str, Any]]:
    suites: list[_Suite] = []
    root_seen = False
    for event, elem in iterparse(reader, events=("start", "end"), forbid_dtd=True):
        tag = _local(elem.tag)
        if not root_seen:
            root_seen = True
            if tag not in ("testsuites", "testsuite"):
                raise EvidenceError(
                    f"{run}: not a JUnit report: root element is <{tag}>, "
                    "expected <testsuites> or <testsuite>"
                )
        if tag in ("testsuites", "testsuite"):
            if event == "start":
                outer = suites[-1] if suites else _Suite(None, None)
                stamp = elem.get("timestamp")
                suites.append(
                    _Suite(
                        elem.get("name") if tag == "testsuite" else outer.name,
                        (parse_timestamp(stamp) if stamp else None) or outer.timestamp,
                    )
                )
            else:
                suites.pop()
                elem.clear()
        elif tag == "testcase" and event == "end":
            suite = suites[-1] if suites else _Suite(None, None)
            yield _case(elem, suite, run, mtime)
            # Free the case's subtree: reports can hold many thousands of cases.
            elem.clear()


def _case(elem: Element, suite: _Suite, run: str, mtime: str) -> dict[str, Any]:
    children = {_local(child.tag) for child in elem}
    status = next((s for tag, s in _OUTCOMES if tag in children), "passed")
    name = elem.get("name")
    classname = elem.get("classname") or None
    return {
        "suite": suite.name,
        "name": name,
        "classname": classname,
        "test_id": f"{classname}::{name}" if classname else name,
        "status": status,
        "time": _seconds(elem.get("time")),
        "timestamp": suite.timestamp or mtime,
        "run": run,
        "flaky": status == "passed" and any(m in children for m in _FLAKY_MARKERS),
    }


def _flaky_ids(cases: list[dict[str, Any]]) -> set[str]:
    passed = {c["test_id"] for c in cases if c["status"] == "passed"}
    failed = {c["test_id"] for c in cases if c["status"] in ("failed", "error")}
    return passed & failed


def _per_test(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    tests: dict[str, dict[str, Any]] = {}
    for case in cases:
        test = tests.setdefault(
            case["test_id"],
            {
                "test_id": case["test_id"],
                "suite": case["suite"],
                "name": case["name"],
                "classname": case["classname"],
                "runs": 0,
                "passed": 0,
                "failed": 0,
                "error": 0,
                "skipped": 0,
                "executed": 0,
                "flaky": False,
                "timestamp": case["timestamp"],
                "last_status": case["status"],
            },
        )
        test["runs"] += 1
        test[case["status"]] += 1
        test["executed"] += case["status"] != "skipped"
        test["flaky"] = test["flaky"] or case["flaky"]
        if instant(case["timestamp"]) >= instant(test["timestamp"]):
            test["timestamp"] = case["timestamp"]
            test["last_status"] = case["status"]
    return list(tests.values())


def _seconds(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        # Some Surefire versions write locale-formatted times such as "1,234.5".
        return float(text.replace(",", ""))
    except ValueError:
        return None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
