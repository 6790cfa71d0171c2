"""Strategies compiled once into predicates, decided exactly as Unleash decides them.

A percentage rollout puts an id in bucket ``murmur3_x86_32("{groupId}:{id}", 0) % 100 + 1``
and is on when the bucket is ``<= percentage``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import mmh3

from golive.errors import FlagsError
from golive.flags.constraints import Predicate, always, compile_constraint, never
from golive.flags.context import Context, resolver
from golive.flags.model import Strategy, Variant

_random = random.Random()

#: How a strategy decides, for explanations and OpenFeature reasons.
STATIC, TARGETING, SPLIT = "static", "targeting", "split"


@dataclass(frozen=True)
class CompiledStrategy:
    """A strategy ready to evaluate: its predicate and what it is for explanations."""

    name: str
    index: int
    test: Predicate
    kind: str
    group_id: str
    stickiness: str
    variants: tuple[Variant, ...]


def compile_strategy(flag_name: str, strategy: Strategy, index: int) -> CompiledStrategy:
    """Compile one validated strategy of the flag ``flag_name``."""
    params = strategy.parameters
    name = strategy.name
    group_id = params.get("groupId") or flag_name
    stickiness = params.get("stickiness") or "default"
    rule: Predicate
    if name == "default":
        rule, kind = always, STATIC
    elif name == "userWithId":
        rule, kind = _user_with_id(params.get("userIds", "")), TARGETING
    elif name == "flexibleRollout":
        rule, kind = _rollout(int(params["rollout"]), group_id, stickiness), SPLIT
    elif name == "gradualRolloutUserId":
        rule, kind = _rollout(int(params["percentage"]), params["groupId"], "userId"), SPLIT
    elif name == "gradualRolloutSessionId":
        rule, kind = _rollout(int(params["percentage"]), params["groupId"], "sessionId"), SPLIT
    elif name == "gradualRolloutRandom":
        rule, kind = _rollout(int(params["percentage"]), group_id, "random"), SPLIT
    else:  # the loader refuses other strategies; a hand-built Strategy gets the same answer
        raise FlagsError(f"flag {flag_name!r}: unsupported strategy {name!r}")
    checks = tuple(compile_constraint(c) for c in strategy.constraints)
    if checks and kind == STATIC:
        kind = TARGETING
    return CompiledStrategy(
        name=name,
        index=index,
        test=_all(checks, rule),
        kind=kind,
        group_id=group_id,
        stickiness=stickiness,
        variants=strategy.variants,
    )


def _user_with_id(user_ids: str) -> Predicate:
    ids = frozenset(part.strip() for part in user_ids.split(","))
    get = resolver("userId")

    def check(ctx: Context) -> bool:
        return get(ctx) in ids

    return check


def _rollout(percentage: int, group_id: str, stickiness: str) -> Predicate:
    if percentage <= 0:
        return never
    # bucket = h % 100 + 1 and on when bucket <= percentage, i.e. h % 100 < percentage.
    prefix = f"{group_id}:"
    hash32 = mmh3.hash
    randrange = _random.randrange
    if stickiness == "random":

        def by_random(_ctx: Context) -> bool:
            return randrange(100) < percentage

        return by_random
    if stickiness == "default":
        user, session = resolver("userId"), resolver("sessionId")

        def by_default(ctx: Context) -> bool:
            value = user(ctx)
            if value is None:
                value = session(ctx)
                if value is None:  # no id at all: Unleash falls back to a random bucket
                    return randrange(100) < percentage
            return hash32(prefix + value, 0, False) % 100 < percentage

        return by_default
    get = resolver(stickiness)

    def by_field(ctx: Context) -> bool:
        value = get(ctx)
        if value is None:
            return False
        return hash32(prefix + value, 0, False) % 100 < percentage

    return by_field


def _all(checks: tuple[Predicate, ...], rule: Predicate) -> Predicate:
    """``rule`` guarded by every constraint; constraints first, as they are the cheap reject."""
    if not checks:
        return rule
    if len(checks) == 1:
        (c0,) = checks

        def one(ctx: Context) -> bool:
            return c0(ctx) and rule(ctx)

        return one
    if len(checks) == 2:
        c0, c1 = checks

        def two(ctx: Context) -> bool:
            return c0(ctx) and c1(ctx) and rule(ctx)

        return two

    def many(ctx: Context) -> bool:
        for check in checks:
            if not check(ctx):
                return False
        return rule(ctx)

    return many


def any_of(tests: tuple[Predicate, ...]) -> Predicate:
    """A predicate true when any of ``tests`` is (a flag is on if any strategy matches)."""
    if not tests:
        return always
    if len(tests) == 1:
        return tests[0]

    def first_match(ctx: Context) -> bool:
        # A plain loop: any() over a generator allocates on the hot path.
        for test in tests:  # noqa: SIM110
            if test(ctx):
                return True
        return False

    return first_match
