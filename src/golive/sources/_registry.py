"""Open the registry a registry-backed source names (alerts, scorecards), fail closed.

A SQLite registry file that does not exist is *no evidence* (the checks become
``no_data``), never an empty registry created on the spot: a wrong path must not
read as "zero alerts".
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from golive.errors import EvidenceError, RegistryError
from golive.registry import Registry, open_registry, resolve_registry_url


@contextmanager
def source_registry(url: str | None, base_dir: Path) -> Iterator[Registry | None]:
    """The open registry, or None when its SQLite file does not exist."""
    resolved = resolve_registry_url(url, base_dir)
    try:
        parsed = make_url(resolved)
    except ArgumentError:
        parsed = None
    if parsed is not None and parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not Path(database).exists():
            yield None
            return
    try:
        registry = open_registry(resolved)
    except RegistryError as exc:
        raise EvidenceError(str(exc)) from None
    try:
        yield registry
    finally:
        registry.close()
