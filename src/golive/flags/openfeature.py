"""``GoliveProvider``: golive flags behind the OpenFeature SDK (``openfeature-sdk``).

Booleans are the flag's on/off. Strings, numbers and objects come from the
payload of the flag's Unleash-style variant for the context (``string``/``csv``
payloads for strings, ``number`` for integers and floats, ``json`` for objects).
Reasons: STATIC (on for everyone), TARGETING_MATCH (a targeted strategy or a
single variant), SPLIT (a percentage rollout, or a weighted choice among
variants), DEFAULT (no strategy matched), DISABLED (the flag is off), ERROR.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from openfeature.evaluation_context import EvaluationContext
from openfeature.exception import ErrorCode
from openfeature.flag_evaluation import FlagResolutionDetails, FlagValueType, Reason
from openfeature.provider import AbstractProvider, Metadata

from golive.flags.client import FlagClient
from golive.flags.engine import DISABLED, UNKNOWN_FLAG
from golive.flags.strategies import SPLIT, STATIC

T = TypeVar("T")
_KIND_REASON = {SPLIT: Reason.SPLIT, STATIC: Reason.STATIC}


def to_context(evaluation_context: EvaluationContext | None) -> dict[str, Any]:
    """An OpenFeature evaluation context as a golive context (targeting key = ``userId``)."""
    if evaluation_context is None:
        return {}
    ctx: dict[str, Any] = dict(evaluation_context.attributes)
    if evaluation_context.targeting_key and "userId" not in ctx:
        ctx["userId"] = evaluation_context.targeting_key
    return ctx


def _string(payload_type: str, value: str) -> str:
    if payload_type not in ("string", "csv"):
        raise TypeError(payload_type)
    return value


def _integer(payload_type: str, value: str) -> int:
    if payload_type != "number":
        raise TypeError(payload_type)
    return int(value)


def _float(payload_type: str, value: str) -> float:
    if payload_type != "number":
        raise TypeError(payload_type)
    return float(value)


def _object(payload_type: str, value: str) -> Sequence[Any] | Mapping[str, Any]:
    if payload_type != "json":
        raise TypeError(payload_type)
    parsed = json.loads(value)
    if not isinstance(parsed, dict | list):
        raise TypeError("json payload is not an object or array")
    return parsed


class GoliveProvider(AbstractProvider):
    """An OpenFeature provider that evaluates golive flags locally through a ``FlagClient``."""

    def __init__(self, client: FlagClient) -> None:
        super().__init__()
        self.client = client

    def get_metadata(self) -> Metadata:
        """The provider's name for the SDK."""
        return Metadata(name="golive")

    def resolve_boolean_details(
        self,
        flag_key: str,
        default_value: bool,
        evaluation_context: EvaluationContext | None = None,
    ) -> FlagResolutionDetails[bool]:
        """On/off of the flag; an off flag is False whatever the default (a kill switch)."""
        ev = self.client.evaluate(flag_key, to_context(evaluation_context))
        if ev.reason == UNKNOWN_FLAG:
            return _not_found(flag_key, default_value)
        if ev.reason.startswith("error"):
            return _error(default_value, ErrorCode.GENERAL, ev.reason)
        if ev.reason == DISABLED:
            return FlagResolutionDetails(False, reason=Reason.DISABLED)
        if not ev.enabled:
            return FlagResolutionDetails(False, reason=Reason.DEFAULT)
        reason = _KIND_REASON.get(ev.kind or "", Reason.TARGETING_MATCH)
        return FlagResolutionDetails(True, reason=reason)

    def resolve_string_details(
        self,
        flag_key: str,
        default_value: str,
        evaluation_context: EvaluationContext | None = None,
    ) -> FlagResolutionDetails[str]:
        """The string payload of the flag's variant."""
        return self._variant_value(flag_key, default_value, evaluation_context, _string)

    def resolve_integer_details(
        self,
        flag_key: str,
        default_value: int,
        evaluation_context: EvaluationContext | None = None,
    ) -> FlagResolutionDetails[int]:
        """The integer payload (type ``number``) of the flag's variant."""
        return self._variant_value(flag_key, default_value, evaluation_context, _integer)

    def resolve_float_details(
        self,
        flag_key: str,
        default_value: float,
        evaluation_context: EvaluationContext | None = None,
    ) -> FlagResolutionDetails[float]:
        """The float payload (type ``number``) of the flag's variant."""
        return self._variant_value(flag_key, default_value, evaluation_context, _float)

    def resolve_object_details(
        self,
        flag_key: str,
        default_value: Sequence[FlagValueType] | Mapping[str, FlagValueType],
        evaluation_context: EvaluationContext | None = None,
    ) -> FlagResolutionDetails[Sequence[FlagValueType] | Mapping[str, FlagValueType]]:
        """The JSON payload (type ``json``) of the flag's variant."""
        return self._variant_value(flag_key, default_value, evaluation_context, _object)

    def _variant_value(
        self,
        flag_key: str,
        default_value: T,
        evaluation_context: EvaluationContext | None,
        convert: Callable[[str, str], T],
    ) -> FlagResolutionDetails[T]:
        try:
            ev, variant, split = self.client.variant(flag_key, to_context(evaluation_context))
        except Exception as exc:  # the SDK contract: report, never raise
            return _error(default_value, ErrorCode.GENERAL, f"{type(exc).__name__}: {exc}")
        if ev.reason == UNKNOWN_FLAG:
            return _not_found(flag_key, default_value)
        if ev.reason == DISABLED:
            return FlagResolutionDetails(default_value, reason=Reason.DISABLED)
        if not ev.enabled:
            return FlagResolutionDetails(default_value, reason=Reason.DEFAULT)
        if variant is None:
            return _error(
                default_value,
                ErrorCode.TYPE_MISMATCH,
                f"flag {flag_key!r} has no variants with weight; resolve it as a boolean",
            )
        if variant.payload is None:
            return _error(
                default_value,
                ErrorCode.TYPE_MISMATCH,
                f"variant {variant.name!r} of flag {flag_key!r} has no payload",
            )
        try:
            value = convert(variant.payload.type, variant.payload.value)
        except TypeError:
            return _error(
                default_value,
                ErrorCode.TYPE_MISMATCH,
                f"variant {variant.name!r} of flag {flag_key!r} has a "
                f"{variant.payload.type!r} payload",
            )
        except ValueError as exc:
            return _error(
                default_value,
                ErrorCode.PARSE_ERROR,
                f"variant {variant.name!r} of flag {flag_key!r}: cannot parse payload: {exc}",
            )
        reason = Reason.SPLIT if split else Reason.TARGETING_MATCH
        return FlagResolutionDetails(value, reason=reason, variant=variant.name)


def _not_found(flag_key: str, default_value: T) -> FlagResolutionDetails[T]:
    return _error(default_value, ErrorCode.FLAG_NOT_FOUND, f"flag {flag_key!r} is not defined")


def _error(default_value: T, code: ErrorCode, message: str) -> FlagResolutionDetails[T]:
    return FlagResolutionDetails(
        default_value, error_code=code, error_message=message, reason=Reason.ERROR
    )
