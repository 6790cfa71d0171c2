"""``golive bundle create|verify`` through the CLI runner: exit codes, output, errors."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from golive.cli.app import app
from tests.proof.conftest import Recorded, copy_example, make_key, record


def invoke(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    with contextlib.chdir(cwd) if cwd else contextlib.nullcontext():
        result = CliRunner().invoke(app, list(args), env={"GOLIVE_REGISTRY": None})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def recorded(tmp_path: Path) -> Recorded:
    """The mixed spec recorded in its default registry (beside the spec)."""
    spec = copy_example("mixed", tmp_path)
    return record(spec, f"sqlite:///{spec.parent / '.golive' / 'registry.db'}")


def test_create_latest_from_the_spec_folder_then_verify(recorded: Recorded, tmp_path: Path) -> None:
    code, out, err = invoke("bundle", "create", "-o", "b.tar.gz", cwd=recorded.spec.parent)
    assert (code, err) == (0, "")
    assert out.startswith("Wrote b.tar.gz: 4 members, scorecard " + recorded.sha256)
    code, out, _ = invoke("bundle", "verify", str(recorded.spec.parent / "b.tar.gz"))
    assert code == 0
    assert out.startswith("VERIFIED · ")
    assert "4 members" in out
    assert "signature unsigned" in out


def test_create_by_scorecard_prefix_signed_and_json(recorded: Recorded, tmp_path: Path) -> None:
    key = make_key(tmp_path, "release")
    code, out, _ = invoke(
        "bundle",
        "create",
        "--scorecard",
        recorded.sha256[:12],
        "--spec",
        str(recorded.spec),
        "--key",
        str(key.private),
        "--json",
        "-o",
        str(tmp_path / "b.tar.gz"),
    )
    assert code == 0
    assert json.loads(out)["scorecard"]["sha256"] == recorded.sha256
    code, out, _ = invoke("bundle", "verify", str(tmp_path / "b.tar.gz"), "--key", str(key.public))
    assert code == 0
    assert "signature verified by SHA256:" in out


def test_summary_md_is_a_ticket_ready_table(recorded: Recorded, tmp_path: Path) -> None:
    code, out, _ = invoke(
        "bundle",
        "create",
        "--spec",
        str(recorded.spec),
        "-o",
        str(tmp_path / "b.tgz"),
        "--summary",
        "md",
    )
    assert code == 0
    assert out.startswith("## golive evidence bundle: proof-mixed — NOT READY\n")
    assert f"- Scorecard: `golive:scorecard:{recorded.sha256}`" in out
    assert "- Trace id: none recorded" in out
    assert "| EV.latency | FAIL | 224.49999999999994 | < 100 |" in out
    assert "| EV.broken | ERROR (optional) | - | >= 1 |" in out
    assert "values redacted" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--scorecard", "1", "--latest"), "Error: give --scorecard ID or --latest, not both\n"),
        (("--summary", "html"), "Error: --summary 'html': the only summary format is 'md'\n"),
        (("--scorecard", "99"), "Error: no scorecard '99' in registry"),
        (("--at", "yesterday"), "Error: --at: "),
    ],
)
def test_usage_errors_exit_2(
    recorded: Recorded, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    code, _, err = invoke(
        "bundle", "create", "--spec", str(recorded.spec), "-o", str(tmp_path / "b.tar.gz"), *args
    )
    assert code == 2
    assert err.startswith(message)
    assert not (tmp_path / "b.tar.gz").exists()


def test_latest_without_a_scorecard_says_run_check(tmp_path: Path) -> None:
    spec = copy_example("mixed", tmp_path)
    code, _, err = invoke("bundle", "create", "--spec", str(spec), "-o", str(tmp_path / "b.tar.gz"))
    assert code == 2
    assert "no scorecard of spec 'proof-mixed'" in err
    assert f"run `golive check {spec}` first" in err


def test_verify_a_missing_bundle_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = invoke("bundle", "verify", str(tmp_path / "nope.tar.gz"))
    assert code == 2
    missing = tmp_path / "nope.tar.gz"
    assert err == f"Error: {missing}: no such bundle (a .tar.gz file or a bundle folder)\n"


def test_scorecard_whose_spec_is_elsewhere_asks_for_spec(tmp_path: Path) -> None:
    spec = copy_example("mixed", tmp_path)
    registry = f"sqlite:///{tmp_path / 'registry.db'}"
    with contextlib.chdir(spec.parent):
        recorded = record(Path("golive.yaml"), registry)  # spec.path is relative
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    args = ["--scorecard", recorded.sha256, "--registry", registry, "-o", "b.tar.gz"]
    code, _, err = invoke("bundle", "create", *args, cwd=elsewhere)
    assert code == 2
    assert err == (
        f"Error: scorecard {recorded.sha256[:12]} was evaluated from 'golive.yaml', "
        "which is not a file from this folder; give the spec with --spec\n"
    )
    code, _, _ = invoke("bundle", "create", *args, "--spec", str(spec), cwd=elsewhere)
    assert code == 0
