"""Who is acting: GOLIVE_USER, else the login name."""

from __future__ import annotations

import getpass

import pytest

from golive.actor import current_actor


def test_golive_user_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOLIVE_USER", "  alice ")
    assert current_actor() == "alice"


def test_login_name_when_unset_or_blank(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(getpass, "getuser", lambda: "bob")
    monkeypatch.delenv("GOLIVE_USER", raising=False)
    assert current_actor() == "bob"
    monkeypatch.setenv("GOLIVE_USER", "")
    assert current_actor() == "bob"


def test_unknown_when_the_os_has_no_name(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_name() -> str:
        raise OSError("No username set in the environment")

    monkeypatch.delenv("GOLIVE_USER", raising=False)
    monkeypatch.setattr(getpass, "getuser", no_name)
    assert current_actor() == "unknown"
