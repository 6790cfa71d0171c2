"""What the governance commands share: the spec and registry options, keys, JSON output."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer

from golive.governance.keys import SigningKey, load_private_key
from golive.registry import Registry, open_registry, resolve_registry_url
from golive.spec.loader import load_spec
from golive.spec.models import Spec

SPEC_HELP = "The spec whose governance rules apply; its folder holds the default registry."
REGISTRY_HELP = (
    "Registry URL. Default: $GOLIVE_REGISTRY, else sqlite:///<spec folder>/.golive/registry.db."
)


def spec_option() -> Any:
    """``--spec PATH`` (default ./golive.yaml)."""
    return typer.Option(Path("golive.yaml"), "--spec", help=SPEC_HELP)


def registry_option() -> Any:
    """``--registry URL``."""
    return typer.Option(None, "--registry", help=REGISTRY_HELP)


def json_option(what: str) -> Any:
    """``--json``: print ``what`` as JSON instead of a table."""
    return typer.Option(False, "--json", help=f"Print {what} as JSON.")


def key_option(what: str) -> Any:
    """``--key PATH``: an OpenSSH ed25519 private key."""
    return typer.Option(
        ...,
        "--key",
        help=f"Your OpenSSH ed25519 private key, which signs {what} (e.g. ~/.ssh/id_ed25519). "
        "An encrypted key asks for its passphrase, or reads $GOLIVE_KEY_PASSPHRASE.",
    )


@contextmanager
def governed(spec: Path, registry: str | None) -> Iterator[tuple[Spec, Registry]]:
    """The loaded spec and its registry, open for the length of the block."""
    loaded = load_spec(spec)
    with open_registry(resolve_registry_url(registry, loaded.base_dir)) as opened:
        yield loaded.spec, opened


def signing_key(path: Path) -> SigningKey:
    """Load ``path``, prompting for its passphrase (hidden) only when the key is encrypted."""
    return load_private_key(
        path.expanduser(),
        # On stderr, so `--json` output on stdout stays a document.
        lambda: typer.prompt(f"Passphrase for {path}", hide_input=True, err=True),
    )


def print_json(document: Any) -> None:
    """Indented JSON on stdout."""
    typer.echo(json.dumps(document, indent=2, ensure_ascii=False))
