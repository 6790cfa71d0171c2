"""The command table of ``golive``: every command is found, each from its own module."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from golive.cli.app import COMMANDS, build_app, command_name


def _names(cli: typer.Typer) -> set[str]:
    return set(typer.main.get_group(cli).commands)


def test_the_table_names_exactly_the_commands_of_the_whole_app() -> None:
    assert _names(build_app()) == set(COMMANDS)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_each_command_is_registered_by_the_module_the_table_names(command: str) -> None:
    assert command in _names(build_app(command))


def test_an_unknown_or_missing_command_gets_the_whole_app() -> None:
    assert _names(build_app("nope")) == set(COMMANDS)
    assert _names(build_app(None)) == set(COMMANDS)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], None),
        (["--help"], None),
        (["check", "spec.yaml"], "check"),
        (["--log-format", "json", "gate", "1.0"], "gate"),
        (["--log-format=json", "flags", "list"], "flags"),
        (["--version"], None),
    ],
)
def test_command_name_skips_root_options_and_their_values(
    argv: list[str], expected: str | None
) -> None:
    assert command_name(argv) == expected


def test_golive_check_does_not_import_other_commands_libraries() -> None:
    probe = (
        "import sys; sys.argv = ['golive', 'check', '--help']\n"
        "from golive.cli.app import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('httpx', 'fastapi', 'golive.cli.serve', 'golive.api')"
        " if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_the_whole_apps_help_does_not_import_the_api_server() -> None:
    # `golive serve`'s options name GOLIVE_API_ALLOW_SQL; reading it must not load FastAPI
    probe = (
        "import sys; sys.argv = ['golive', '--help']\n"
        "from golive.cli.app import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('fastapi', 'uvicorn', 'golive.api.app', 'golive.api.specs')"
        " if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "serve" in done.stdout  # the whole app, serve included, was listed
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_a_check_without_governance_imports_no_waivers_and_no_signing(tmp_path: Path) -> None:
    (tmp_path / "ops.jsonl").write_text('{"ts": "2025-12-17T10:00:00Z"}\n')
    (tmp_path / "golive.yaml").write_text(
        "version: 1\nname: lean\nsources:\n  ops: {type: jsonl, path: ops.jsonl, time: ts}\n"
        "checks:\n  - {id: n, source: ops, measure: count, expect: '>= 1'}\n"
    )
    probe = (
        "import sys\n"
        f"sys.argv = ['golive', 'check', {str(tmp_path / 'golive.yaml')!r}, '--no-record',"
        " '--at', '2025-12-18T00:00:00Z']\n"
        "from golive.cli.app import main\n"
        "try:\n    main()\nexcept SystemExit as exit:\n    print('exit', exit.code)\n"
        "print(sorted(m for m in ('golive.governance.waivers', 'cryptography')"
        " if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-2:] == ["exit 0", "[]"]
