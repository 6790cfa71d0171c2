"""``golive approve`` through the CLI runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from golive.cli.app import app
from golive.governance.keys import PASSPHRASE_ENV
from tests.governance.conftest import KEYS
from tests.governance.project import key, write_project


def run(*args: str, user: str = "carol", stdin: str | None = None) -> tuple[int, str, str]:
    env = {"GOLIVE_USER": user, "GOLIVE_REGISTRY": None, PASSPHRASE_ENV: None}
    result = CliRunner().invoke(app, list(args), env=env, input=stdin)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    path = write_project(tmp_path / "shop")
    artifact = str(path.parent / "shop.whl")
    assert run("release", "create", "1.4.0", "--artifact", artifact, "--spec", str(path))[0] == 0
    return path


def test_approve_signs_and_reports_the_tally(spec: Path) -> None:
    code, out, err = run("approve", "1.4.0", "--key", key("alice"), "--spec", str(spec))
    assert (code, err) == (0, "")
    assert out.startswith("approved release 1.4.0 revision 1 as alice (SHA256:")
    assert out.strip().endswith("1 of 2 required approvals valid")
    code, out, _ = run("approve", "1.4.0", "--key", key("bob"), "--spec", str(spec), "--json")
    assert json.loads(out)["approver"] == "bob"


def test_the_creator_cannot_approve_and_exits_1(spec: Path) -> None:
    code, _, err = run("approve", "1.4.0", "--key", key("carol"), "--spec", str(spec))
    assert code == 1
    assert err == (
        "Error: carol made release 1.4.0; an approval by its creator does not count "
        "(governance.approvals.distinct_from_creator)\n"
    )


def test_an_encrypted_key_prompts_for_its_passphrase(spec: Path) -> None:
    encrypted = str(KEYS / "dave_ed25519_encrypted")
    code, out, err = run(
        "approve", "1.4.0", "--key", encrypted, "--spec", str(spec), stdin="correct horse\n"
    )
    assert "Passphrase for" in err
    assert out.strip() == ""  # the runner echoes the hidden input as a blank line
    # Dave's key opens, but it is not an approver's: the signature would not count.
    assert code == 1
    assert "is not one of governance.approvers (alice, bob, carol)" in err
