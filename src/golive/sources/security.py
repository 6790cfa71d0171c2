"""Security findings: pip-audit JSON, bandit JSON, trivy JSON and SARIF 2.1.0.

Every record has ``id``, ``severity`` (one of ``critical high medium low info``),
``tool``, ``package``/``version`` (dependency findings) or ``path``/``line`` (code
findings), and ``title``; fields that do not apply are null.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from golive.errors import EvidenceError
from golive.sources._files import expand, read_bytes
from golive.sources.base import EvidenceItem, Records
from golive.spec.sources import SecuritySource

SEVERITIES = ("critical", "high", "medium", "low", "info")
FORMATS = ("pip-audit", "bandit", "trivy", "sarif")
# Tool words for severities, normalised; anything unknown is "info".
_WORDS = {
    "critical": "critical",
    "high": "high",
    "error": "high",
    "moderate": "medium",
    "medium": "medium",
    "warning": "medium",
    "low": "low",
    "note": "low",
    "info": "info",
    "informational": "info",
    "negligible": "info",
    "none": "info",
    "unknown": "info",
    "undefined": "info",
}
# pip-audit reports no severity: a known vulnerability in a dependency counts as high.
PIP_AUDIT_DEFAULT = "high"


def read(config: SecuritySource, base_dir: Path) -> Records:
    """Read every scan report the config names; one record per finding."""
    rows: list[dict[str, Any]] = []
    evidence: list[EvidenceItem] = []
    for match in expand(config.path, base_dir):
        data, sha = read_bytes(match)
        try:
            doc = json.loads(data)
        except RecursionError:
            raise EvidenceError(f"{match.name}: JSON nested too deeply to be a report") from None
        except ValueError as exc:
            raise EvidenceError(
                f"{match.name}: invalid JSON ({exc}); is the report truncated?"
            ) from None
        fmt = config.format if config.format != "auto" else _detect(doc, match.name)
        try:
            found = _PARSERS[fmt](doc)
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            raise EvidenceError(
                f"{match.name}: not a valid {fmt} report: missing or malformed {exc}"
            ) from None
        for row in found:
            row["file"] = match.name
        rows.extend(found)
        evidence.append(EvidenceItem(match.name, sha, len(found), detail={"format": fmt}))
    return Records(rows, evidence, config.time)


def normalize(word: Any) -> str:
    """A tool's severity word in ``critical high medium low info`` (unknown words: info)."""
    return _WORDS.get(str(word).strip().lower(), "info") if word is not None else "info"


def from_cvss(score: float) -> str:
    """A CVSS score as GitHub maps ``security-severity``: >=9 critical, >=7 high, >=4 medium."""
    if score >= 9.0:
        return "critical"
    if score >= 7.0:
        return "high"
    if score >= 4.0:
        return "medium"
    return "low" if score > 0 else "info"


def _detect(doc: Any, name: str) -> str:
    if isinstance(doc, dict):
        if isinstance(doc.get("runs"), list) and (
            str(doc.get("version")) == "2.1.0" or "sarif" in str(doc.get("$schema", ""))
        ):
            return "sarif"
        if isinstance(doc.get("Results"), list) or "SchemaVersion" in doc:
            return "trivy"
        if isinstance(doc.get("results"), list) and "metrics" in doc:
            return "bandit"
        if isinstance(doc.get("dependencies"), list):
            return "pip-audit"
    elif isinstance(doc, list) and all(isinstance(d, dict) and "vulns" in d for d in doc):
        return "pip-audit"  # pip-audit before 2.0 wrote a bare list
    raise EvidenceError(
        f"{name}: unrecognised security report; expected pip-audit -f json, bandit -f json, "
        f"trivy --format json or SARIF 2.1.0 (or set format: to one of {', '.join(FORMATS)})"
    )


def _finding(fid: Any, severity: str, tool: str, title: Any, **fields: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": str(fid) if fid is not None else None,
        "severity": severity,
        "tool": tool,
        "package": None,
        "version": None,
        "path": None,
        "line": None,
        "title": _first_line(title),
        # Present on every record, so `suppressed != true` keeps unsuppressed findings
        # (a comparison with a missing field is false, which would drop them all).
        "suppressed": False,
    }
    row.update(fields)
    return row


def _pip_audit(doc: Any) -> list[dict[str, Any]]:
    deps = doc["dependencies"] if isinstance(doc, dict) else doc
    rows = []
    for dep in deps:
        for vuln in dep.get("vulns") or []:
            rows.append(
                _finding(
                    vuln["id"],
                    normalize(vuln["severity"]) if vuln.get("severity") else PIP_AUDIT_DEFAULT,
                    "pip-audit",
                    vuln.get("description") or vuln["id"],
                    package=dep["name"],
                    version=dep.get("version"),
                    aliases=list(vuln.get("aliases") or []),
                    fix_versions=list(vuln.get("fix_versions") or []),
                )
            )
    return rows


def _bandit(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        _finding(
            r["test_id"],
            normalize(r["issue_severity"]),
            "bandit",
            r["issue_text"],
            path=r["filename"],
            line=r.get("line_number"),
            confidence=normalize(r.get("issue_confidence")),
            rule=r.get("test_name"),
        )
        for r in doc["results"]
    ]


def _trivy(doc: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for result in doc.get("Results") or []:
        target = result.get("Target")
        for v in result.get("Vulnerabilities") or []:
            rows.append(
                _finding(
                    v["VulnerabilityID"],
                    normalize(v.get("Severity")),
                    "trivy",
                    v.get("Title") or v["VulnerabilityID"],
                    package=v.get("PkgName"),
                    version=v.get("InstalledVersion"),
                    fixed_version=v.get("FixedVersion") or None,
                    path=target,
                    category="vulnerability",
                )
            )
        for m in result.get("Misconfigurations") or []:
            rows.append(
                _finding(
                    m.get("AVDID") or m["ID"],
                    normalize(m.get("Severity")),
                    "trivy",
                    m.get("Title"),
                    path=target,
                    line=(m.get("CauseMetadata") or {}).get("StartLine"),
                    category="misconfiguration",
                )
            )
        for s in result.get("Secrets") or []:
            rows.append(
                _finding(
                    s["RuleID"],
                    normalize(s.get("Severity")),
                    "trivy",
                    s.get("Title"),
                    path=target,
                    line=s.get("StartLine"),
                    category="secret",
                )
            )
    return rows


def _sarif(doc: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for run in doc["runs"]:
        driver = run["tool"]["driver"]
        rules = driver.get("rules") or []
        by_id = {r["id"]: r for r in rules if isinstance(r, dict) and "id" in r}
        for result in run.get("results") or []:
            if result.get("kind", "fail") not in ("fail", "open", "review"):
                continue  # "pass", "notApplicable", "informational" are not findings
            rule = _rule(result, rules, by_id)
            location = _location(result)
            rows.append(
                _finding(
                    result.get("ruleId") or rule.get("id"),
                    _sarif_severity(result, rule),
                    str(driver.get("name", "sarif")),
                    (result.get("message") or {}).get("text")
                    or (rule.get("shortDescription") or {}).get("text"),
                    path=location[0],
                    line=location[1],
                    suppressed=bool(result.get("suppressions")),
                )
            )
    return rows


def _rule(result: dict[str, Any], rules: list[Any], by_id: dict[str, Any]) -> dict[str, Any]:
    index = result.get("ruleIndex", (result.get("rule") or {}).get("index"))
    if isinstance(index, int) and 0 <= index < len(rules):
        return dict(rules[index])
    rule_id = result.get("ruleId") or (result.get("rule") or {}).get("id")
    return dict(by_id.get(str(rule_id), {}))


def _sarif_severity(result: dict[str, Any], rule: dict[str, Any]) -> str:
    for props in (result.get("properties") or {}, rule.get("properties") or {}):
        score = props.get("security-severity")
        if score is not None:
            try:
                return from_cvss(float(score))
            except ValueError:
                break  # not a number: fall back to the level
    level = result.get("level") or (rule.get("defaultConfiguration") or {}).get("level")
    return normalize(level or "warning")  # SARIF's default level is "warning"


def _location(result: dict[str, Any]) -> tuple[str | None, int | None]:
    for loc in result.get("locations") or []:
        physical = loc.get("physicalLocation") or {}
        uri = (physical.get("artifactLocation") or {}).get("uri")
        line = (physical.get("region") or {}).get("startLine")
        if uri:
            parsed = urlparse(uri)
            path = unquote(parsed.path) if parsed.scheme == "file" else uri
            return path, line if isinstance(line, int) else None
    return None, None


def _first_line(text: Any) -> str | None:
    if text is None:
        return None
    line = str(text).strip().split("\n", 1)[0]
    return line[:200]


_PARSERS = {"pip-audit": _pip_audit, "bandit": _bandit, "trivy": _trivy, "sarif": _sarif}
