"""Pydantic models of golive.yaml (version 1).

Values that the spec writes as text (durations, expectations, expressions) are
parsed here into typed objects, so the engine never parses strings. Cross-field
rules (a check's source exists, ``every`` divides ``window``, ids are unique) live
in :mod:`golive.spec.semantic`, which reports each with the position of its node.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypeAlias, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from golive.spec.durations import format_duration, parse_duration
from golive.spec.expr import Expr, ExpressionError, parse_expression
from golive.spec.proof import Redact, Signoff
from golive.spec.rollouts import Rollout, RolloutName
from golive.spec.sources import (
    AlertsSource,
    BenchmarkSource,
    CommandSource,
    EnvSource,
    FileSource,
    GitSource,
    HttpSource,
    JunitSource,
    PrometheusSource,
    ScorecardsSource,
    SecuritySource,
    TracesSource,
)
from golive.spec.sql_sources import CsvSource, ParquetSource, SqlSource

FIELD_MEASURES = ("sum", "avg", "min", "max", "p50", "p90", "p95", "p99", "distinct")
Measure: TypeAlias = Literal[
    "count",
    "ratio",
    "sum",
    "avg",
    "min",
    "max",
    "p50",
    "p90",
    "p95",
    "p99",
    "distinct",
    "span",
    "age",
]
MEASURES: tuple[str, ...] = get_args(Measure)
Op: TypeAlias = Literal["==", "!=", "<", "<=", ">", ">="]


@dataclass(frozen=True)
class Duration:
    """A positive duration in whole seconds, keeping the text the spec wrote."""

    seconds: int
    text: str


@dataclass(frozen=True)
class Expectation:
    """``<op> <value>``; a duration value is held in seconds."""

    op: Op
    value: float
    text: str

    def holds(self, observed: float) -> bool:
        """Whether ``observed <op> value``."""
        v = self.value
        return {
            "==": observed == v,
            "!=": observed != v,
            "<": observed < v,
            "<=": observed <= v,
            ">": observed > v,
            ">=": observed >= v,
        }[self.op]


@dataclass(frozen=True)
class Expression:
    """A parsed ``where``/``of`` expression and its source text."""

    text: str
    tree: Expr


def _duration(value: Any) -> Duration:
    if isinstance(value, Duration):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError(
            "duration",
            "expected a duration such as 30s, 15m, 24h or 7d, got {value}",
            {"value": repr(value)},
        )
    try:
        return Duration(parse_duration(value), value.strip())
    except ValueError as exc:
        raise PydanticCustomError("duration", str(exc)) from None


_EXPECT = re.compile(r"\s*(==|!=|<=|>=|<|>)\s*(\S+)\s*")


def _expectation(value: Any) -> Expectation:
    if isinstance(value, Expectation):
        return value
    text = (
        str(value) if isinstance(value, str | int | float) and not isinstance(value, bool) else None
    )
    match = _EXPECT.fullmatch(text) if text is not None else None
    if text is None or match is None:
        raise PydanticCustomError(
            "expectation",
            "expected '<op> <value>' with op one of == != < <= > >= and a number or a duration, "
            'such as ">= 30" or "<= 0.10" or ">= 7d"; got {value}',
            {"value": repr(value)},
        )
    op, raw = match.group(1), match.group(2)
    try:
        number = float(raw)
    except ValueError:
        try:
            number = float(parse_duration(raw))
        except ValueError:
            raise PydanticCustomError(
                "expectation",
                "'{raw}' is neither a number nor a duration (such as 30s, 15m, 24h, 7d)",
                {"raw": raw},
            ) from None
    return Expectation(op, number, f"{op} {raw}")  # type: ignore[arg-type]


def _expression(value: Any) -> Expression:
    if isinstance(value, Expression):
        return value
    if isinstance(value, bool):
        value = "true" if value else "false"
    if not isinstance(value, str):
        raise PydanticCustomError(
            "expression", "expected an expression string, got {value}", {"value": repr(value)}
        )
    try:
        return Expression(value, parse_expression(value))
    except ExpressionError as exc:
        # ``offset`` lets the loader point at the exact column inside the string.
        raise PydanticCustomError(
            "expression", "{message}", {"message": exc.message, "offset": exc.offset}
        ) from None


def _window(value: Any) -> Duration | Literal["all"]:
    if value == "all":
        return "all"
    if not isinstance(value, str):
        raise PydanticCustomError(
            "duration",
            "expected a duration such as 24h, 7d or 30d, or all; got {value}",
            {"value": repr(value)},
        )
    return _duration(value)


DurationField = Annotated[
    Duration,
    PlainValidator(_duration),
    PlainSerializer(lambda d: d.text, return_type=str),
    WithJsonSchema(
        {"type": "string", "pattern": r"^(\d+[smhdw])+$", "examples": ["30s", "24h", "7d"]}
    ),
]
WindowField = Annotated[
    Duration | Literal["all"],
    PlainValidator(_window),
    PlainSerializer(lambda d: d if d == "all" else d.text, return_type=str),
    WithJsonSchema(
        {"type": "string", "pattern": r"^(all|(\d+[smhdw])+)$", "examples": ["7d", "30d", "all"]}
    ),
]
ExpectationField = Annotated[
    Expectation,
    PlainValidator(_expectation),
    PlainSerializer(lambda e: e.text, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\s*(==|!=|<=|>=|<|>)\s*\S+\s*$",
            "examples": [">= 30", "<= 0.10", ">= 7d"],
        }
    ),
]
ExpressionField = Annotated[
    Expression,
    PlainValidator(_expression),
    PlainSerializer(lambda e: e.text, return_type=str),
    WithJsonSchema({"type": "string", "examples": ['action == "process_v5" and lane == "strict"']}),
]


# A record field: a name or a dotted path into nested objects. Engines quote each
# part in a JSON path, so a part may hold any character but '.', '"' and '\\'.
FIELD_PATH = r'^[^."\\]+(\.[^."\\]+)*$'
FieldPath = Annotated[str, Field(pattern=FIELD_PATH, examples=["duration_ms", "ctx.lane"])]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class JsonlSource(_Model):
    """JSON Lines files, one record per line."""

    type: Literal["jsonl"]
    path: str | list[str] = Field(
        description="File path or glob, relative to the spec; or a list of them."
    )
    time: FieldPath | None = Field(
        None,
        description="Field holding the record time: RFC 3339 string or epoch s/ms number.",
    )
    max_invalid: int = Field(
        0, ge=0, description="Malformed lines tolerated before checks are 'error'."
    )

    @property
    def paths(self) -> list[str]:
        return [self.path] if isinstance(self.path, str) else list(self.path)


SourceSpec: TypeAlias = Annotated[
    JsonlSource
    | JunitSource
    | BenchmarkSource
    | SecuritySource
    | PrometheusSource
    | TracesSource
    | GitSource
    | FileSource
    | EnvSource
    | HttpSource
    | CommandSource
    | SqlSource
    | ParquetSource
    | CsvSource
    | AlertsSource
    | ScorecardsSource,
    Field(discriminator="type"),
]


class Defaults(_Model):
    window: WindowField = "all"


CHECK_ID = r"^[A-Za-z0-9][A-Za-z0-9_.:\-]*$"


class Check(_Model):
    """One readiness criterion: (source, filter, measure, expectation, window)."""

    id: str = Field(pattern=CHECK_ID)
    title: str | None = None
    description: str | None = None
    source: str
    where: ExpressionField | None = None
    measure: Measure
    of: ExpressionField | None = None
    field: FieldPath | None = None
    expect: ExpectationField
    warn: ExpectationField | None = None
    window: WindowField | None = None
    every: DurationField | None = None
    required: bool = True
    weight: float = Field(1.0, ge=0)


class Spec(_Model):
    """A golive.yaml document."""

    version: Literal[1]
    name: str = Field(min_length=1)
    description: str | None = None
    sources: dict[str, SourceSpec] = Field(default_factory=dict)
    defaults: Defaults = Field(default_factory=Defaults)
    checks: list[Check] = Field(default_factory=list)
    slos: dict[str, _observe.SLO] = Field(default_factory=dict)
    alerts: list[_observe.AlertRule] = Field(default_factory=list)
    governance: _governance.Governance | None = None
    items: list[_governance.Item] = Field(default_factory=list)
    rollouts: dict[RolloutName, Rollout] = Field(default_factory=dict)
    signoff: Signoff | None = None
    redact: Redact | None = None

    def window_of(self, check: Check) -> Duration | Literal["all"]:
        """The check's window, else the spec's default."""
        return check.window if check.window is not None else self.defaults.window


# Last: the capability sections (spec/governance.py, spec/observe.py, ...) build on the
# field types above, so they are imported after them; pydantic resolves Spec's
# annotations on first use, whichever module was imported first.
from golive.spec import governance as _governance  # noqa: E402
from golive.spec import observe as _observe  # noqa: E402

__all__ = [
    "FIELD_MEASURES",
    "MEASURES",
    "Check",
    "Defaults",
    "Duration",
    "Expectation",
    "Expression",
    "JsonlSource",
    "Spec",
    "format_duration",
]
