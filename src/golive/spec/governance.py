"""Models of the spec's ``governance`` section and ``items`` list (issue 4)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from golive.spec.models import CHECK_ID, Duration, DurationField

# Names of approvers and owners: labels that show in approvals and the register.
NAME = r"^[A-Za-z0-9][A-Za-z0-9_.@\-]*$"
# The shape of an OpenSSH ed25519 public key line; golive.governance.keys parses it fully.
SSH_ED25519 = r"^ssh-ed25519 [A-Za-z0-9+/]+={0,2}( .*)?$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ApprovalPolicy(_Model):
    """How many valid approvals a release needs, and whether its creator may give one."""

    min: int = Field(1, ge=1, description="Valid approvals a release needs.")
    distinct_from_creator: bool = Field(
        True, description="An approval by the release's creator does not count."
    )


class WaiverPolicy(_Model):
    """How long a waiver may last, and which checks can never be waived."""

    max_days: int = Field(30, ge=1, description="Longest waiver, in days from its signing.")
    never: list[str] = Field(
        default_factory=list, description="Check ids that can never be waived."
    )


class RehearsalPolicy(_Model):
    """How recent the last successful rollback rehearsal must be."""

    max_age: DurationField = Field(
        Duration(2592000, "30d"), description="Oldest rollback_ok rehearsal."
    )


class PostmortemPolicy(_Model):
    """When a resolved incident's postmortem is due."""

    due: DurationField = Field(Duration(259200, "72h"), description="Time from resolution.")


class ScorecardPolicy(_Model):
    """How fresh the scorecard the gate relies on must be."""

    max_age: DurationField = Field(Duration(86400, "24h"), description="Oldest usable scorecard.")


class IncidentPolicy(_Model):
    """Which alerts received from Alertmanager open an incident, and at what severity."""

    # The alert severities of spec/observe.py (not imported: that module imports this one's
    # importer, spec/models.py, and either may be imported first).
    open_on: list[Literal["critical", "warning", "info"]] = Field(
        default_factory=list,
        description="Alert severities (the alert's severity label) that open an incident.",
    )
    severity: Literal["sev1", "sev2", "sev3", "sev4"] = Field(
        "sev2", description="Severity of the incidents opened from alerts."
    )


class Governance(_Model):
    """Who approves, and the rules the gate applies."""

    approvers: dict[
        Annotated[str, Field(pattern=NAME)], Annotated[str, Field(pattern=SSH_ED25519)]
    ] = Field(
        default_factory=dict,
        description="Approver name -> OpenSSH ed25519 public key line ('ssh-ed25519 AAAA...').",
    )
    approvals: ApprovalPolicy = Field(default_factory=ApprovalPolicy)
    waivers: WaiverPolicy = Field(default_factory=WaiverPolicy)
    rehearsal: RehearsalPolicy = Field(default_factory=RehearsalPolicy)
    postmortem: PostmortemPolicy = Field(default_factory=PostmortemPolicy)
    scorecard: ScorecardPolicy = Field(default_factory=ScorecardPolicy)
    incidents: IncidentPolicy = Field(default_factory=IncidentPolicy)


class Item(_Model):
    """One use case of the register: the checks that make it ready, and who owns it."""

    id: str = Field(pattern=CHECK_ID, description="Item id, such as UC-003.")
    title: str = Field(min_length=1)
    owner: str = Field(pattern=NAME, description="The owner; a different reviewer promotes.")
    requires: list[str] = Field(
        min_length=1, description="Check ids that must all pass for the item to be ready."
    )
