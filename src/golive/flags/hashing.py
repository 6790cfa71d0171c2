"""Unleash's normalised hash: which 1..N bucket an id falls in for a group."""

from __future__ import annotations

import mmh3

#: The seed Unleash uses when it picks a variant (rollouts use seed 0).
VARIANT_SEED = 86028157


def normalized_hash(identifier: str, group_id: str, normalizer: int = 100, seed: int = 0) -> int:
    """Bucket ``1..normalizer`` of MurmurHash3 x86 32-bit of ``"{group_id}:{identifier}"``."""
    return mmh3.hash(f"{group_id}:{identifier}", seed, signed=False) % normalizer + 1
