"""Finding and running promtool."""

from __future__ import annotations

from pathlib import Path

import pytest

from golive.errors import UsageError
from golive.observe.promtool import check_rules, find_promtool


def test_promtool_missing_names_the_debian_package(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(UsageError) as info:
        find_promtool()
    assert str(info.value) == (
        "promtool not found on PATH; install it with the Debian package 'prometheus' "
        "(apt-get install prometheus) or put Prometheus's promtool on PATH"
    )


def test_promtool_found() -> None:
    assert Path(find_promtool()).name == "promtool"


def test_check_rules_reports_promtool_output(tmp_path: Path) -> None:
    path = tmp_path / "rules.yml"
    path.write_text("groups:\n- name: g\n  rules:\n  - record: 'bad name'\n    expr: up\n")
    result = check_rules(path)
    assert not result.ok
    assert result.output.splitlines() == [
        "Checking rules.yml",
        "  FAILED:",
        'rules.yml: 4:13: group "g", rule 1, "bad name": invalid recording rule name: bad name',
    ]
