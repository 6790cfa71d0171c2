"""golive: decide from evidence whether a release may go live."""

from __future__ import annotations

from golive.errors import (
    EvidenceError,
    GoliveError,
    NotFoundError,
    RegistryError,
    SignatureError,
    SpecError,
    SpecProblem,
    UsageError,
)

__version__ = "0.1.0"

__all__ = [
    "EvidenceError",
    "GoliveError",
    "NotFoundError",
    "RegistryError",
    "SignatureError",
    "SpecError",
    "SpecProblem",
    "UsageError",
    "__version__",
]
