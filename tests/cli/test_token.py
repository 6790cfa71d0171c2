"""``golive token create|revoke|list`` through the CLI runner."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from golive.cli.app import app
from golive.registry import open_registry
from golive.registry.tokens import authenticate

runner = CliRunner()
ENV = {"GOLIVE_USER": "carol", "GOLIVE_REGISTRY": None, "COLUMNS": "120"}


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env=ENV)
    return result.exit_code, result.stdout, result.stderr


def test_create_prints_the_token_once_and_it_authenticates(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    code, out, _ = _run("token", "create", "ci-upload", "--role", "engineer", "--registry", url)
    assert code == 0
    first, token = out.splitlines()
    assert first == "Created token 'ci-upload' with role engineer. It is shown only now:"
    with open_registry(url) as registry:
        found = authenticate(registry, token)
    assert found is not None
    assert found.role == "engineer"
    code, listed, _ = _run("token", "list", "--registry", url)
    assert code == 0
    assert "ci-upload" in listed
    assert token not in listed


def test_create_json(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    code, out, _ = _run("token", "create", "ro", "--role", "viewer", "--registry", url, "--json")
    assert code == 0
    body = json.loads(out)
    assert (body["name"], body["role"], body["created_by"], body["revoked_at"]) == (
        "ro",
        "viewer",
        "carol",
        None,
    )
    assert body["token"].startswith("glv_")


def test_unknown_role_is_exit_2(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    code, out, err = _run("token", "create", "x", "--role", "root", "--registry", url)
    assert (code, out) == (2, "")
    assert err == (
        "Error: unknown role 'root'; expected one of viewer, engineer, approver, admin\n"
    )


def test_revoke_then_list_json(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    _run("token", "create", "ci", "--role", "admin", "--registry", url)
    code, out, _ = _run("token", "revoke", "ci", "--registry", url)
    assert (code, out) == (0, "Revoked token 'ci'.\n")
    code, out, err = _run("token", "revoke", "ci", "--registry", url)
    assert (code, err) == (2, "Error: token 'ci' is already revoked\n")
    code, out, _ = _run("token", "list", "--registry", url, "--json")
    [row] = json.loads(out)
    assert (row["name"], row["revoked_by"]) == ("ci", "carol")


def test_revoke_unknown_and_empty_list(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    code, out, _ = _run("token", "list", "--registry", url)
    assert (code, out) == (0, f"No tokens in {url}.\n")
    code, _, err = _run("token", "revoke", "ghost", "--registry", url)
    assert code == 2
    assert err.startswith("Error: no token named 'ghost' in registry ")
