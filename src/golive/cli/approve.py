"""``golive approve``: sign a release's current manifest with an approver's key."""

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
from golive.governance.approvals import approve as sign_release
from golive.governance.approvals import current_tally


def approve(
    version: str = typer.Argument(..., help="The release to approve."),
    key: Path = key_option("the manifest digest"),
    spec: Path = spec_option(),
    registry: str | None = registry_option(),
    as_json: bool = json_option("the golive.approval/v1 record"),
) -> None:
    """Sign the current manifest of release VERSION as one of governance.approvers.

    The key decides who approves: it must be one of governance.approvers. The creator's
    own approval, a second approval by the same person and any approval of an earlier
    manifest revision do not count.

    Example: golive approve 1.4.0 --key ~/.ssh/id_ed25519
    """
    with reported_errors():
        signer = signing_key(key)
        with governed(spec, registry) as (loaded, opened):
            document = sign_release(opened, loaded, version, signer, actor=current_actor())
            tally = current_tally(opened, loaded, version)
    if as_json:
        print_json(document)
        return
    typer.echo(
        f"approved release {version} revision {document['revision']} as "
        f"{document['approver']} ({document['key_fingerprint']})"
    )
    typer.echo(
        f"manifest {document['manifest_sha256']}: {tally.valid} of {tally.required} "
        "required approvals valid"
    )


def register(app: typer.Typer) -> None:
    """Add ``golive approve``."""
    app.command("approve")(approve)
