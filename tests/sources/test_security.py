"""The security source on real bandit and ruff SARIF output and committed scanner fixtures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from golive.errors import EvidenceError
from golive.sources import security
from golive.spec.sources import SecuritySource

DATA = Path(__file__).parent.parent / "data" / "security"
BIN = Path(sys.executable).parent


def _read(path: str, fmt: str = "auto", base: Path = DATA) -> Any:
    config = SecuritySource.model_validate({"type": "security", "path": path, "format": fmt})
    return security.read(config, base)


def _run(argv: list[str], cwd: Path, out: Path) -> None:
    result = subprocess.run(argv, cwd=cwd, capture_output=True, timeout=120, check=False)
    out.write_bytes(result.stdout)


def test_real_bandit_json(sample_pkg: Path) -> None:
    _run([str(BIN / "bandit"), "-q", "-f", "json", "shop.py"], sample_pkg, sample_pkg / "b.json")
    out = _read("b.json", base=sample_pkg)
    found = {(r["id"], r["severity"], r["line"]) for r in out.rows}
    assert found == {
        ("B404", "low", 6),
        ("B105", "low", 8),
        ("B324", "high", 18),
        ("B602", "high", 23),
    }
    assert {r["tool"] for r in out.rows} == {"bandit"}
    assert {r["path"] for r in out.rows} == {"./shop.py"}  # as bandit wrote it
    b602 = next(r for r in out.rows if r["id"] == "B602")
    assert b602["title"].startswith("subprocess call with shell=True")
    assert b602["package"] is None
    assert out.evidence[0].detail == {"format": "bandit"}
    assert out.evidence[0].records == 4


def test_real_ruff_sarif(sample_pkg: Path) -> None:
    argv = [str(BIN / "ruff"), "check", "--isolated", "--select", "S", "--output-format", "sarif"]
    _run([*argv, "--exit-zero", "shop.py"], sample_pkg, sample_pkg / "ruff.sarif")
    out = _read("ruff.sarif", base=sample_pkg)
    assert {(r["id"], r["line"]) for r in out.rows} >= {("S105", 8), ("S324", 18), ("S602", 23)}
    # ruff writes level "error" and no security-severity: error maps to high.
    assert {r["severity"] for r in out.rows} == {"high"}
    assert {r["tool"] for r in out.rows} == {"ruff"}
    assert {r["path"] for r in out.rows} == {str(sample_pkg / "shop.py")}
    assert out.evidence[0].detail == {"format": "sarif"}


def test_semgrep_sarif_security_severity_then_level() -> None:
    rows = _read("semgrep.sarif").rows
    got = [(r["path"], r["line"], r["severity"]) for r in rows]
    assert got == [
        ("shop.py", 23, "high"),  # security-severity 7.5
        ("auth.py", 7, "critical"),  # 9.1, found by ruleId without ruleIndex
        ("io_utils.py", 3, "low"),  # no score: rule level "note"
        ("io_utils.py", 9, "medium"),  # the result's own 4.0 wins
        ("tests/fixtures.py", 1, "info"),  # 0.0
        (None, None, "medium"),  # no rule, no level: SARIF's default "warning"
    ]
    assert [r["suppressed"] for r in rows] == [False, False, False, False, True, False]
    assert rows[0]["tool"] == "Semgrep OSS"
    assert rows[0]["id"] == "python.lang.security.audit.subprocess-shell-true.subprocess-shell-true"


def test_pip_audit_has_no_severity_so_high() -> None:
    out = _read("pip-audit.json")
    got = [(r["package"], r["version"], r["id"], r["severity"]) for r in out.rows]
    assert got == [
        ("requests", "2.25.0", "GHSA-j8r2-6x86-q33q", "high"),
        ("jinja2", "3.1.2", "PYSEC-2024-1", "high"),
        ("jinja2", "3.1.2", "GHSA-h75v-3vvj-5mfj", "high"),
    ]
    assert out.rows[0]["aliases"] == ["CVE-2023-32681"]
    assert out.rows[0]["fix_versions"] == ["2.31.0"]
    assert out.rows[0]["title"].startswith("Requests is a HTTP library.")
    assert "\n" not in out.rows[0]["title"]


def test_trivy_vulnerabilities_misconfigurations_and_secrets() -> None:
    rows = _read("trivy.json").rows
    got = [(r["id"], r["severity"], r["category"]) for r in rows]
    assert got == [
        ("CVE-2024-2961", "high", "vulnerability"),
        ("CVE-2023-45853", "critical", "vulnerability"),
        ("CVE-2011-3374", "low", "vulnerability"),
        ("TEMP-0841856-B18BAF", "info", "vulnerability"),
        ("AVD-DS-0002", "high", "misconfiguration"),
        ("aws-access-key-id", "critical", "secret"),
    ]
    assert rows[0]["package"] == "libc6"
    assert rows[0]["fixed_version"] == "2.36-9+deb12u7"
    assert rows[1]["fixed_version"] is None
    assert rows[5]["path"] == "app/settings.py"


def test_reports_of_several_tools_in_one_source() -> None:
    out = _read(["pip-audit.json", "trivy.json", "semgrep.sarif"])
    assert [e.path for e in out.evidence] == ["pip-audit.json", "semgrep.sarif", "trivy.json"]
    assert [e.detail["format"] for e in out.evidence] == ["pip-audit", "sarif", "trivy"]
    blocking = [
        r for r in out.rows if r["severity"] in ("critical", "high") and not r.get("suppressed")
    ]
    assert len(blocking) == 3 + 2 + 4
    assert {r["file"] for r in out.rows} == {"pip-audit.json", "semgrep.sarif", "trivy.json"}


@pytest.mark.parametrize(
    ("word", "expected"),
    [("CRITICAL", "critical"), ("Moderate", "medium"), ("error", "high"), ("bogus", "info")],
)
def test_normalize(word: str, expected: str) -> None:
    assert security.normalize(word) == expected


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (10.0, "critical"),
        (9.0, "critical"),
        (8.9, "high"),
        (7.0, "high"),
        (6.9, "medium"),
        (4.0, "medium"),
        (3.9, "low"),
        (0.1, "low"),
        (0.0, "info"),
    ],
)
def test_cvss_mapping_is_github_s(score: float, expected: str) -> None:
    assert security.from_cvss(score) == expected


def test_truncated_report_is_an_error() -> None:
    with pytest.raises(EvidenceError, match=r"^truncated.json: invalid JSON .*truncated"):
        _read("truncated.json")


def test_unknown_report_is_an_error() -> None:
    with pytest.raises(EvidenceError, match=r"^unknown.json: unrecognised security report"):
        _read("unknown.json")


def test_sarif_without_tool_is_an_error() -> None:
    with pytest.raises(EvidenceError, match=r"^bad.sarif: not a valid sarif report: .*'tool'"):
        _read("bad.sarif")


def test_wrong_explicit_format_is_an_error() -> None:
    with pytest.raises(EvidenceError, match=r"^trivy.json: not a valid bandit report"):
        _read("trivy.json", fmt="bandit")


def test_missing_input_is_no_evidence() -> None:
    out = _read("none/*.sarif")
    assert (out.rows, out.evidence) == ([], [])


def test_deeply_nested_json_is_an_error_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "deep.json").write_text("[" * 200_000 + "]" * 200_000)
    with pytest.raises(EvidenceError, match=r"^deep.json: JSON nested too deeply"):
        _read("deep.json", base=tmp_path)
