"""Provenance: the in-toto Statement v1 of a bundle, and its DSSE envelope.

The statement's subjects are the scorecard (and release artifacts, when a collector adds
them) by sha256; its predicate (type :data:`PREDICATE_TYPE`, documented in docs/proof.md)
summarises the verdict and binds the bundle's manifest by hash, so one signature covers
every member. The envelope is DSSE v1 with PAE encoding, signed with an ed25519 key.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from golive.canonical import canonical_json
from golive.errors import SignatureError
from golive.proof.sshkeys import fingerprint

STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
PREDICATE_TYPE = "https://golive.dev/attestation/readiness/v1"
PAYLOAD_TYPE = "application/vnd.in-toto+json"


def subject(name: str, sha256: str) -> dict[str, Any]:
    """One in-toto subject (a ResourceDescriptor with a sha256 digest)."""
    return {"name": name, "digest": {"sha256": sha256}}


def statement(subjects: list[dict[str, Any]], predicate: dict[str, Any]) -> dict[str, Any]:
    """An in-toto Statement v1 with golive's readiness predicate."""
    return {
        "_type": STATEMENT_TYPE,
        "subject": subjects,
        "predicateType": PREDICATE_TYPE,
        "predicate": predicate,
    }


def statement_bytes(document: dict[str, Any]) -> bytes:
    """The bytes of a statement as bundled and signed (canonical JSON)."""
    return canonical_json(document)


def pae(payload_type: str, payload: bytes) -> bytes:
    """DSSE v1 Pre-Authentication Encoding of ``payload``."""
    kind = payload_type.encode("utf-8")
    return b"DSSEv1 %d %b %d %b" % (len(kind), kind, len(payload), payload)


def sign_envelope(payload: bytes, key: Ed25519PrivateKey) -> dict[str, Any]:
    """A DSSE envelope of ``payload`` (an in-toto statement) signed by ``key``."""
    signature = key.sign(pae(PAYLOAD_TYPE, payload))
    return {
        "payload": base64.b64encode(payload).decode("ascii"),
        "payloadType": PAYLOAD_TYPE,
        "signatures": [
            {
                "keyid": fingerprint(key.public_key()),
                "sig": base64.b64encode(signature).decode("ascii"),
            }
        ],
    }


@dataclass(frozen=True)
class Verified:
    """An envelope whose signature verified: its payload and the signer's key id."""

    payload: bytes
    keyid: str


def verify_envelope(envelope: Any, keys: list[Ed25519PublicKey]) -> Verified:
    """The payload of ``envelope`` if one of its signatures verifies with one of ``keys``."""
    if not isinstance(envelope, dict) or envelope.get("payloadType") != PAYLOAD_TYPE:
        raise SignatureError(f"not a DSSE envelope with payloadType {PAYLOAD_TYPE!r}")
    try:
        payload = base64.b64decode(envelope["payload"], validate=True)
        signatures = [
            (str(s.get("keyid", "")), base64.b64decode(s["sig"], validate=True))
            for s in envelope["signatures"]
        ]
    except (KeyError, TypeError, AttributeError, binascii.Error):
        raise SignatureError(
            "malformed DSSE envelope: expected payload and signatures[].sig in base64"
        ) from None
    message = pae(PAYLOAD_TYPE, payload)
    for public in keys:
        for _, sig in signatures:
            try:
                public.verify(sig, message)
            except InvalidSignature:
                continue
            return Verified(payload, fingerprint(public))
    signed_by = ", ".join(k or "(no keyid)" for k, _ in signatures) or "nobody"
    offered = ", ".join(fingerprint(k) for k in keys)
    raise SignatureError(
        f"no signature verifies with the given key(s) {offered}; the envelope is signed by "
        f"{signed_by} (re-signed with another key, or the statement was changed)"
    )
