"""Signing primitives: OpenSSH ed25519 keys, fingerprints, domain-separated signatures."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from golive.errors import SignatureError, UsageError
from golive.governance.keys import (
    APPROVAL,
    PASSPHRASE_ENV,
    WAIVER,
    load_private_key,
    load_public_key,
    sign,
    verify,
)

KEYS = Path(__file__).parent.parent / "data" / "governance"
DIGEST = "ab" * 32


def test_fingerprint_is_the_one_ssh_keygen_prints() -> None:
    printed = subprocess.run(
        ["ssh-keygen", "-lf", str(KEYS / "alice_ed25519.pub")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[1]
    public = load_public_key((KEYS / "alice_ed25519.pub").read_text())
    assert public.fingerprint == printed
    assert load_private_key(KEYS / "alice_ed25519").public.fingerprint == printed


def test_a_signature_verifies_only_for_its_purpose_digest_and_key() -> None:
    alice = load_private_key(KEYS / "alice_ed25519")
    bob = load_public_key((KEYS / "bob_ed25519.pub").read_text())
    signature = sign(alice, APPROVAL, DIGEST)
    verify(alice.public, APPROVAL, DIGEST, signature)
    with pytest.raises(SignatureError, match="golive-waiver-v1 signature does not verify"):
        verify(alice.public, WAIVER, DIGEST, signature)
    with pytest.raises(SignatureError):
        verify(alice.public, APPROVAL, "cd" * 32, signature)
    with pytest.raises(SignatureError):
        verify(bob, APPROVAL, DIGEST, signature)
    with pytest.raises(SignatureError):
        verify(alice.public, APPROVAL, DIGEST, "not base64!")


def test_an_encrypted_key_takes_its_passphrase_from_the_callback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(PASSPHRASE_ENV, raising=False)
    asked: list[int] = []

    def prompt() -> str:
        asked.append(1)
        return "correct horse"

    key = load_private_key(KEYS / "dave_ed25519_encrypted", prompt)
    assert asked == [1]
    expected = load_public_key((KEYS / "dave_ed25519_encrypted.pub").read_text())
    assert key.public.fingerprint == expected.fingerprint


def test_an_encrypted_key_takes_its_passphrase_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(PASSPHRASE_ENV, "correct horse")
    key = load_private_key(KEYS / "dave_ed25519_encrypted", lambda: pytest.fail("prompted"))
    assert key.public.openssh.startswith("ssh-ed25519 ")


def test_a_wrong_or_missing_passphrase_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PASSPHRASE_ENV, raising=False)
    with pytest.raises(UsageError, match="wrong passphrase for this key"):
        load_private_key(KEYS / "dave_ed25519_encrypted", lambda: "battery staple")
    with pytest.raises(UsageError, match=f"the key is encrypted; set {PASSPHRASE_ENV}"):
        load_private_key(KEYS / "dave_ed25519_encrypted")


def test_bad_private_keys_are_refused_with_the_fix(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="only ed25519 keys can sign"):
        load_private_key(KEYS / "rsa_key")
    with pytest.raises(UsageError, match=r"pass the private file, not the \.pub"):
        load_private_key(KEYS / "alice_ed25519.pub")
    with pytest.raises(UsageError, match="no such key file"):
        load_private_key(tmp_path / "missing")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ((KEYS / "rsa_key.pub").read_text(), "got 'ssh-rsa'"),
        ("", "got 'an empty value'"),
        ("ssh-ed25519 AAAAnotakey alice", "not a valid ssh-ed25519 public key"),
    ],
)
def test_bad_public_keys_are_refused(line: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        load_public_key(line, "governance.approvers.alice")
