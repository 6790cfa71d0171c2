"""Refuse request bodies over a size limit with 413, before reading more than the limit."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from golive.api.errors import problem


class BodyTooLarge(HTTPException):
    """The body grew past the limit while it was read (no Content-Length, or a wrong one)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, _detail(limit))


class BodySizeLimit:
    """ASGI middleware: a declared or streamed body over ``limit`` bytes is answered 413."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.limit:
            await problem(413, _detail(self.limit))(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                # An HTTPException, so the error handler answers it as a problem body.
                raise BodyTooLarge(self.limit)
            return message

        await self.app(scope, counted, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _detail(limit: int) -> str:
    return f"the request body is larger than the limit of {limit} bytes"
