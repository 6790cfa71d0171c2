"""``golive flags create|set|show|list|history|export|import`` and ``eval`` on the registry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from golive.cli.app import app
from golive.flags import FlagClient

runner = CliRunner()


@pytest.fixture(autouse=True)
def _actor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOLIVE_USER", "alice")


def flags(url: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["flags", *args, "--registry", url])
    return result.exit_code, result.stdout, result.stderr


def test_create_set_show_list_history(registry_url: str) -> None:
    code, out, _ = flags(
        registry_url,
        "create",
        "checkout",
        "--description",
        "New checkout",
        "--rollout",
        "10",
        "--enabled",
        "--constraint",
        "environment IN production",
    )
    assert code == 0
    assert out == (
        "created flag checkout (version 1): on when flexibleRollout 10% by default "
        "(group checkout) if environment IN production\n"
    )
    code, out, _ = flags(registry_url, "set", "checkout", "--rollout", "25")
    assert (code, out.split(":")[0]) == (0, "changed flag checkout (version 2)")
    code, out, _ = flags(registry_url, "set", "checkout", "--disabled")
    assert out.endswith(": off for everyone (disabled)\n")
    code, out, _ = flags(registry_url, "show", "checkout", "--json")
    shown = json.loads(out)
    assert (shown["version"], shown["enabled"], shown["updated_by"]) == (3, False, "alice")
    assert shown["strategies"][0]["parameters"]["rollout"] == "25"
    code, out, _ = flags(registry_url, "list", "--json")
    assert [f["name"] for f in json.loads(out)] == ["checkout"]
    code, out, _ = flags(registry_url, "history", "checkout", "--json")
    changes = json.loads(out)
    assert [(c["change"], c["actor"]) for c in changes] == [
        ("create", "alice"),
        ("set", "alice"),
        ("set", "alice"),
    ]
    assert changes[2]["old"]["enabled"] is True
    assert changes[2]["new"]["enabled"] is False


def test_set_mistakes_exit_2(registry_url: str) -> None:
    flags(registry_url, "create", "c", "--strategy", "default")
    assert flags(registry_url, "set", "c") == (
        2,
        "",
        "Error: nothing to set; give --enabled/--disabled, --rollout PCT, --stickiness, "
        "--group-id, --constraint, --clear-constraints or --description\n",
    )
    code, _, err = flags(registry_url, "set", "c", "--rollout", "20")
    assert code == 2
    assert err.startswith("Error: flag 'c' has no flexibleRollout strategy (it has default)")
    code, _, err = flags(registry_url, "set", "nope", "--enabled")
    assert (code, err) == (
        2,
        "Error: no flag 'nope' in the registry (flags: c); "
        "create it with `golive flags create nope`\n",
    )
    code, _, err = flags(registry_url, "set", "c", "--constraint", "env LIKE x")
    assert code == 2
    assert err.startswith("Error: invalid constraint 'env LIKE x'")
    code, _, err = flags(registry_url, "create", "d", "--strategy", "remoteAddress")
    assert (code, err.split(";")[0]) == (
        2,
        "Error: --strategy 'remoteAddress' is not one golive creates",
    )


def test_export_is_what_the_flag_client_loads(registry_url: str, tmp_path: Path) -> None:
    flags(registry_url, "create", "a", "--rollout", "100", "--enabled")
    flags(registry_url, "create", "b")
    out_file = tmp_path / "flags.json"
    code, _, err = flags(registry_url, "export", "-o", str(out_file))
    assert (code, err) == (0, f"wrote 2 flags to {out_file}\n")
    client = FlagClient.from_file(out_file)
    assert client.is_enabled("a", {"userId": "7"})
    assert not client.is_enabled("b", {"userId": "7"})
    code, out, _ = flags(registry_url, "export")
    assert json.loads(out) == json.loads(out_file.read_text())


def test_import_golive_and_unleash_and_refusals(registry_url: str, tmp_path: Path) -> None:
    unleash = {
        "version": 2,
        "features": [
            {
                "name": "u",
                "enabled": True,
                "strategies": [{"name": "flexibleRollout", "parameters": {"rollout": "40"}}],
            }
        ],
    }
    path = tmp_path / "unleash.json"
    path.write_text(json.dumps(unleash))
    code, out, _ = flags(registry_url, "import", str(path), "--format", "unleash", "--json")
    assert (code, json.loads(out)) == (0, {"created": ["u"], "updated": [], "unchanged": []})
    code, _, err = flags(registry_url, "import", str(path), "--format", "golive")
    assert (code, err) == (
        2,
        f"Error: {path}: --format golive but the document is a unleash export\n",
    )
    unleash["features"].append(
        {"name": "office", "enabled": True, "strategies": [{"name": "remoteAddress"}]}
    )
    path.write_text(json.dumps(unleash))
    code, _, err = flags(registry_url, "import", str(path))
    assert code == 2
    assert err == (
        f"Error: {path}: unsupported strategies: 'office' uses 'remoteAddress'; golive supports "
        "default, userWithId, flexibleRollout, gradualRolloutUserId, gradualRolloutSessionId, "
        "gradualRolloutRandom\n"
    )
    # Refused whole: nothing of the second file was stored.
    code, out, _ = flags(registry_url, "list", "--json")
    assert [f["name"] for f in json.loads(out)] == ["u"]


def test_eval_reads_the_registry_without_file(registry_url: str) -> None:
    flags(registry_url, "create", "all", "--rollout", "100", "--enabled")
    assert flags(registry_url, "eval", "all", "-c", "userId=3") == (0, "true\n", "")
    code, _, err = flags(registry_url, "eval", "nope")
    assert code == 2
    assert err.startswith("Error: flag 'nope' is not in registry ")
    assert err.endswith("; it has: all\n")
