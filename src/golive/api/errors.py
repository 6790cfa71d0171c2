"""The API's one error edge: every failure becomes a JSON problem body (RFC 9457).

A ``GoliveError`` answers with its ``http_status`` and its message; a request that
does not validate answers 422 and names each field; an HTTP error (401, 404, 413,
...) keeps its status. Any other exception is a bug: it answers a bare 500 and is
logged by the server, never echoed to the client.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from golive.errors import GoliveError

PROBLEM_JSON = "application/problem+json"


def problem(
    status: int,
    detail: str,
    *,
    errors: list[dict[str, str]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """A problem response: ``{type, title, status, detail[, errors]}``."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": _title(status),
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


def field_path(loc: tuple[int | str, ...] | list[int | str]) -> str:
    """``("body", "checks", 0, "status")`` as ``checks[0].status``; query fields by name."""
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        parts = parts[1:]
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "body"


class FieldProblem(GoliveError):
    """A library error caused by one field of the request: its problem body names the field."""

    def __init__(self, field: str, cause: GoliveError) -> None:
        text = str(cause)
        super().__init__(text if text.startswith(f"{field}:") else f"{field}: {text}")
        self.field = field
        self.message = text
        self.http_status = cause.http_status


@contextmanager
def field_problem(field: str, *kinds: type[GoliveError]) -> Iterator[None]:
    """Answer a ``kinds`` error raised in the block (any GoliveError by default) as a
    problem naming ``field``."""
    caught = kinds or (GoliveError,)
    try:
        yield
    except GoliveError as exc:
        if not isinstance(exc, caught):
            raise
        raise FieldProblem(field, exc) from None


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that turn every failure into a problem body."""
    app.add_exception_handler(GoliveError, _golive_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)


async def _golive_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, GoliveError)
    errors = None
    if isinstance(exc, FieldProblem):
        errors = [{"field": exc.field, "message": exc.message}]
    return problem(exc.http_status, str(exc) or type(exc).__name__, errors=errors)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [_field_error(error) for error in exc.errors()]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
    if len(errors) > 5:
        detail += f"; and {len(errors) - 5} more"
    return problem(422, detail or "the request is invalid", errors=errors)


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    return problem(exc.status_code, str(exc.detail), headers=exc.headers)


def _field_error(error: Any) -> dict[str, str]:
    loc = tuple(error.get("loc", ()))
    if error.get("type") == "json_invalid":
        # FastAPI puts the character offset where a field name would be.
        where = loc[1] if len(loc) > 1 else "?"
        reason = (error.get("ctx") or {}).get("error", "invalid JSON")
        return {"field": "body", "message": f"invalid JSON at character {where}: {reason}"}
    return {"field": field_path(loc), "message": _message(error)}


def _message(error: Any) -> str:
    message = str(error.get("msg", "invalid"))
    # pydantic prefixes messages raised by validators; the field name says enough.
    return message.removeprefix("Value error, ")


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
