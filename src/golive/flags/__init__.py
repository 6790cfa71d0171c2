"""Feature flags evaluated locally, with Unleash-compatible strategies and hashing.

This is the part applications embed: it imports nothing heavier than mmh3, and
httpx only when a client polls a URL. ``golive.flags.openfeature`` (the
OpenFeature provider) is imported only when used.
"""

from __future__ import annotations

from golive.flags.client import FlagClient, SourceStatus
from golive.flags.engine import Evaluation, FlagSet
from golive.flags.formats import detect_format, parse_flags, read_flags_file
from golive.flags.hashing import normalized_hash
from golive.flags.model import (
    SCHEMA,
    Constraint,
    Flag,
    Override,
    Payload,
    Strategy,
    Variant,
    export_document,
)

__all__ = [
    "SCHEMA",
    "Constraint",
    "Evaluation",
    "Flag",
    "FlagClient",
    "FlagSet",
    "Override",
    "Payload",
    "SourceStatus",
    "Strategy",
    "Variant",
    "detect_format",
    "export_document",
    "normalized_hash",
    "parse_flags",
    "read_flags_file",
]
