"""Specs sent to the API: parsed like ``golive.yaml``, and refused when the server would run
something on the sender's behalf.

Governance routes need a spec's ``governance`` and ``items`` sections, and the API is
stateless, so the request carries the spec's text (the ``spec`` field of the body).
The server never runs a command from a request, so a spec with a ``command`` source
is refused; a ``sql`` source would make the server connect to a database named by
the server's own environment, so it is refused unless ``golive serve
--allow-sql-sources`` (or ``GOLIVE_API_ALLOW_SQL=1``) allows it.
"""

from __future__ import annotations

import os
from typing import Annotated

from fastapi import Request
from pydantic import Field

from golive.errors import UsageError
from golive.spec.loader import parse_spec
from golive.spec.models import Spec

ALLOW_SQL_ENV = "GOLIVE_API_ALLOW_SQL"
# The name spec problems carry: `spec:3:5: ...` points into the request's `spec` field.
SPEC_FIELD = "spec"
# golive.yaml files are a few KiB; the body limit (1 MiB) bounds them anyway.
MAX_SPEC_CHARS = 256 * 1024

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
    spec = parse_spec(text, SPEC_FIELD)
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


def request_spec(request: Request, text: str) -> Spec:
    """:func:`accepted_spec` under the app's setting (``app.state.allow_sql``)."""
    allow_sql: bool = request.app.state.allow_sql
    return accepted_spec(text, allow_sql=allow_sql)
