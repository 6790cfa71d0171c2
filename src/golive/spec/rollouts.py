"""The spec's ``rollouts`` section: a flag widened in waves, promoted and rolled back by checks.

```yaml
rollouts:
  batch-patches-v1:
    flag: batch-patches-v1
    waves:
      - {percentage: 10, hold: 24h}
      - {percentage: 100, hold: 48h}
    promote_when: [wave.error-rate, wave.p95]
    rollback_when: [wave.error-rate-critical]
```
"""

from __future__ import annotations

import difflib
import itertools
from typing import TYPE_CHECKING, Annotated, TypeAlias

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from golive.spec.durations import parse_duration

if TYPE_CHECKING:
    from golive.spec.models import Spec

Loc: TypeAlias = tuple[str | int, ...]

ROLLOUT_NAME = r"^[A-Za-z0-9][A-Za-z0-9_.:\-]*$"


def _hold(value: str) -> str:
    try:
        parse_duration(value)
    except ValueError as exc:
        raise PydanticCustomError("duration", str(exc)) from None
    return value.strip()


HoldText = Annotated[
    str,
    AfterValidator(_hold),
    Field(description="How long the wave runs before it may be promoted, such as 24h."),
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Wave(_Model):
    """One step of a rollout: the flag at ``percentage`` for at least ``hold``."""

    percentage: int = Field(ge=1, le=100, description="Share of the cohort that gets the flag.")
    hold: HoldText

    @property
    def hold_seconds(self) -> int:
        """The hold in seconds."""
        return parse_duration(self.hold)


class Rollout(_Model):
    """A flag widened wave by wave, promoted when checks pass, rolled back when one fails."""

    flag: str = Field(min_length=1, description="The flag in the registry this rollout moves.")
    waves: list[Wave] = Field(min_length=1)
    promote_when: list[str] = Field(
        min_length=1, description="Check ids that must all pass to start the next wave."
    )
    rollback_when: list[str] = Field(
        default_factory=list,
        description="Check ids; if any fails, the flag goes to 0% at once.",
    )

    @field_validator("waves")
    @classmethod
    def _increasing_to_100(cls, waves: list[Wave]) -> list[Wave]:
        for number, (before, after) in enumerate(itertools.pairwise(waves), start=2):
            if after.percentage <= before.percentage:
                raise PydanticCustomError(
                    "waves",
                    "wave {number} goes to {after}% after {before}%; "
                    "percentages must increase from wave to wave",
                    {"number": number, "after": after.percentage, "before": before.percentage},
                )
        if waves and waves[-1].percentage != 100:
            raise PydanticCustomError(
                "waves",
                "the last wave is at {last}%; a rollout ends with a wave at percentage: 100",
                {"last": waves[-1].percentage},
            )
        return waves


RolloutName = Annotated[str, Field(pattern=ROLLOUT_NAME)]


def problems(spec: Spec) -> list[tuple[Loc, str]]:
    """Rollout rules that span keys: each named check exists (with the node to point at)."""
    found: list[tuple[Loc, str]] = []
    ids = [c.id for c in spec.checks]
    for name, rollout in spec.rollouts.items():
        for key in ("promote_when", "rollback_when"):
            for index, check_id in enumerate(getattr(rollout, key)):
                if check_id not in ids:
                    found.append(
                        (("rollouts", name, key, index), _unknown_check(name, check_id, ids))
                    )
    return found


def _unknown_check(rollout: str, check_id: str, ids: list[str]) -> str:
    message = f"rollout '{rollout}' names unknown check '{check_id}'"
    if not ids:
        return message + "; the spec has no checks"
    close = difflib.get_close_matches(check_id, ids, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else f"; checks: {', '.join(ids)}"
    return message + hint
