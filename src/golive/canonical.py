"""Canonical JSON (RFC 8785) and the digests that identify documents.

A scorecard's identity is the SHA-256 of its canonical JSON; manifests, gate
decisions, bundles and sign-offs are identified the same way.
"""

from __future__ import annotations

import hashlib
from typing import Any

import rfc8785


def canonical_json(document: Any) -> bytes:
    """The RFC 8785 serialisation of ``document``: sorted keys, no spaces, UTF-8."""
    return bytes(rfc8785.dumps(document))


def digest(document: Any) -> str:
    """Hex SHA-256 of the canonical JSON of ``document``."""
    return hashlib.sha256(canonical_json(document)).hexdigest()
