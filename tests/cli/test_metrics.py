"""``golive metrics export`` through the CLI runner."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from golive.cli.app import app
from tests.observe.conftest import record_small_spec


def test_export_prints_the_exposition(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    record_small_spec(url)
    result = CliRunner().invoke(app, ["metrics", "export", "--registry", url])
    assert result.exit_code == 0
    assert 'golive_ready{spec="observe-small"} 1.0' in result.stdout
    assert "# TYPE golive_check_status gauge" in result.stdout


def test_export_textfile_with_json(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    record_small_spec(url)
    target = tmp_path / "golive.prom"
    result = CliRunner().invoke(
        app, ["metrics", "export", "--registry", url, "--textfile", str(target), "--json"]
    )
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["textfile"] == str(target)
    assert report["series"] > 5
    assert 'golive_score{spec="observe-small"} 1.0' in target.read_text()


def test_export_refuses_a_file_node_exporter_would_ignore(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    result = CliRunner().invoke(
        app, ["metrics", "export", "--registry", url, "--textfile", str(tmp_path / "m.txt")]
    )
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: --textfile {tmp_path / 'm.txt'}: node_exporter's textfile collector only "
        "reads *.prom files; use a name such as m.prom\n"
    )
