"""The scorecard as a JUnit XML report (``golive check --junit FILE``), so any CI shows each check.

One ``<testsuite>`` per scorecard, one ``<testcase>`` per check (``classname`` is the spec
name, ``name`` the check id). ``pass`` and ``warn`` pass, ``waived`` is skipped with the
reason, ``fail`` and ``no_data`` are failures and ``error`` is an error; the message says
observed vs expected and the body names the evidence behind the verdict by hash.
golive's own ``junit`` source reads the file back (a round-trip test keeps them in step).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from golive.engine.scorecard import CheckResult, EvidenceRef, Scorecard
from golive.times import rfc3339

# status -> (child element, JUnit ``type`` attribute); pass and warn have no child.
_OUTCOME = {
    "fail": ("failure", "fail"),
    "no_data": ("failure", "no_data"),
    "error": ("error", "error"),
    "waived": ("skipped", "waived"),
}


def junit_xml(card: Scorecard) -> bytes:
    """The scorecard as a JUnit XML document (UTF-8, with an XML declaration)."""
    counts = card.summary
    totals = {
        "tests": str(len(card.checks)),
        "failures": str(counts["fail"] + counts["no_data"]),
        "errors": str(counts["error"]),
        "skipped": str(counts["waived"]),
        "time": "0",
    }
    root = ET.Element("testsuites", {"name": "golive", **totals})
    suite = ET.SubElement(
        root,
        "testsuite",
        {"name": card.spec_name, "timestamp": rfc3339(card.evaluated_at), **totals},
    )
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("golive.scorecard", card.sha256),
        ("golive.spec.path", card.spec_path),
        ("golive.spec.sha256", card.spec_sha256),
        ("golive.ready", "true" if card.ready else "false"),
        ("golive.score", f"{card.score:.4f}"),
    ):
        ET.SubElement(properties, "property", {"name": name, "value": value})
    for check in card.checks:
        _testcase(suite, card.spec_name, check)
    ET.indent(root)
    text: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return text + b"\n"


def write_junit(card: Scorecard, path: Path) -> None:
    """Write :func:`junit_xml` to ``path`` (its folder must exist)."""
    path.write_bytes(junit_xml(card))


def _testcase(suite: ET.Element, spec_name: str, check: CheckResult) -> None:
    case = ET.SubElement(suite, "testcase", {"classname": spec_name, "name": check.id, "time": "0"})
    outcome = _OUTCOME.get(check.status)
    if outcome is None:
        if check.status == "warn":
            out = ET.SubElement(case, "system-out")
            out.text = _details(check)
        return
    tag, kind = outcome
    element = ET.SubElement(case, tag, {"message": _message(check), "type": kind})
    element.text = _details(check)


def _message(check: CheckResult) -> str:
    observed = "no value" if check.observed is None else f"{check.observed}"
    optional = "" if check.required else " (optional)"
    return f"{check.status}{optional}: observed {observed}, expected {check.expect}"


def _details(check: CheckResult) -> str:
    lines = [
        f"check: {check.id}" + (f" ({check.title})" if check.title else ""),
        f"status: {check.status}",
        f"measure: {check.measure}",
        f"observed: {check.observed}",
        f"expected: {check.expect}" + (f" (warn {check.warn})" if check.warn else ""),
        f"message: {check.message}",
    ]
    lines += [_evidence_line(e) for e in check.evidence] or ["evidence: none"]
    return "\n".join(lines) + "\n"


def _evidence_line(ref: EvidenceRef) -> str:
    return (
        f"evidence: {ref.source} {ref.path} sha256={ref.sha256 or '-'} "
        f"records={ref.records} invalid={ref.invalid}"
    )
