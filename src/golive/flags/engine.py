"""A set of flags compiled for evaluation: fast ``is_enabled`` and explained ``evaluate``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from golive.flags.constraints import Predicate, never
from golive.flags.context import EMPTY_CONTEXT, Context
from golive.flags.model import Flag, Variant
from golive.flags.strategies import CompiledStrategy, any_of, compile_strategy
from golive.flags.variants import select_variant

#: Reasons an ``Evaluation`` gives.
UNKNOWN_FLAG = "unknown_flag"
DISABLED = "disabled"
NO_STRATEGIES = "no_strategies"
STRATEGY_MATCH = "strategy_match"
NO_MATCH = "no_strategy_matched"


@dataclass(frozen=True)
class Evaluation:
    """The answer for one flag and context, with why."""

    enabled: bool
    reason: str
    strategy: str | None = None
    strategy_index: int | None = None
    kind: str | None = None


@dataclass(frozen=True)
class CompiledFlag:
    """A flag with its strategies compiled; ``test`` decides on/off for a context."""

    flag: Flag
    test: Predicate
    strategies: tuple[CompiledStrategy, ...]

    @classmethod
    def of(cls, flag: Flag) -> CompiledFlag:
        """Compile ``flag``."""
        strategies = tuple(compile_strategy(flag.name, s, i) for i, s in enumerate(flag.strategies))
        test = any_of(tuple(s.test for s in strategies)) if flag.enabled else never
        return cls(flag=flag, test=test, strategies=strategies)

    def evaluate(self, ctx: Context) -> Evaluation:
        """Decide and say which strategy decided."""
        if not self.flag.enabled:
            return Evaluation(False, DISABLED)
        if not self.strategies:
            return Evaluation(True, NO_STRATEGIES, kind="static")
        for s in self.strategies:
            if s.test(ctx):
                return Evaluation(True, STRATEGY_MATCH, s.name, s.index, s.kind)
        return Evaluation(False, NO_MATCH)

    def variant(
        self, ctx: Context, evaluation: Evaluation | None = None
    ) -> tuple[Variant | None, bool]:
        """The variant for ``ctx`` when the flag is on (strategy variants first), else None;
        and whether a weighted split among several variants chose it."""
        ev = evaluation if evaluation is not None else self.evaluate(ctx)
        if not ev.enabled:
            return None, False
        # Unleash takes the first matching strategy that has variants, else the flag's own.
        for s in self.strategies:
            if s.variants and s.test(ctx):
                return select_variant(s.variants, s.group_id, ctx)
        return select_variant(self.flag.variants, self.flag.name, ctx)


class FlagSet:
    """An immutable, compiled set of flags keyed by name."""

    __slots__ = ("by_name", "flags", "tests")

    def __init__(self, flags: Iterable[Flag] = ()) -> None:
        compiled = {f.name: CompiledFlag.of(f) for f in flags}
        self.flags: tuple[Flag, ...] = tuple(c.flag for c in compiled.values())
        self.by_name: Mapping[str, CompiledFlag] = compiled
        # name -> predicate: the one dictionary lookup on the hot path of is_enabled.
        self.tests: Mapping[str, Predicate] = {n: c.test for n, c in compiled.items()}

    def __len__(self) -> int:
        return len(self.flags)

    def __contains__(self, name: object) -> bool:
        return name in self.by_name

    def is_enabled(self, name: str, context: Context | None = None, default: bool = False) -> bool:
        """Whether flag ``name`` is on for ``context``; ``default`` for an unknown flag."""
        test = self.tests.get(name)
        if test is None:
            return default
        return test(EMPTY_CONTEXT if context is None else context)

    def evaluate(self, name: str, context: Context | None = None) -> Evaluation:
        """The decision for flag ``name`` with its reason."""
        compiled = self.by_name.get(name)
        if compiled is None:
            return Evaluation(False, UNKNOWN_FLAG)
        return compiled.evaluate(EMPTY_CONTEXT if context is None else context)
