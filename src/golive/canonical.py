"""Canonical JSON (RFC 8785) and the digests that identify documents.

A scorecard's identity is the SHA-256 of its canonical JSON; manifests, gate
decisions, bundles and sign-offs are identified the same way.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import rfc8785


def canonical_json(document: Any) -> bytes:
    """The RFC 8785 serialisation of ``document``: sorted keys, no spaces, UTF-8."""
    return bytes(rfc8785.dumps(document))


def digest(document: Any) -> str:
    """Hex SHA-256 of the canonical JSON of ``document``."""
    return hashlib.sha256(canonical_json(document)).hexdigest()


def hashes_to(text: str, sha256: str) -> bool:
    """Whether the JSON document ``text`` hashes to ``sha256`` (its canonical JSON's digest).

    golive stores documents as their canonical JSON, so the text's own SHA-256 is
    tried first: when it matches, the text is the canonical JSON of a document with
    that digest, and canonicalising it again (most of the cost of a fetch) would only
    say so once more. Any other text is parsed and canonicalised.
    """
    raw = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return raw == sha256 or digest(json.loads(text)) == sha256
