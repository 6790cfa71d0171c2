"""Ed25519 signing with the OpenSSH keys engineers already have.

A signature covers ``<purpose>:<sha256 hex>`` rather than the digest alone: the
purpose (``golive-approval-v1``, ``golive-waiver-v1``, ...) separates domains, so
a signature made to approve a manifest can never be replayed as a waiver or a
promotion whose digest happens to be the same.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
    load_ssh_private_key,
    load_ssh_public_key,
)

from golive.errors import BadSignature, UsageError

PASSPHRASE_ENV = "GOLIVE_KEY_PASSPHRASE"
APPROVAL = "golive-approval-v1"
WAIVER = "golive-waiver-v1"
PROMOTION = "golive-promotion-v1"
PURPOSES = (APPROVAL, WAIVER, PROMOTION)
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
# How far a record signed elsewhere may claim to have been signed from the server's time.
MAX_CLOCK_SKEW = timedelta(minutes=5)

Passphrase = Callable[[], str]


@dataclass(frozen=True)
class PublicKey:
    """An Ed25519 public key with its OpenSSH line and SHA256 fingerprint."""

    key: Ed25519PublicKey
    openssh: str  # "ssh-ed25519 AAAA..." without the comment

    @property
    def fingerprint(self) -> str:
        """``SHA256:<base64>``, as ``ssh-keygen -l`` prints it."""
        return fingerprint(self.key)


@dataclass(frozen=True)
class SigningKey:
    """An Ed25519 private key loaded from an OpenSSH key file."""

    key: Ed25519PrivateKey
    path: Path

    @property
    def public(self) -> PublicKey:
        """The matching public key."""
        return _public(self.key.public_key())


def fingerprint(key: Ed25519PublicKey) -> str:
    """The OpenSSH SHA256 fingerprint of ``key`` (``SHA256:`` + unpadded base64)."""
    blob = base64.b64decode(_openssh(key).split()[1])
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")


def load_public_key(line: str, where: str = "public key") -> PublicKey:
    """Parse an ``ssh-ed25519 AAAA... comment`` line; anything else is a UsageError."""
    text = line.strip()
    if not text.startswith("ssh-ed25519 "):
        kind = text.split()[0] if text.split() else "an empty value"
        raise UsageError(
            f"{where}: expected an OpenSSH ed25519 public key such as "
            f"'ssh-ed25519 AAAAC3Nza... alice@example' (the .pub file), got {kind!r}"
        )
    try:
        key = load_ssh_public_key(text.encode("ascii"))
    except (ValueError, UnsupportedAlgorithm, UnicodeEncodeError):
        raise UsageError(
            f"{where}: not a valid ssh-ed25519 public key; copy the whole line of the .pub file"
        ) from None
    if not isinstance(key, Ed25519PublicKey):
        raise UsageError(f"{where}: only ed25519 keys are supported")
    return _public(key)


def load_private_key(path: Path, passphrase: Passphrase | None = None) -> SigningKey:
    """Load an OpenSSH ed25519 private key, asking for its passphrase only when it has one.

    The passphrase comes from ``$GOLIVE_KEY_PASSPHRASE`` when set (for CI), else from
    ``passphrase()`` (the CLI prompts); with neither, an encrypted key is an error.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{path}: no such key file; give an OpenSSH private key (--key)") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the key: {exc.strerror or exc}") from None
    try:
        key = load_ssh_private_key(data, password=None)
    except TypeError:
        # Encrypted: "Password was not given but private key is encrypted".
        secret = os.environ.get(PASSPHRASE_ENV)
        if secret is None and passphrase is None:
            raise UsageError(
                f"{path}: the key is encrypted; set {PASSPHRASE_ENV} or run in a terminal "
                "to be asked for its passphrase"
            ) from None
        if secret is None and passphrase is not None:
            secret = passphrase()
        try:
            key = load_ssh_private_key(data, password=(secret or "").encode("utf-8"))
        except ValueError:
            raise UsageError(f"{path}: wrong passphrase for this key") from None
    except (ValueError, UnsupportedAlgorithm):
        raise UsageError(
            f"{path}: not an OpenSSH private key; create one with "
            "`ssh-keygen -t ed25519` and pass the private file, not the .pub"
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise UsageError(
            f"{path}: only ed25519 keys can sign for golive; create one with "
            "`ssh-keygen -t ed25519`"
        )
    return SigningKey(key, path)


def signed_message(purpose: str, sha256: str) -> bytes:
    """The bytes a signature covers: ``<purpose>:<sha256 hex>``."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown signing purpose {purpose!r}")
    if not _SHA256_HEX.fullmatch(sha256):
        raise ValueError(f"expected a lowercase sha256 hex digest, got {sha256!r}")
    return f"{purpose}:{sha256}".encode("ascii")


def sign(key: SigningKey, purpose: str, sha256: str) -> str:
    """Base64 Ed25519 signature of ``<purpose>:<sha256>``."""
    return base64.b64encode(key.key.sign(signed_message(purpose, sha256))).decode("ascii")


def verify(public: PublicKey, purpose: str, sha256: str, signature: str) -> None:
    """Raise ``BadSignature`` unless ``signature`` is ``public``'s over ``<purpose>:<sha256>``."""
    try:
        raw = base64.b64decode(signature, validate=True)
        public.key.verify(raw, signed_message(purpose, sha256))
    except (InvalidSignature, binascii.Error, ValueError):
        raise BadSignature(
            f"the {purpose} signature does not verify with key {public.fingerprint} over {sha256}"
        ) from None


def check_signed_at(signed_at: datetime, now: datetime, field: str, what: str) -> None:
    """Refuse a record signed elsewhere that claims a signing time more than
    ``MAX_CLOCK_SKEW`` from ``now``: its time is part of what it asserts (an expiry is
    bounded from it), so it must be the time it was really signed."""
    if abs(signed_at - now) > MAX_CLOCK_SKEW:
        raise UsageError(
            f"{field} {signed_at.isoformat()} is more than {MAX_CLOCK_SKEW} from the server's "
            f"time {now.isoformat()}; sign the {what} with the current time"
        )


def _openssh(key: Ed25519PublicKey) -> str:
    return key.public_bytes(Encoding.OpenSSH, PublicFormat.OpenSSH).decode("ascii")


def _public(key: Ed25519PublicKey) -> PublicKey:
    return PublicKey(key, _openssh(key))
