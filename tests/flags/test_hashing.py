"""golive's normalised hash against an independent MurmurHash3 and Unleash's published values."""

from __future__ import annotations

import struct

from hypothesis import given
from hypothesis import strategies as st

from golive.flags import FlagSet, parse_flags
from golive.flags.hashing import VARIANT_SEED, normalized_hash


def murmur3_x86_32(data: bytes, seed: int) -> int:
    """MurmurHash3 x86 32-bit written out from Austin Appleby's reference, for comparison."""
    c1, c2, mask = 0xCC9E2D51, 0x1B873593, 0xFFFFFFFF
    h = seed & mask
    tail = len(data) & ~3
    for (k,) in struct.iter_unpack("<I", data[:tail]):
        k = (k * c1) & mask
        k = ((k << 15) | (k >> 17)) & mask
        k = (k * c2) & mask
        h ^= k
        h = ((h << 13) | (h >> 19)) & mask
        h = (h * 5 + 0xE6546B64) & mask
    k = 0
    rest = data[tail:]
    for i, byte in enumerate(rest):
        k |= byte << (8 * i)
    if rest:
        k = (k * c1) & mask
        k = ((k << 15) | (k >> 17)) & mask
        k = (k * c2) & mask
        h ^= k
    h ^= len(data)
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & mask
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & mask
    h ^= h >> 16
    return h


def test_values_published_by_the_unleash_sdks() -> None:
    # The cross-SDK values asserted by unleash-client-java's StrategyUtilsTest.
    assert normalized_hash("123", "gr1") == 73
    assert normalized_hash("999", "groupX") == 25
    assert normalized_hash("123", "gr1", 100, VARIANT_SEED) == 96
    assert normalized_hash("999", "groupX", 100, VARIANT_SEED) == 60


@given(identifier=st.text(), group=st.text(), normalizer=st.integers(1, 10_000))
def test_equals_a_straightforward_murmur3(identifier: str, group: str, normalizer: int) -> None:
    data = f"{group}:{identifier}".encode()
    expected = murmur3_x86_32(data, 0) % normalizer + 1
    assert normalized_hash(identifier, group, normalizer) == expected
    assert 1 <= expected <= normalizer


@given(identifier=st.text(max_size=40), seed=st.integers(0, 2**32 - 1))
def test_any_seed_equals_the_reference(identifier: str, seed: int) -> None:
    assert normalized_hash(identifier, "g", 1000, seed) == (
        murmur3_x86_32(f"g:{identifier}".encode(), seed) % 1000 + 1
    )


@given(
    user=st.text(min_size=0, max_size=30),
    group=st.text(min_size=1, max_size=30),
    pct=st.integers(0, 100),
)
def test_rollout_decision_is_the_bucket_rule(user: str, group: str, pct: int) -> None:
    params = {"rollout": str(pct), "stickiness": "userId", "groupId": group}
    strategy = {"name": "flexibleRollout", "parameters": params}
    doc = {"version": 1, "features": [{"name": "f", "enabled": True, "strategies": [strategy]}]}
    bucket = murmur3_x86_32(f"{group}:{user}".encode(), 0) % 100 + 1
    assert FlagSet(parse_flags(doc)).is_enabled("f", {"userId": user}) is (bucket <= pct)
