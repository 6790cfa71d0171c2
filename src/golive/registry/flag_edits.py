"""Edits of a flag, pure functions from one :class:`golive.flags.Flag` to the next.

The CLI's ``flags create|set``, the API's ``/flags`` and the rollout controller build on
these, so a wave's percentage and a hand-set one change a flag the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from golive.errors import UsageError
from golive.flags.model import OPERATORS, Constraint, Flag, Strategy

ROLLOUT = "flexibleRollout"
STICKINESS = ("default", "userId", "sessionId", "random")
CREATE_STRATEGIES = (ROLLOUT, "default", "userWithId")


def new_flag(
    name: str,
    *,
    description: str = "",
    strategy: str = ROLLOUT,
    rollout: int = 0,
    stickiness: str | None = None,
    group_id: str | None = None,
    user_ids: str = "",
    constraints: tuple[Constraint, ...] = (),
    enabled: bool = False,
) -> Flag:
    """The flag ``golive flags create`` makes: off and at 0% unless told otherwise."""
    if strategy not in CREATE_STRATEGIES:
        raise UsageError(
            f"--strategy {strategy!r} is not one golive creates; use one of "
            f"{', '.join(CREATE_STRATEGIES)} (or `golive flags import` a full definition)"
        )
    check_stickiness(stickiness)
    flag = Flag(name=name, enabled=enabled, description=description)
    if strategy == ROLLOUT:
        flag = with_rollout(flag, rollout, stickiness=stickiness, group_id=group_id)
    else:
        params = {"userIds": user_ids} if strategy == "userWithId" else {}
        flag = replace(flag, strategies=(Strategy(name=strategy, parameters=params),))
    if constraints:
        flag = with_constraints(flag, constraints)
    return flag


def flag_edit(
    *,
    enabled: bool | None = None,
    rollout: int | None = None,
    stickiness: str | None = None,
    group_id: str | None = None,
    constraints: tuple[Constraint, ...] = (),
    clear_constraints: bool = False,
    description: str | None = None,
) -> Callable[[Flag], Flag]:
    """The change ``golive flags set`` makes, for :func:`golive.registry.flags.update_flag`."""
    check_stickiness(stickiness)
    if constraints and clear_constraints:
        raise UsageError("--constraint and --clear-constraints contradict; give one")
    rollout_options = (rollout, stickiness, group_id)
    edits = (enabled, description, *rollout_options)
    if all(v is None for v in edits) and not constraints and not clear_constraints:
        raise UsageError(
            "nothing to set; give --enabled/--disabled, --rollout PCT, --stickiness, "
            "--group-id, --constraint, --clear-constraints or --description"
        )

    def change(flag: Flag) -> Flag:
        if any(v is not None for v in rollout_options):
            current = rollout_percentage(flag) or 0
            pct = rollout if rollout is not None else current
            flag = with_rollout(flag, pct, stickiness=stickiness, group_id=group_id)
        if enabled is not None:
            flag = replace(flag, enabled=enabled)
        if description is not None:
            flag = replace(flag, description=description)
        if constraints or clear_constraints:
            flag = with_constraints(flag, constraints)
        return flag

    return change


def check_stickiness(stickiness: str | None) -> None:
    """Refuse an empty stickiness (any context field is a valid one in Unleash)."""
    if stickiness is not None and not stickiness.strip():
        raise UsageError(f"--stickiness must be {', '.join(STICKINESS)} or a context field name")


def rollout_percentage(flag: Flag) -> int | None:
    """The rollout percentage of the flag's flexibleRollout strategy, None without one."""
    for strategy in flag.strategies:
        if strategy.name == ROLLOUT:
            return int(strategy.parameters["rollout"])
    return None


def with_rollout(
    flag: Flag,
    percentage: int,
    *,
    stickiness: str | None = None,
    group_id: str | None = None,
    enable: bool = False,
) -> Flag:
    """``flag`` with its flexibleRollout at ``percentage`` (added when the flag has no
    strategies); a flag whose only strategies are of other kinds is refused."""
    if not 0 <= percentage <= 100:
        raise UsageError(f"a rollout percentage is a whole number 0-100, got {percentage}")
    strategies = list(flag.strategies)
    index = next((i for i, s in enumerate(strategies) if s.name == ROLLOUT), None)
    if index is None:
        if strategies:
            names = ", ".join(s.name for s in strategies)
            raise UsageError(
                f"flag {flag.name!r} has no {ROLLOUT} strategy (it has {names}); "
                f"a percentage applies to {ROLLOUT}: re-create the flag with --strategy {ROLLOUT} "
                "or import a definition that has one"
            )
        strategies.append(Strategy(name=ROLLOUT, parameters={"stickiness": "default"}))
        index = 0
    params = dict(strategies[index].parameters)
    params["rollout"] = str(percentage)
    if stickiness is not None:
        params["stickiness"] = stickiness
    if group_id is not None:
        params["groupId"] = group_id
    params.setdefault("groupId", flag.name)
    strategies[index] = replace(strategies[index], parameters=params)
    return replace(flag, strategies=tuple(strategies), enabled=True if enable else flag.enabled)


def with_constraints(flag: Flag, constraints: tuple[Constraint, ...]) -> Flag:
    """``flag`` with the constraints of its first strategy replaced (a flag with no
    strategy gets a ``default`` one to carry them)."""
    strategies = list(flag.strategies) or [Strategy(name="default")]
    strategies[0] = replace(strategies[0], constraints=constraints)
    return replace(flag, strategies=tuple(strategies))


_SINGLE_VALUE = ("NUM_", "DATE_", "SEMVER_")
_OPTIONS = ("inverted", "case_insensitive")


def parse_constraint(text: str) -> Constraint:
    """``"FIELD OPERATOR VALUE[,VALUE...] [inverted] [case_insensitive]"`` as a Constraint.

    >>> parse_constraint("environment IN production,staging").values
    ('production', 'staging')
    """
    parts = text.split()
    if len(parts) < 3 or parts[1] not in OPERATORS or any(p not in _OPTIONS for p in parts[3:]):
        raise UsageError(
            f"invalid constraint {text!r}; expected 'FIELD OPERATOR VALUE[,VALUE...]' "
            "optionally followed by inverted and/or case_insensitive, such as "
            f"'environment IN production,staging'; operators: {', '.join(OPERATORS)}"
        )
    field, operator, raw = parts[0], parts[1], parts[2]
    single = operator.startswith(_SINGLE_VALUE)
    return Constraint(
        context_name=field,
        operator=operator,
        values=() if single else tuple(v for v in raw.split(",") if v),
        value=raw if single else None,
        case_insensitive="case_insensitive" in parts[3:],
        inverted="inverted" in parts[3:],
    )
