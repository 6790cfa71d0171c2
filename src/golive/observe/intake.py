"""Alertmanager's webhook (payload version 4) taken in as evidence.

:func:`receive_alertmanager` validates one webhook body and records its alerts in the
registry (repeats of a state already stored are not recorded again). The API route
(``POST /api/v1/alerts``) calls it, then hands every alert of the payload (new or
not, so a delivery Alertmanager retries is judged again) to
:func:`golive.governance.alert_incidents.incidents_from_alerts`, which opens and
resolves incidents as ``governance.incidents`` says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from golive.errors import UsageError
from golive.registry import Registry, StoredAlert, record_alerts
from golive.registry.alerts import Alert
from golive.registry.instants import Clock, utc_now

# Alertmanager writes this for "no end yet" on a firing alert.
_ZERO_TIME_YEAR = 1


def _storable(value: str) -> str:
    # PostgreSQL text cannot hold NUL, and a lone surrogate is not UTF-8: refuse both on
    # every database, so a payload is accepted or refused the same way everywhere.
    if "\x00" in value:
        raise ValueError("contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("is not valid Unicode (a lone surrogate)") from None
    return value


Text = Annotated[str, AfterValidator(_storable)]


class _Model(BaseModel):
    # Alertmanager may add fields; what golive relies on is checked.
    model_config = ConfigDict(extra="ignore", frozen=True)


class WebhookAlert(_Model):
    """One alert of a webhook notification."""

    status: Literal["firing", "resolved"]
    labels: dict[Text, Text]
    annotations: dict[Text, Text] = Field(default_factory=dict)
    startsAt: AwareDatetime
    endsAt: AwareDatetime | None = None
    generatorURL: Text | None = None
    fingerprint: Text = Field(min_length=1)


class WebhookPayload(_Model):
    """Alertmanager's webhook body, version 4."""

    version: Literal["4"]
    status: Literal["firing", "resolved"]
    receiver: Text
    groupKey: str = ""
    truncatedAlerts: int = 0
    groupLabels: dict[str, str] = Field(default_factory=dict)
    commonLabels: dict[str, str] = Field(default_factory=dict)
    commonAnnotations: dict[str, str] = Field(default_factory=dict)
    externalURL: str = ""
    alerts: list[WebhookAlert]


@dataclass(frozen=True)
class Intake:
    """What one webhook call recorded."""

    alerts: list[StoredAlert]

    @property
    def recorded(self) -> int:
        """How many alert states were new."""
        return sum(1 for a in self.alerts if a.new)

    def as_json(self) -> dict[str, Any]:
        """The API's answer: counts and each alert's fingerprint, status and digest."""
        return {
            "received": len(self.alerts),
            "recorded": self.recorded,
            "alerts": [
                {"fingerprint": a.fingerprint, "status": a.status, "sha256": a.sha256, "new": a.new}
                for a in self.alerts
            ],
        }


def parse_webhook(body: Any) -> WebhookPayload:
    """Validate a webhook body; a bad one is a :class:`UsageError` naming the fields."""
    try:
        return WebhookPayload.model_validate(body)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error['loc']) or 'body'}: {error['msg']}"
            for error in exc.errors(include_url=False)[:5]
        )
        raise UsageError(
            f"not an Alertmanager webhook payload (version 4): {problems}; configure a "
            "webhook_config receiver in Alertmanager that posts to this URL"
        ) from None


def receive_alertmanager(
    registry: Registry, body: Any, *, actor: str, clock: Clock = utc_now
) -> Intake:
    """Validate and record one Alertmanager webhook body."""
    payload = parse_webhook(body)
    alerts = [
        Alert(
            fingerprint=item.fingerprint,
            status=item.status,
            labels=dict(item.labels),
            annotations=dict(item.annotations),
            starts_at=item.startsAt,
            ends_at=_end(item.endsAt),
            generator_url=item.generatorURL or None,
        )
        for item in payload.alerts
    ]
    return Intake(
        record_alerts(registry, alerts, receiver=payload.receiver, actor=actor, clock=clock)
    )


def _end(value: datetime | None) -> datetime | None:
    if value is None or value.year == _ZERO_TIME_YEAR:
        return None
    return value
