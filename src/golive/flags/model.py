"""What a flag is: name, on/off, strategies with constraints, optional variants.

Field names follow Unleash's client API (``contextName``, ``caseInsensitive``)
so that golive's export and an Unleash export describe a flag the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

SCHEMA = "golive.flags/v1"

#: Strategies golive evaluates, in Unleash's spelling.
SUPPORTED_STRATEGIES = (
    "default",
    "userWithId",
    "flexibleRollout",
    "gradualRolloutUserId",
    "gradualRolloutSessionId",
    "gradualRolloutRandom",
)

#: Constraint operators golive evaluates; any other operator never matches (as in Unleash).
OPERATORS = (
    "IN",
    "NOT_IN",
    "STR_CONTAINS",
    "STR_STARTS_WITH",
    "STR_ENDS_WITH",
    "NUM_EQ",
    "NUM_GT",
    "NUM_GTE",
    "NUM_LT",
    "NUM_LTE",
    "DATE_AFTER",
    "DATE_BEFORE",
    "SEMVER_EQ",
    "SEMVER_GT",
    "SEMVER_GTE",
    "SEMVER_LT",
    "SEMVER_LTE",
)


@dataclass(frozen=True)
class Constraint:
    """A condition on one context field; all constraints of a strategy must hold."""

    context_name: str
    operator: str
    values: tuple[str, ...] = ()
    value: str | None = None
    case_insensitive: bool = False
    inverted: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The constraint as export JSON."""
        out: dict[str, Any] = {"contextName": self.context_name, "operator": self.operator}
        if self.value is not None:
            out["value"] = self.value
        else:
            out["values"] = list(self.values)
        if self.case_insensitive:
            out["caseInsensitive"] = True
        if self.inverted:
            out["inverted"] = True
        return out


@dataclass(frozen=True)
class Override:
    """Pins a variant for the listed values of one context field."""

    context_name: str
    values: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """The override as export JSON."""
        return {"contextName": self.context_name, "values": list(self.values)}


@dataclass(frozen=True)
class Payload:
    """A variant's value: ``type`` is ``string``, ``json``, ``csv`` or ``number``."""

    type: str
    value: str

    def to_dict(self) -> dict[str, Any]:
        """The payload as export JSON."""
        return {"type": self.type, "value": self.value}


@dataclass(frozen=True)
class Variant:
    """One weighted variant of a flag, chosen by a sticky hash as Unleash does."""

    name: str
    weight: int
    stickiness: str | None = None
    payload: Payload | None = None
    overrides: tuple[Override, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The variant as export JSON."""
        out: dict[str, Any] = {"name": self.name, "weight": self.weight}
        if self.stickiness is not None:
            out["stickiness"] = self.stickiness
        if self.payload is not None:
            out["payload"] = self.payload.to_dict()
        if self.overrides:
            out["overrides"] = [o.to_dict() for o in self.overrides]
        return out


@dataclass(frozen=True)
class Strategy:
    """One way a flag can be on for a context; a flag is on if any strategy is."""

    name: str
    parameters: Mapping[str, str] = field(default_factory=dict)
    constraints: tuple[Constraint, ...] = ()
    variants: tuple[Variant, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The strategy as export JSON."""
        out: dict[str, Any] = {
            "name": self.name,
            "parameters": dict(self.parameters),
            "constraints": [c.to_dict() for c in self.constraints],
        }
        if self.variants:
            out["variants"] = [v.to_dict() for v in self.variants]
        return out


@dataclass(frozen=True)
class Flag:
    """A feature flag: off when ``enabled`` is false, else on if a strategy matches."""

    name: str
    enabled: bool
    description: str = ""
    strategies: tuple[Strategy, ...] = ()
    variants: tuple[Variant, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The flag as export JSON."""
        out: dict[str, Any] = {
            "name": self.name,
            "enabled": self.enabled,
            "description": self.description,
            "strategies": [s.to_dict() for s in self.strategies],
        }
        if self.variants:
            out["variants"] = [v.to_dict() for v in self.variants]
        return out


def export_document(flags: tuple[Flag, ...] | list[Flag]) -> dict[str, Any]:
    """golive's flags export: ``{"schema": "golive.flags/v1", "flags": [...]}``, sorted by name."""
    return {"schema": SCHEMA, "flags": [f.to_dict() for f in sorted(flags, key=lambda f: f.name)]}
