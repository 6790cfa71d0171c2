"""``golive claims check``: text, --json and SARIF 2.1.0 (schema-valid), exit codes, citations."""

from __future__ import annotations

import contextlib
import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from golive.cli.app import app
from golive.times import rfc3339
from tests.proof.conftest import Recorded, record

DATA = Path(__file__).parents[1] / "data" / "proof"
SARIF_SCHEMA = json.loads((DATA / "sarif-schema-2.1.0.json").read_text())


def invoke(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    with contextlib.chdir(cwd) if cwd else contextlib.nullcontext():
        result = CliRunner().invoke(app, list(args), env={"GOLIVE_REGISTRY": None})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "claims"
    shutil.copytree(DATA / "claims", target)
    return target


def recent(folder: Path, registry: str, hours: float = 1) -> Recorded:
    at = rfc3339(datetime.now(UTC).replace(microsecond=0) - timedelta(hours=hours))
    return record(folder / "golive.yaml", registry, at=at)


def test_unbacked_report_lists_each_claim_and_exits_1(folder: Path, registry_url: str) -> None:
    code, out, err = invoke(
        "claims", "check", str(folder / "report.md"), "--registry", registry_url
    )
    assert (code, err) == (1, "")
    path = folder / "report.md"
    assert out.splitlines() == [
        f"{path}:3:11: no-citation: claims 'Production Ready' but cites no golive scorecard "
        "(golive:scorecard:<sha256>)",
        f"{path}:4:16: no-citation: claims 'production-ready' but cites no golive scorecard "
        "(golive:scorecard:<sha256>)",
        f"{path}:4:37: no-citation: claims 'battle tested' but cites no golive scorecard "
        "(golive:scorecard:<sha256>)",
        f"{path}:8:14: no-citation: claims 'GO' but cites no golive scorecard "
        "(golive:scorecard:<sha256>)",
        f"{path}:10:14: no-citation: claims '✅ PASS' but cites no golive scorecard "
        "(golive:scorecard:<sha256>)",
        "5 claims, 0 backed, 5 unbacked",
    ]


def test_a_ready_recent_scorecard_of_the_labels_spec_backs_the_claim(
    folder: Path, registry_url: str
) -> None:
    recorded = recent(folder, registry_url)
    doc = folder / "final.md"
    doc.write_text(
        "# Final\n\nPRODUCTION READY v5 — Battle-Tested\n\n"
        f"Evidence: golive:scorecard:{recorded.sha256}\n"
    )
    code, out, _ = invoke(
        "claims",
        "check",
        str(doc),
        "--spec",
        str(folder / "golive.yaml"),
        "--registry",
        registry_url,
        "--json",
    )
    assert code == 0
    (finding,) = json.loads(out)
    assert finding["backed"] is True
    assert finding["spec"] == "proof-claims"
    assert finding["citation"] == f"golive:scorecard:{recorded.sha256}"


def test_forged_unknown_stale_and_not_ready_citations(
    folder: Path, registry_url: str, tmp_path: Path
) -> None:
    stale = recent(folder, registry_url, hours=72)  # the spec's max_age is 48h
    not_ready = record(DATA / "mixed" / "golive.yaml", registry_url)
    forged = stale.sha256[:-4] + "0000"
    docs = {
        "forged.md": forged,
        "stale.md": stale.sha256,
        "not-ready.md": not_ready.sha256,
    }
    for name, sha in docs.items():
        (tmp_path / name).write_text(f"Production Ready\n\ngolive:scorecard:{sha}\n")
    code, out, _ = invoke(
        "claims",
        "check",
        *(str(tmp_path / n) for n in docs),
        "--registry",
        registry_url,
        "--max-age",
        "7d",
        "--json",
    )
    assert code == 1
    reasons = {Path(f["path"]).name: f["reason"] for f in json.loads(out)}
    assert reasons == {"forged.md": "unknown", "stale.md": "backed", "not-ready.md": "not-ready"}
    code, out, _ = invoke("claims", "check", str(tmp_path / "stale.md"), "--registry", registry_url)
    assert code == 1
    assert "stale: claims 'Production Ready' citing scorecard" in out
    assert "the limit is 24h" in out


def test_wrong_spec(folder: Path, registry_url: str, tmp_path: Path) -> None:
    other = record(DATA / "secrets" / "golive.yaml", registry_url)
    doc = tmp_path / "final.md"
    doc.write_text(f"PRODUCTION READY v5 — Battle-Tested\ngolive:scorecard:{other.sha256}\n")
    code, out, _ = invoke(
        "claims",
        "check",
        str(doc),
        "--spec",
        str(folder / "golive.yaml"),
        "--registry",
        registry_url,
        "--max-age",
        "3650d",
    )
    assert code == 1
    assert "wrong-spec: claims 'PRODUCTION READY v5 — Battle-Tested', the label of spec " in out
    assert "but cites a scorecard of spec 'proof-secrets'" in out


def test_sarif_is_valid_sarif_2_1_0(folder: Path, registry_url: str, tmp_path: Path) -> None:
    out = tmp_path / "claims.sarif"
    code, _, _ = invoke(
        "claims", "check", str(folder), "--registry", registry_url, "--sarif", str(out)
    )
    assert code == 1
    log = json.loads(out.read_text())
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    results = log["runs"][0]["results"]
    assert len(results) == 5
    first = results[0]
    assert first["ruleId"] == "golive/claim-no-citation"
    assert first["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 3,
        "startColumn": 11,
        "endColumn": 27,
    }


def test_sarif_of_a_clean_run_is_valid_and_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("Nothing to claim here.\n")
    code, out, _ = invoke(
        "claims", "check", str(tmp_path), "--sarif", str(tmp_path / "c.sarif"), cwd=tmp_path
    )
    assert code == 0
    assert out == "0 claims, 0 backed, 0 unbacked\n"
    log = json.loads((tmp_path / "c.sarif").read_text())
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    assert log["runs"][0]["results"] == []
    assert not (tmp_path / ".golive").exists()  # no citation: the registry is never opened


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("missing.md",), "Error: missing.md: no such file or folder\n"),
        (("report.md", "--max-age", "soon"), "Error: --max-age: invalid duration 'soon'"),
        (
            ("report.md", "--spec", "../mixed/golive.yaml"),
            "Error: ../mixed/golive.yaml: spec 'proof-mixed' has no signoff section",
        ),
    ],
)
def test_usage_errors_exit_2(folder: Path, args: tuple[str, ...], message: str) -> None:
    shutil.copytree(DATA / "mixed", folder.parent / "mixed")
    code, _, err = invoke("claims", "check", *args, cwd=folder)
    assert code == 2
    assert err.startswith(message)
