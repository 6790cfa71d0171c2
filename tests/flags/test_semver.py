"""Semantic Versioning 2.0.0 precedence."""

from __future__ import annotations

import pytest

from golive.flags.semver import parse_semver


def test_precedence_follows_the_specification_example() -> None:
    # The ordering example of semver.org section 11.
    ordered = [
        "1.0.0-alpha",
        "1.0.0-alpha.1",
        "1.0.0-alpha.beta",
        "1.0.0-beta",
        "1.0.0-beta.2",
        "1.0.0-beta.11",
        "1.0.0-rc.1",
        "1.0.0",
        "1.0.1",
        "1.10.0",
        "2.0.0",
    ]
    keys = [parse_semver(v) for v in ordered]
    assert all(k is not None for k in keys)
    assert keys == sorted(keys)  # type: ignore[type-var]
    assert len(set(keys)) == len(keys)


def test_build_metadata_is_ignored() -> None:
    assert parse_semver("1.0.0+a") == parse_semver("1.0.0+b") == parse_semver("1.0.0")


@pytest.mark.parametrize("text", ["v1.0.0", "1.0", "01.0.0", "1.0.0-", "1.0.0-01", "", "1.0.0 "])
def test_rejects_what_is_not_strict_semver(text: str) -> None:
    assert parse_semver(text) is None
