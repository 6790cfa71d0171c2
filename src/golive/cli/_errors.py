"""The one place where golive errors become a message on stderr and an exit code."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer

from golive.errors import GoliveError


@contextmanager
def reported_errors() -> Iterator[None]:
    """Turn a ``GoliveError`` into ``Error: ...`` on stderr and its exit code."""
    try:
        yield
    except GoliveError as exc:
        for line in str(exc).splitlines() or [type(exc).__name__]:
            print(f"Error: {line}", file=sys.stderr)
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        raise typer.Exit(130) from None
