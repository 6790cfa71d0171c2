"""The command table of ``golive``: every command is found, each from its own module."""

from __future__ import annotations

import subprocess
import sys

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
