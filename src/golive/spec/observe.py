"""Pydantic models of the spec's ``slos`` and ``alerts`` sections (issue 8).

``slos.<name>`` describes one service level objective as two PromQL templates
(bad events and all events) that contain ``{{window}}`` where the range goes;
``alerts`` lists plain Prometheus alerting rules. ``golive alerts generate``
turns both into Prometheus rule groups (:mod:`golive.observe.rules`).
"""

from __future__ import annotations

import re
from typing import Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from golive.spec.models import Duration, DurationField

WINDOW_PLACEHOLDER = "{{window}}"
Severity: TypeAlias = Literal["critical", "warning", "info"]

# Prometheus label names; ``__`` prefixes are reserved for Prometheus itself.
LABEL_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
# An alert name becomes the ``alertname`` label value and must be a valid metric name.
ALERT_NAME = r"^[a-zA-Z_:][a-zA-Z0-9_:]*$"
URL = r"^https?://\S+$"
# Labels golive sets itself on every generated alert.
RESERVED_LABELS = ("severity", "slo", "spec")


def _check_labels(labels: dict[str, str]) -> dict[str, str]:
    for name in labels:
        if not LABEL_NAME.fullmatch(name) or name.startswith("__"):
            raise ValueError(
                f"label name {name!r} is not a Prometheus label name; "
                "use letters, digits and underscores, not starting with a digit or '__'"
            )
        if name in RESERVED_LABELS:
            raise ValueError(
                f"label {name!r} is set by golive on every generated alert; "
                f"remove it (reserved: {', '.join(RESERVED_LABELS)})"
            )
    return labels


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SLO(_Model):
    """A service level objective: the share of good events over a rolling period."""

    objective: float = Field(
        gt=0, lt=100, description="Target share of good events, in percent (99.9 = 99.9%)."
    )
    period: DurationField = Field(
        default=Duration(30 * 86400, "30d"),
        json_schema_extra={"default": "30d"},  # the schema shows the text, not the dataclass
        description="Rolling period the objective holds over; the error budget's period.",
    )
    errors: str = Field(
        description="PromQL for the rate of bad events, with {{window}} where the range goes."
    )
    total: str = Field(
        description="PromQL for the rate of all events, with {{window}} where the range goes."
    )
    runbook: str = Field(pattern=URL, description="URL of the runbook the alerts link to.")
    dashboard: str | None = Field(
        None, pattern=URL, description="URL of the dashboard the alerts link to."
    )
    labels: dict[str, str] = Field(
        default_factory=dict, description="Extra labels on this SLO's alerts."
    )

    @field_validator("errors", "total")
    @classmethod
    def _has_window(cls, value: str, info: ValidationInfo) -> str:
        key = info.field_name
        if WINDOW_PLACEHOLDER not in value:
            raise ValueError(
                f"{key}: the PromQL template must contain {WINDOW_PLACEHOLDER} where the range "
                "goes, such as 'sum(rate(http_requests_total{job=\"api\"}[{{window}}]))'"
            )
        return value

    @field_validator("labels")
    @classmethod
    def _labels(cls, value: dict[str, str]) -> dict[str, str]:
        return _check_labels(value)

    @property
    def budget(self) -> float:
        """The error budget: the share of bad events allowed, ``1 - objective/100``."""
        return (100 - self.objective) / 100


class AlertRule(_Model):
    """A plain Prometheus alerting rule written in the spec."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    name: str = Field(pattern=ALERT_NAME, description="The alert name (alertname label).")
    expr: str = Field(min_length=1, description="PromQL; the alert fires while it has results.")
    for_: DurationField | None = Field(
        None, alias="for", description="How long expr must hold before the alert fires."
    )
    severity: Severity
    summary: str | None = None
    runbook: str | None = Field(None, pattern=URL)
    labels: dict[str, str] = Field(default_factory=dict)

    @field_validator("labels")
    @classmethod
    def _labels(cls, value: dict[str, str]) -> dict[str, str]:
        return _check_labels(value)


__all__ = ["SLO", "WINDOW_PLACEHOLDER", "AlertRule", "Severity"]
