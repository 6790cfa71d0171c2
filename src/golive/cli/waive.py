"""``golive waive``: a signed, expiring waiver of one check."""

from __future__ import annotations

from pathlib import Path

import typer

from golive.actor import current_actor
from golive.cli._errors import reported_errors
from golive.cli._governance import (
    governed,
    json_option,
    key_option,
    print_json,
    registry_option,
    signing_key,
    spec_option,
)
from golive.governance.waivers import parse_expiry
from golive.governance.waivers import waive as sign_waiver


def waive(
    check_id: str = typer.Argument(..., help="The id of the check to waive."),
    reason: str = typer.Option(..., "--reason", help="Why the check may be waived."),
    expires: str = typer.Option(
        ...,
        "--expires",
        help="When the waiver ends: a date (00:00Z that day) or an RFC 3339 instant; "
        "at most governance.waivers.max_days away.",
    ),
    key: Path = key_option("the waiver"),
    release: str | None = typer.Option(
        None, "--release", help="Limit the waiver to this release at the gate."
    ),
    spec: Path = spec_option(),
    registry: str | None = registry_option(),
    as_json: bool = json_option("the golive.waiver/v1 record"),
) -> None:
    """Sign a waiver: until it expires, `golive check` reports CHECK_ID as waived, not failed.

    Refused for a check in governance.waivers.never and beyond governance.waivers.max_days.
    The scorecard names the waiver; once it expires it is ignored and the check says so.

    Example: golive waive perf.p95 --reason "rig down" --expires 2026-01-15 --key ~/.ssh/id_ed25519
    """
    with reported_errors():
        expires_at = parse_expiry(expires)
        signer = signing_key(key)
        with governed(spec, registry) as (loaded, opened):
            document = sign_waiver(
                opened,
                loaded,
                check_id,
                reason=reason,
                expires_at=expires_at,
                key=signer,
                release=release,
                actor=current_actor(),
            )
    if as_json:
        print_json(document)
        return
    scope = f" for release {release}" if release else ""
    typer.echo(
        f"waived {check_id}{scope} until {document['expires_at']}, signed by "
        f"{document['approver']} ({document['key_fingerprint']})"
    )


def register(app: typer.Typer) -> None:
    """Add ``golive waive``."""
    app.command("waive")(waive)
