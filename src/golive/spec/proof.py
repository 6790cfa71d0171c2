"""The spec's ``signoff`` (the final sign-off and the labeling rule) and ``redact`` sections.

``redact`` says what never leaves in an evidence bundle: values of JSON fields named in
``fields``, text matching ``patterns``, and the built-in detectors in ``builtins`` (all of
them unless the spec lists fewer). ``signoff`` names the readiness label that documents
may only claim with a cited scorecard, and the shape of the sign-off document.
"""

from __future__ import annotations

import re
import string
from typing import Annotated, Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from golive.spec.durations import parse_duration

Builtin: TypeAlias = Literal["email", "bearer", "aws_key", "private_key", "ipv4", "ipv6"]
BUILTINS: tuple[Builtin, ...] = ("email", "bearer", "aws_key", "private_key", "ipv4", "ipv6")
STATEMENT_FIELDS = ("date", "label", "spec", "scorecard", "score")
DEFAULT_MAX_AGE = 24 * 3600


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _regex(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise PydanticCustomError(
            "regex", "expected a non-empty regular expression string, got {value}", {"value": value}
        )
    try:
        re.compile(value.encode("utf-8"))
    except re.error as exc:
        raise PydanticCustomError(
            "regex", "invalid regular expression {value}: {error}", {"value": value, "error": exc}
        ) from None
    return value


def _seconds(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    if not isinstance(value, str):
        raise PydanticCustomError(
            "duration", "expected a duration such as 1h, 24h or 7d, got {value}", {"value": value}
        )
    try:
        return parse_duration(value)
    except ValueError as exc:
        raise PydanticCustomError("duration", str(exc)) from None


def _statement(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise PydanticCustomError(
            "statement",
            "expected the statement text, such as {example}",
            {"example": "'As of {date}, {spec} is {label}.'"},
        )
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(value) if name is not None]
    except ValueError as exc:
        raise PydanticCustomError(
            "statement", "invalid braces in the statement: {error}", {"error": exc}
        ) from None
    for name in names:
        if name not in STATEMENT_FIELDS:
            raise PydanticCustomError(
                "statement",
                "unknown placeholder {name} in the statement; expected one of {known}",
                {"name": f"{{{name}}}", "known": ", ".join(f"{{{n}}}" for n in STATEMENT_FIELDS)},
            )
    return value


Regex = Annotated[str, PlainValidator(_regex), WithJsonSchema({"type": "string"})]
Seconds = Annotated[
    int,
    PlainValidator(_seconds),
    WithJsonSchema({"type": "string", "pattern": r"^(\d+[smhdw])+$", "examples": ["24h"]}),
]
Statement = Annotated[str, PlainValidator(_statement), WithJsonSchema({"type": "string"})]


class Redact(_Model):
    """What is replaced by ``[REDACTED:sha256:<12 hex>]`` in every bundled copy or excerpt."""

    fields: list[str] = Field(
        default_factory=list,
        description="JSON field names whose scalar values are redacted, at any depth.",
    )
    patterns: list[Regex] = Field(
        default_factory=list,
        description="Regular expressions (Python syntax); each match is redacted.",
    )
    builtins: list[Builtin] = Field(
        default_factory=lambda: list(BUILTINS),
        description="Built-in detectors to apply; all of them unless listed.",
    )


class SignoffTotal(_Model):
    """A headline number: the sum of the observed values of some checks."""

    label: str = Field(min_length=1, examples=["total v5 operations"])
    checks: list[str] = Field(
        min_length=1, description="Check ids whose observed values are summed."
    )


class SignoffGroup(_Model):
    """A section of the sign-off: the checks whose id starts with ``prefix``."""

    prefix: str = Field(min_length=1, examples=["PR-7"])
    title: str | None = None


class Signoff(_Model):
    """The final sign-off: the readiness label, its statement, totals and groups."""

    label: str = Field(min_length=1, examples=["PRODUCTION READY v5 — Battle-Tested"])
    statement: Statement = Field(
        "As of {date}, {spec} is {label} (scorecard {scorecard}).",
        description="The closing statement; "
        "placeholders {date} {label} {spec} {scorecard} {score}.",
    )
    totals: list[SignoffTotal] = Field(default_factory=list)
    groups: list[SignoffGroup] = Field(default_factory=list)
    max_age: Seconds = Field(
        DEFAULT_MAX_AGE,
        description="How old a cited scorecard may be for a claim of the label to pass.",
    )
