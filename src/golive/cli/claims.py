"""``golive claims check``: readiness claims in documents must cite a ready, recent scorecard."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import typer

from golive.cli._errors import reported_errors
from golive.errors import UsageError

claims_app = typer.Typer(
    help="Readiness claims in documents: checked against the registry, not trusted.",
    no_args_is_help=True,
)


@claims_app.command("check")
def check(
    paths: list[Path] = typer.Argument(..., help="Markdown, text or HTML files, or folders."),
    spec: list[Path] | None = typer.Option(
        None,
        "--spec",
        help="A spec whose signoff.label is a claim of that spec (repeat for several).",
    ),
    max_age: str | None = typer.Option(
        None,
        "--max-age",
        help="How old a cited scorecard may be, such as 24h or 7d (default: each spec's "
        "signoff.max_age, else 24h).",
    ),
    as_json: bool = typer.Option(
        False, "--json", help="Print every claim and its verdict as JSON."
    ),
    sarif: Path | None = typer.Option(
        None, "--sarif", help="Also write unbacked claims to FILE as SARIF 2.1.0.", metavar="FILE"
    ),
    registry: str | None = typer.Option(
        None,
        "--registry",
        envvar="GOLIVE_REGISTRY",
        help="Registry URL (default: sqlite:///<folder of the first --spec, else .>/.golive/"
        "registry.db).",
    ),
) -> None:
    """Find readiness claims and check each cites a ready, recent scorecard of its spec.

    Claims are each --spec's signoff.label and the default labels (Production Ready,
    READY_FOR_GO_LIVE, APPROVED FOR PRODUCTION, Battle-Tested, ✅ PASS, GO on a go/no-go
    line). A claim is backed when the same document cites golive:scorecard:<sha256> of a
    ready scorecard in the registry, of the label's spec, evaluated within max_age.
    A Markdown table row naming an item of a --spec that says READY_FOR_GO_LIVE is
    judged by the item's computed status instead (reason item-status when it differs).
    Exit 1 when any claim is unbacked.

    Example: golive claims check docs/ --spec golive.yaml --sarif claims.sarif
    """
    from golive.proof.claimscan import RegistryLookup, check_documents, labels_of
    from golive.proof.sarif import sarif_log
    from golive.registry import resolve_registry_url
    from golive.spec.durations import parse_duration
    from golive.spec.loader import load_spec

    with reported_errors():
        limit = None
        if max_age is not None:
            try:
                limit = parse_duration(max_age)
            except ValueError as exc:
                raise UsageError(f"--max-age: {exc}") from None
        specs = [load_spec(path) for path in spec or []]
        labels = labels_of(specs)
        folder = specs[0].path.parent if specs else Path(".")
        url = resolve_registry_url(registry, folder)
        with RegistryLookup(url, [loaded.spec for loaded in specs]) as lookup:
            findings = check_documents(paths, labels, lookup, datetime.now(UTC), limit)
        if sarif is not None:
            try:
                sarif.write_text(json.dumps(sarif_log(findings), indent=2, ensure_ascii=False))
            except OSError as exc:
                raise UsageError(f"--sarif: cannot write {sarif}: {exc.strerror or exc}") from None
    unbacked = [f for f in findings if not f.backed]
    if as_json:
        typer.echo(
            json.dumps(
                [
                    {
                        "path": f.path,
                        "line": f.claim.line,
                        "column": f.claim.column,
                        "claim": f.claim.text,
                        "label": f.claim.label.text,
                        "spec": f.claim.label.spec,
                        "backed": f.backed,
                        "reason": f.reason,
                        "message": f.message,
                        "citation": f.citation,
                    }
                    for f in findings
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        for f in unbacked:
            typer.echo(f"{f.path}:{f.claim.line}:{f.claim.column}: {f.reason}: {f.message}")
        typer.echo(
            f"{len(findings)} claims, {len(findings) - len(unbacked)} backed, "
            f"{len(unbacked)} unbacked"
        )
    raise typer.Exit(1 if unbacked else 0)


def register(app: typer.Typer) -> None:
    """Add ``golive claims check``."""
    app.add_typer(claims_app, name="claims")
