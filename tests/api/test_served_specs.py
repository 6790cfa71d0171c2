"""The specs ``golive serve --spec`` hands the app through ``$GOLIVE_SPECS``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from golive.api.served_specs import load_served_specs
from golive.errors import SpecError, UsageError
from tests.governance.project import write_project


def test_a_missing_spec_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"nope\.yaml: no such file"):
        load_served_specs(str(tmp_path / "nope.yaml"))


def test_an_invalid_spec_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "golive.yaml"
    bad.write_text("version: 1\nname: shop\nchecks: 3\n")
    with pytest.raises(SpecError):
        load_served_specs(str(bad))


def test_two_specs_with_one_name_are_refused(tmp_path: Path) -> None:
    first, second = write_project(tmp_path / "a"), write_project(tmp_path / "b")
    with pytest.raises(UsageError, match="another served spec is also named 'shop'"):
        load_served_specs(os.pathsep.join([str(first), str(second)]))


def test_specs_are_keyed_by_name(tmp_path: Path) -> None:
    assert load_served_specs("") == {}
    specs = load_served_specs(f"{write_project(tmp_path / 'a')}{os.pathsep}")
    assert list(specs) == ["shop"]
    assert [i.id for i in specs["shop"].items] == ["UC-001", "UC-002"]
