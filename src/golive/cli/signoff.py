"""``golive signoff [SPEC] --release VERSION -o FINAL.md`` and ``golive signoff verify FINAL.md``.

``golive signoff ARGS`` is short for ``golive signoff create ARGS``: any first argument
that is not a sub-command name is handed to ``create``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.text import Text
from typer.core import TyperGroup

from golive.actor import current_actor
from golive.cli._errors import reported_errors
from golive.cli._governance import json_option, registry_option, spec_option


class _CreateByDefault(TyperGroup):
    """A group whose first argument, when not a sub-command, starts ``create``."""

    # ``Any``: typer 0.29 vendors click, older releases use click itself.
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = ["create", *args]
        return super().parse_args(ctx, args)


signoff_app = typer.Typer(
    cls=_CreateByDefault,
    help="The final sign-off of a release: written only when the gate allows it, verifiable. "
    "`golive signoff [SPEC] ...` is short for `golive signoff create [SPEC] ...`.",
    no_args_is_help=True,
)


@signoff_app.command("create")
def create(
    spec: Path = typer.Argument(
        Path("golive.yaml"), help="The spec with a signoff section (default ./golive.yaml)."
    ),
    release: str = typer.Option(..., "--release", help="The release version to sign off."),
    output: Path = typer.Option(..., "-o", "--output", help="The document to write: FINAL.md."),
    html: bool = typer.Option(False, "--html", help="Also write the same content as FINAL.html."),
    bundle: Path | None = typer.Option(
        None,
        "--bundle",
        help="Where to write the evidence bundle (default: FINAL.bundle.tar.gz beside the "
        "document).",
    ),
    key: Path | None = typer.Option(
        None,
        "--key",
        help="Sign the bundle's statement (DSSE) with this OpenSSH ed25519 private key "
        "(passphrase from $GOLIVE_KEY_PASSPHRASE).",
    ),
    registry: str | None = registry_option(),
) -> None:
    """Ask the gate; when it allows the release, bundle the evidence and write the sign-off.

    The document holds the totals, each group ticked with its checks' observed vs expected
    and evidence, the go/no-go table, the release and its rollback plan, approvals with
    their verification status, waivers in force, rehearsals with checksums, incidents with
    their postmortem lessons, and the statement dated by the gate decision. It cites the
    scorecard and embeds the bundle's sha256. When the gate denies the release: exit 1,
    no file, and the list of what is missing.

    Example: golive signoff golive.yaml --release 1.4.0 -o FINAL.md --html
    """
    from golive.proof.final import create_signoff
    from golive.proof.sshkeys import load_private_key
    from golive.registry import open_registry, resolve_registry_url
    from golive.spec.loader import load_spec

    with reported_errors():
        signing_key = load_private_key(key) if key is not None else None
        loaded = load_spec(spec)
        with open_registry(resolve_registry_url(registry, loaded.base_dir)) as opened:
            written = create_signoff(
                opened,
                loaded,
                spec,
                release,
                output,
                actor=current_actor(),
                bundle=bundle,
                html=html,
                key=signing_key,
            )
    extra = f" and {written.html}" if written.html else ""
    typer.echo(
        f"Wrote {written.document}{extra}: release {release} signed off; bundle "
        f"{written.bundle.path} (sha256 {written.bundle.sha256 or '-'}, manifest "
        f"{written.bundle.manifest_sha256})"
    )


@signoff_app.command("verify")
def verify(
    document: Path = typer.Argument(..., help="A sign-off written by golive: FINAL.md or .html."),
    bundle: Path | None = typer.Option(
        None, "--bundle", help="The bundle, if it moved (default: the one the document names)."
    ),
    spec: Path = spec_option(),
    registry: str | None = registry_option(),
    as_json: bool = json_option("the verification"),
) -> None:
    """Check that a sign-off still matches its bundle and the registry; exit 1 naming changes.

    The bundle must verify and hash as the document says; the document must be exactly what
    the bundle renders; the scorecard must be in the registry and ready; the gate decision
    must be recorded and allowing, the release unchanged since, and no later decision deny it.

    Example: golive signoff verify FINAL.md --spec golive.yaml
    """
    from golive.proof.final import verify_signoff
    from golive.sources._registry import source_registry

    # A registry that does not exist is not created here: it is a problem, never a pass.
    with reported_errors(), source_registry(registry, spec.parent) as opened:
        result = verify_signoff(document, opened, bundle)
    if as_json:
        typer.echo(json.dumps(result.as_json(), indent=2, ensure_ascii=False))
    else:
        _report(result.as_json())
    raise typer.Exit(0 if result.ok else 1)


def _report(result: dict[str, Any]) -> None:
    console = Console(highlight=False)
    for problem in result["problems"]:
        console.print(Text("✗ ", style="red") + Text(problem), soft_wrap=True)
    head = (
        Text("VERIFIED", style="bold green")
        if result["ok"]
        else Text("NOT VERIFIED", style="bold red")
    )
    tail = f" · {len(result['problems'])} problems" if result["problems"] else ""
    console.print(
        head
        + Text(
            f" · {result['document']} · release {result['release']} · bundle "
            f"{result['bundle']}{tail}"
        ),
        soft_wrap=True,
    )


def register(app: typer.Typer) -> None:
    """Add ``golive signoff [create] | verify``."""
    app.add_typer(signoff_app, name="signoff")
