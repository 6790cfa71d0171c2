"""Bundles are signed with the same OpenSSH ed25519 keys as approvals.

File-path adapters over :mod:`golive.governance.keys`, returning the raw
cryptography keys DSSE signs and verifies with; the key id is OpenSSH's
fingerprint (``SHA256:<base64, no padding>``), as ``ssh-keygen -lf`` prints it.
"""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from golive.errors import UsageError
from golive.governance import keys
from golive.governance.keys import fingerprint

__all__ = ["fingerprint", "load_private_key", "load_public_key"]


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """An OpenSSH ed25519 private key; a passphrase comes from ``GOLIVE_KEY_PASSPHRASE``."""
    return keys.load_private_key(path).key


def load_public_key(path: Path) -> Ed25519PublicKey:
    """An OpenSSH ed25519 public key file (``ssh-ed25519 AAAA... comment``, as ``KEY.pub``)."""
    try:
        line = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read the public key: {exc}") from None
    return keys.load_public_key(line, where=str(path)).key
