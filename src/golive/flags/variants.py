"""Picking a flag's variant for a context, as Unleash does.

Overrides win; otherwise the sticky id is hashed with seed 86028157 into
``1..total weight`` and the variant whose cumulative weight first reaches it wins.
"""

from __future__ import annotations

import random

from golive.flags.context import Context, resolver
from golive.flags.hashing import VARIANT_SEED, normalized_hash
from golive.flags.model import Variant

_random = random.Random()


def _sticky_id(stickiness: str | None, ctx: Context) -> str | None:
    if stickiness is None or stickiness == "default":
        user = resolver("userId")(ctx)
        return user if user is not None else resolver("sessionId")(ctx)
    return resolver(stickiness)(ctx)


def select_variant(
    variants: tuple[Variant, ...], group_id: str, ctx: Context
) -> tuple[Variant | None, bool]:
    """The variant for ``ctx`` (or None) and whether a weighted split chose it."""
    if not variants:
        return None, False
    for variant in variants:
        for override in variant.overrides:
            value = resolver(override.context_name)(ctx)
            if value is not None and value in override.values:
                return variant, False
    total = sum(v.weight for v in variants)
    if total <= 0:
        return None, False
    split = sum(1 for v in variants if v.weight > 0) > 1
    sticky = _sticky_id(variants[0].stickiness, ctx)
    if sticky is None:
        target = _random.randint(1, total)
    else:
        target = normalized_hash(sticky, group_id, total, VARIANT_SEED)
    reached = 0
    for variant in variants:
        reached += variant.weight
        if reached >= target:
            return variant, split
    return None, False
