"""OpenSSH ed25519 keys for signing bundles: load them and name them by fingerprint.

A minimal helper until the governance keys module (``golive.governance.keys``, issue 4)
is merged; the key id is OpenSSH's fingerprint (``SHA256:<base64, no padding>``), the
same id ``ssh-keygen -lf`` prints.
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from golive.errors import UsageError

PASSPHRASE_ENV = "GOLIVE_KEY_PASSPHRASE"


def fingerprint(public: Ed25519PublicKey) -> str:
    """OpenSSH's ``SHA256:...`` fingerprint of ``public``."""
    blob = public.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    raw = base64.b64decode(blob.split()[1])
    return "SHA256:" + base64.b64encode(hashlib.sha256(raw).digest()).decode().rstrip("=")


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """An OpenSSH ed25519 private key; a passphrase comes from ``GOLIVE_KEY_PASSPHRASE``."""
    data = _read(path, "private key")
    passphrase = os.environ.get(PASSPHRASE_ENV)
    try:
        key = serialization.load_ssh_private_key(
            data, password=passphrase.encode() if passphrase else None
        )
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        hint = f" (set {PASSPHRASE_ENV} for an encrypted key)" if not passphrase else ""
        raise UsageError(
            f"{path}: not a usable OpenSSH private key: {exc}{hint}; "
            "make one with `ssh-keygen -t ed25519 -f KEY`"
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise UsageError(f"{path}: a {type(key).__name__}; golive signs with ed25519 keys only")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    """An OpenSSH ed25519 public key (``ssh-ed25519 AAAA... comment``, as in ``KEY.pub``)."""
    data = _read(path, "public key")
    try:
        key = serialization.load_ssh_public_key(data.strip())
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise UsageError(
            f"{path}: not an OpenSSH public key ({exc}); expected one line "
            "'ssh-ed25519 AAAA... comment', such as KEY.pub from ssh-keygen"
        ) from None
    if not isinstance(key, Ed25519PublicKey):
        raise UsageError(f"{path}: not an ed25519 key; golive verifies ed25519 signatures only")
    return key


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the {what}: {exc.strerror or exc}") from None
