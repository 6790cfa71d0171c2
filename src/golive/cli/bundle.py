"""``golive bundle create`` and ``golive bundle verify``: evidence bundles with provenance."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console

from golive.cli._errors import reported_errors
from golive.errors import UsageError

bundle_app = typer.Typer(
    help="Evidence bundles: the scorecard, its spec and evidence, a manifest and provenance.",
    no_args_is_help=True,
)
MIB = 1024 * 1024


@bundle_app.command("create")
def create(
    output: Path = typer.Option(
        ..., "-o", "--output", help="OUT.tar.gz (or .tgz) for a tarball, else a new folder."
    ),
    scorecard: str | None = typer.Option(
        None, "--scorecard", help="The scorecard to bundle: id, sha256 or a sha256 prefix."
    ),
    latest: bool = typer.Option(
        False, "--latest", help="Bundle the spec's latest scorecard (the default)."
    ),
    spec: Path | None = typer.Option(
        None,
        "--spec",
        help="The spec evaluated (default: the scorecard's spec.path, or ./golive.yaml "
        "with --latest). Evidence paths are relative to its folder.",
    ),
    release: str | None = typer.Option(
        None,
        "--release",
        help="Also bundle this release's manifest, approvals, waivers in force, rehearsals, "
        "its latest gate decision, and the incidents and postmortems of its window.",
    ),
    at: str | None = typer.Option(
        None,
        "--at",
        help="collected_at, RFC 3339 (default: the scorecard's evaluated_at, so the same "
        "inputs give a byte-identical bundle).",
    ),
    key: Path | None = typer.Option(
        None,
        "--key",
        help="Sign the statement (DSSE) with this OpenSSH ed25519 private key "
        "(passphrase from $GOLIVE_KEY_PASSPHRASE).",
    ),
    max_copy_mib: float = typer.Option(
        16, "--max-copy-mib", help="Files larger than this are bundled as a head/tail excerpt."
    ),
    excerpt_kib: int = typer.Option(256, "--excerpt-kib", help="Size of the head and the tail."),
    summary: str | None = typer.Option(
        None, "--summary", help="'md': print a ticket-ready Markdown summary on stdout."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the manifest as JSON on stdout."),
    registry: str | None = typer.Option(
        None,
        "--registry",
        envvar="GOLIVE_REGISTRY",
        help="Registry URL (default: sqlite:///<spec folder>/.golive/registry.db).",
    ),
) -> None:
    """Bundle a scorecard with its spec and every evidence file it read, redacted and hashed.

    The bundle holds scorecard.json, spec/, evidence/, manifest.json (sha256, size,
    collected_at and origin of each member) and provenance/statement.json, an in-toto
    Statement; with --key also provenance/statement.dsse.json; with --release also
    release/ (the release's record as of its latest gate decision). See docs/proof.md.

    Example: golive bundle create --latest --spec golive.yaml -o evidence.tar.gz --summary md
    """
    from golive.proof.bundle import Limits, create_bundle
    from golive.proof.collectors import DEFAULT_COLLECTORS
    from golive.proof.inputs import select
    from golive.proof.release import latest_decision, release_collector
    from golive.proof.sshkeys import load_private_key
    from golive.proof.summary import markdown_summary
    from golive.registry import open_registry, resolve_registry_url

    with reported_errors():
        if scorecard is not None and latest:
            raise UsageError("give --scorecard ID or --latest, not both")
        if summary not in (None, "md"):
            raise UsageError(f"--summary {summary!r}: the only summary format is 'md'")
        limits = Limits(max_copy=int(max_copy_mib * MIB), excerpt=excerpt_kib * 1024)
        signing_key = load_private_key(key) if key is not None else None
        spec_dir = (spec or Path("golive.yaml")).parent
        collectors = DEFAULT_COLLECTORS
        with open_registry(resolve_registry_url(registry, spec_dir)) as store:
            selected = select(store, scorecard=scorecard, spec=spec, at=at)
            if release is not None:
                decision = latest_decision(store, release)
                collector = release_collector(store, selected.spec, release, decision)
                collectors = (*DEFAULT_COLLECTORS, collector)
        result = create_bundle(
            selected.inputs,
            output,
            redactor=selected.redactor,
            collectors=collectors,
            limits=limits,
            key=signing_key,
        )
        if as_json:
            typer.echo(json.dumps(result.manifest, indent=2, ensure_ascii=False))
        elif summary == "md":
            typer.echo(markdown_summary(result, selected.inputs.scorecard), nl=False)
        else:
            facts = result.manifest["scorecard"]
            signed = " signed," if result.envelope else ""
            typer.echo(
                f"Wrote {output}:{signed} {len(result.manifest['members'])} members, "
                f"scorecard {facts['sha256']}, manifest sha256 {result.manifest_sha256}"
            )


@bundle_app.command("verify")
def verify(
    bundle: Path = typer.Argument(..., help="A bundle: OUT.tar.gz or a bundle folder."),
    key: list[Path] | None = typer.Option(
        None,
        "--key",
        help="An OpenSSH ed25519 public key (KEY.pub); the bundle must be signed by one of "
        "them. Repeat for several.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the verification as JSON."),
) -> None:
    """Recompute every hash, check the signature and that the evidence is what was evaluated.

    Names every changed, missing or extra member; exit 0 when the bundle verifies, 1 when not.

    Example: golive bundle verify evidence.tar.gz --key ~/.ssh/release.pub
    """
    from golive.proof.sshkeys import load_public_key
    from golive.proof.verify import verify_bundle

    with reported_errors():
        keys = [load_public_key(k) for k in key or []]
        result = verify_bundle(bundle, keys)
    if as_json:
        typer.echo(json.dumps(result.as_json(), indent=2))
    else:
        console = Console(highlight=False)
        for problem in result.problems:
            console.print(f"[red]✗[/red] {problem}", soft_wrap=True)
        signature = result.signature + (f" by {result.signed_by}" if result.signed_by else "")
        head = "[bold green]VERIFIED[/]" if result.ok else "[bold red]NOT VERIFIED[/]"
        console.print(
            f"{head} · {bundle} · {result.members} members · scorecard "
            f"{result.scorecard_sha256 or '-'} · signature {signature}"
            + (f" · {len(result.problems)} problems" if result.problems else ""),
            soft_wrap=True,
        )
    raise typer.Exit(0 if result.ok else 1)


def register(app: typer.Typer) -> None:
    """Add ``golive bundle create|verify``."""
    app.add_typer(bundle_app, name="bundle")
