"""Specs sent to the API: parsed like ``golive.yaml``, and refused when the server would run
something on the sender's behalf.

Governance routes need a spec's ``governance`` and ``items`` sections, and the API is
stateless, so the request carries the spec's text (the ``spec`` field of the body).
The server never runs a command from a request, so a spec with a ``command`` source
is refused; a ``sql`` source would make the server connect to a database named by
the server's own environment, so it is refused unless ``golive serve
--allow-sql-sources`` (or ``GOLIVE_API_ALLOW_SQL=1``) allows it.

Parsing and validating a spec costs about half the server's CPU of a gate
decision, and a client sends the same spec text again and again, so the parsed
spec is kept by the SHA-256 of its text (the text is the key, so a kept spec is
always the one that text gives, on any replica; a spec is immutable). Whether
its sources are accepted is judged on every request.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from typing import Annotated

from fastapi import Request
from pydantic import Field

from golive.api import ALLOW_SQL_ENV
from golive.errors import UsageError
from golive.spec.loader import parse_spec
from golive.spec.models import Spec

# The name spec problems carry: `spec:3:5: ...` points into the request's `spec` field.
SPEC_FIELD = "spec"
# golive.yaml files are a few KiB; the body limit (1 MiB) bounds them anyway.
MAX_SPEC_CHARS = 256 * 1024
# How many parsed specs a process keeps: a server serves a handful of services' specs.
PARSED_KEPT = 64

SpecText = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_SPEC_CHARS,
        description="The golive.yaml text whose governance (and items) sections apply. "
        "Refused when it has a `command` source, or a `sql` source unless the server allows "
        "them (`golive serve --allow-sql-sources`).",
        examples=["version: 1\nname: shop\ngovernance: {...}\n"],
        pattern=r"^[^\x00]+$",
    ),
]


class RefusedSpec(UsageError):
    """A spec the server will not accept (it would run a command or, unless allowed, SQL)."""

    http_status = 422


def allow_sql_from_env() -> bool:
    """Whether ``$GOLIVE_API_ALLOW_SQL`` allows ``sql`` sources (``1``, ``true`` or ``yes``)."""
    return os.environ.get(ALLOW_SQL_ENV, "").strip().lower() in ("1", "true", "yes")


def accepted_spec(text: str, *, allow_sql: bool) -> Spec:
    """Parse the spec a request sent, refusing ``command`` sources and (unless allowed) ``sql``
    sources; every route that takes a spec goes through here."""
    spec = _PARSED.spec(text)
    for name, source in spec.sources.items():
        if source.type == "command":
            raise RefusedSpec(
                f"spec: source {name!r} is a command source; the API never runs commands, "
                "so evaluate such a spec with the CLI (`golive check`)"
            )
        if source.type == "sql" and not allow_sql:
            raise RefusedSpec(
                f"spec: source {name!r} is a sql source, which this server does not accept; "
                f"start it with `golive serve --allow-sql-sources` (or {ALLOW_SQL_ENV}=1) to "
                "allow them"
            )
    return spec


class ParsedSpecs:
    """The last ``size`` specs parsed, by the SHA-256 of their text (least recently used
    dropped first); a text that does not parse is never kept."""

    def __init__(self, size: int = PARSED_KEPT) -> None:
        self._size = size
        self._specs: OrderedDict[str, Spec] = OrderedDict()
        self._lock = threading.Lock()  # sync routes run in the thread pool

    def spec(self, text: str) -> Spec:
        """``parse_spec(text)``, parsed once per text while it is kept."""
        # surrogatepass: a JSON body may hold a lone surrogate; it still has one digest.
        key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        with self._lock:
            kept = self._specs.get(key)
            if kept is not None:
                self._specs.move_to_end(key)
                return kept
        spec = parse_spec(text, SPEC_FIELD)
        with self._lock:
            self._specs[key] = spec
            while len(self._specs) > self._size:
                self._specs.popitem(last=False)
        return spec

    def __len__(self) -> int:
        return len(self._specs)


_PARSED = ParsedSpecs()


def request_spec(request: Request, text: str) -> Spec:
    """:func:`accepted_spec` under the app's setting (``app.state.allow_sql``)."""
    allow_sql: bool = request.app.state.allow_sql
    return accepted_spec(text, allow_sql=allow_sql)
