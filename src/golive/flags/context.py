"""Reading values out of an evaluation context, the way Unleash does.

A context is a plain mapping. The standard Unleash fields (``userId``,
``sessionId``, ``remoteAddress``, ``environment``, ``appName``,
``currentTime``) are read from the top level; any other field is read from
``context["properties"]`` and, for convenience with flat contexts, from the
top level when ``properties`` does not have it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

Context = Mapping[str, Any]
Resolver = Callable[[Context], "str | None"]

STANDARD_FIELDS = frozenset(
    {"userId", "sessionId", "remoteAddress", "environment", "appName", "currentTime"}
)

EMPTY_CONTEXT: Context = {}


def as_text(value: object) -> str:
    """The string Unleash would see for a context value (contexts carry strings)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def resolver(field: str) -> Resolver:
    """A function that returns ``field`` from a context as text, or None when absent."""
    if field in STANDARD_FIELDS:

        def standard(ctx: Context) -> str | None:
            value = ctx.get(field)
            if value is None or value.__class__ is str:
                return value
            return as_text(value)

        return standard

    def custom(ctx: Context) -> str | None:
        props = ctx.get("properties")
        value = props.get(field) if props else None
        if value is None:
            value = ctx.get(field)
        if value is None or value.__class__ is str:
            return value
        return as_text(value)

    return custom
