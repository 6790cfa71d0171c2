"""Request and response bodies of the governance and flag routes (releases, approvals,
waivers, rehearsals, incidents, items, the gate, flags).

Documents the library records (manifests, approvals, decisions, ...) are answered as
the library made them, so they read the same as the CLI's ``--json`` output.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from golive.api.schemas import JSON_SAFE_MAX, Instant
from golive.api.specs import SpecText


def _unicode(value: str | None) -> str | None:
    """Refuse lone surrogates: such text has no UTF-8 form, so it could not be recorded."""
    if value is None:
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be Unicode text (it holds a lone surrogate)") from None
    return value


Unicode = AfterValidator(_unicode)
Text = Annotated[str, Field(min_length=1, max_length=10_000, pattern=r"^[^\x00]*$"), Unicode]
Name = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^\x00]+$"), Unicode]
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
PublicKeyLine = Annotated[
    str,
    Field(
        min_length=1,
        max_length=1000,
        pattern=r"^[^\x00]+$",
        description="The approver's OpenSSH ed25519 public key line (the .pub file); it must "
        "be one of the spec's governance.approvers.",
        examples=["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI... alice@example"],
    ),
    Unicode,
]
Signature = Annotated[
    str,
    Field(
        min_length=1,
        max_length=200,
        pattern=r"^[^\x00]+$",
        description="Base64 Ed25519 signature, made where the private key lives.",
    ),
    Unicode,
]
Document = dict[str, Any]


class _Body(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class SpecBody(_Body):
    """A request that needs only the spec."""

    spec: SpecText


class FileRefIn(_Body):
    """A file of the release, described by the client (the server receives no files)."""

    path: Name
    size: Annotated[int, Field(ge=0, le=JSON_SAFE_MAX)]
    sha256: Sha256


class WindowIn(_Body):
    """The rollout window."""

    start: Instant
    end: Instant


class ReleaseCreate(_Body):
    """A release to record: what ``golive release create`` takes, files as path/size/sha256."""

    version: Name
    spec_name: Name = Field(description="The name of the spec the release is gated by.")
    artifacts: Annotated[list[FileRefIn], Field(min_length=1, max_length=1000)]
    config_delta: FileRefIn | None = None
    window: WindowIn | None = None
    rollback_plan: FileRefIn | None = None
    items: Annotated[list[Name], Field(max_length=1000)] = []


class ReleaseOut(BaseModel):
    """One manifest revision of a release."""

    version: str
    revision: int
    sha256: str = Field(description="The manifest digest approvers sign.")
    spec_name: str
    recorded_at: str
    recorded_by: str
    manifest: Document


class ReleasePage(BaseModel):
    """One page of releases (current revisions), newest first, and how many there are."""

    total: int
    limit: int
    offset: int
    items: list[ReleaseOut]


class ApprovalOut(BaseModel):
    """A recorded approval and whether it signs the current manifest."""

    document: Document
    current: bool = Field(description="Signs the release's current manifest revision.")
    state: str = Field(description="Why it does or does not count for the current manifest.")


class ReleaseDetail(BaseModel):
    """A release with everything the gate judges it by."""

    release: ReleaseOut
    approvals: list[ApprovalOut]
    waivers: list[Document]
    rehearsals: list[Document]
    gate: Document | None = Field(description="The latest gate decision, null before the first.")


class ApprovalIn(_Body):
    """An approval signed by the client: Ed25519 over ``golive-approval-v1:<manifest_sha256>``."""

    spec: SpecText
    manifest_sha256: Sha256
    public_key: PublicKeyLine
    signature: Signature


class WaiverIn(_Body):
    """A waiver signed by the client over the digest of its terms (see docs/api.md)."""

    spec: SpecText
    check_id: Name
    release: Name | None = None
    reason: Text
    created_at: Instant
    expires_at: Instant
    public_key: PublicKeyLine
    signature: Signature


class RehearsalIn(_Body):
    """A rollback rehearsal done elsewhere (``golive rehearsal import``)."""

    rollback_strategy: Name
    before_checksum: Sha256
    after_checksum: Sha256
    duration_ms: Annotated[int, Field(ge=0, le=JSON_SAFE_MAX)]
    status: Literal["rollback_ok", "rollback_failed"]
    performed_at: Instant
    target: Name | None = None


class IncidentOpen(_Body):
    """An incident to open; the token is its commander."""

    title: Text
    severity: Literal["sev1", "sev2", "sev3", "sev4"]


class IncidentResolve(_Body):
    """How the incident was resolved."""

    summary: Text


class PostmortemIn(_Body):
    """The postmortem's content (``golive incident postmortem``)."""

    root_cause: Text
    mitigations: Annotated[list[Text], Field(max_length=100)] = []
    actions: Annotated[list[Text], Field(max_length=100)] = []


class ItemBlock(_Body):
    """Block an item."""

    spec: SpecText
    reason: Text


class PromotionIn(_Body):
    """A promotion signed by a reviewer's client over the digest of its terms (docs/api.md)."""

    spec: SpecText
    at: Instant = Field(description="When it was signed (within 5 minutes of the server's time).")
    public_key: PublicKeyLine
    signature: Signature


class FlagCreate(_Body):
    """A flag to create, as ``golive flags create`` takes it."""

    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")]
    description: Annotated[str, Field(max_length=1000, pattern=r"^[^\x00]*$"), Unicode] = ""
    strategy: Literal["flexibleRollout", "default", "userWithId"] = "flexibleRollout"
    rollout: Annotated[int, Field(ge=0, le=100)] = 0
    stickiness: Name | None = None
    group_id: Name | None = None
    user_ids: Annotated[str, Field(max_length=10_000, pattern=r"^[^\x00]*$"), Unicode] = ""
    constraints: Annotated[list[Text], Field(max_length=100)] = []
    enabled: bool = False


class FlagSet(_Body):
    """A change to a flag, as ``golive flags set`` takes it (give at least one)."""

    enabled: bool | None = None
    rollout: Annotated[int | None, Field(ge=0, le=100)] = None
    stickiness: Name | None = None
    group_id: Name | None = None
    constraints: Annotated[list[Text], Field(max_length=100)] = []
    clear_constraints: bool = False
    description: Annotated[str | None, Field(max_length=1000, pattern=r"^[^\x00]*$"), Unicode] = (
        None
    )


class FlagOut(BaseModel):
    """A stored flag: its definition, version and who changed it last."""

    flag: Document
    version: int
    created_at: str
    created_by: str
    updated_at: str
    updated_by: str
    changed: bool
