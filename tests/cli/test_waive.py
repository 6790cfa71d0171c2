"""``golive waive`` and the waiver it makes in the next ``golive check``."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from golive.cli.app import app
from tests.governance.project import key, write_project


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        app, list(args), env={"GOLIVE_USER": "alice", "GOLIVE_REGISTRY": None}
    )
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    return write_project(tmp_path / "shop")


def _in(days: int) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).strftime("%Y-%m-%d")


def test_a_waiver_makes_the_next_check_waived_and_named(spec: Path) -> None:
    code, _, _ = run("check", str(spec), "--no-record", "--at", "2025-12-18T00:00:00Z")
    assert code == 1
    code, out, err = run(
        "waive",
        "uc2.a",
        "--reason",
        "replay lands next sprint",
        "--expires",
        _in(7),
        "--key",
        key("alice"),
        "--spec",
        str(spec),
    )
    assert (code, err) == (0, "")
    assert out.startswith(f"waived uc2.a until {_in(7)}T00:00:00Z, signed by alice (SHA256:")
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    for extra in ((), ("--no-record",)):
        code, out, _ = run("check", str(spec), "--json", "--at", now, *extra)
        assert code == 0
        check = next(c for c in json.loads(out)["checks"] if c["id"] == "uc2.a")
        assert check["status"] == "waived"
        assert check["waiver"]["approver"] == "alice"


def test_an_expired_waiver_is_ignored_and_the_check_says_so(spec: Path) -> None:
    assert (
        run(
            "waive",
            "uc2.a",
            "--reason",
            "r",
            "--expires",
            _in(2),
            "--key",
            key("bob"),
            "--spec",
            str(spec),
        )[0]
        == 0
    )
    later = (datetime.now(UTC) + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
    code, out, _ = run("check", str(spec), "--json", "--no-record", "--at", later)
    assert code == 1
    check = next(c for c in json.loads(out)["checks"] if c["id"] == "uc2.a")
    assert check["status"] == "fail"
    assert "expired at" in check["message"]
    assert "is not applied" in check["message"]
    assert "waiver" not in check


def test_refusals_exit_2_with_the_reason(spec: Path) -> None:
    code, _, err = run(
        "waive",
        "security.critical-high",
        "--reason",
        "r",
        "--expires",
        _in(3),
        "--key",
        key("alice"),
        "--spec",
        str(spec),
    )
    assert code == 2
    assert err == (
        "Error: waiver of security.critical-high refused: security.critical-high is in "
        "governance.waivers.never and can never be waived\n"
    )
    code, _, err = run(
        "waive",
        "uc2.a",
        "--reason",
        "r",
        "--expires",
        _in(45),
        "--key",
        key("alice"),
        "--spec",
        str(spec),
    )
    assert code == 2
    assert "longer than governance.waivers.max_days (30 days" in err
    code, _, err = run(
        "waive",
        "uc2.a",
        "--reason",
        "r",
        "--expires",
        "soon",
        "--key",
        key("alice"),
        "--spec",
        str(spec),
    )
    assert code == 2
    assert err.startswith("Error: --expires 'soon': expected a date such as 2026-01-31")


def test_a_dry_run_never_creates_the_registry_to_look_for_waivers(spec: Path) -> None:
    code, _, _ = run("check", str(spec), "--no-record", "--at", "2025-12-18T00:00:00Z")
    assert code == 1
    assert not (spec.parent / ".golive" / "registry.db").exists()
