"""JSON errors everywhere: ``{"error": {"code", "message", "hint"}}``, never a stack trace.

Codes (E4xx are the API's): E401 bad parameter, E402 not found, E403 writes disabled,
E404 unknown path, E405 method not allowed, E406 missing or wrong token, E407 body too
large, E408 batch too large, E409 invalid request, E410 article too long, E499 internal.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from eventwire.errors import EventwireError

log = logging.getLogger("eventwire.api")

# error code -> HTTP status, for coded errors raised below the API (query, store)
STATUS = {"E401": 422, "E402": 404, "E403": 403, "E404": 404, "E405": 405, "E406": 401,
          "E407": 413, "E408": 413, "E409": 422, "E410": 422}

_HTTP = {
    400: ("E409", "the request is malformed", "check the request against /openapi.json"),
    404: ("E404", "there is nothing at this path", "see /openapi.json or /docs for the API"),
    405: ("E405", "this path does not accept this method", "see /openapi.json for the methods"),
}


class ApiError(EventwireError):
    """An error with the HTTP status it is answered with."""

    def __init__(self, status: int, code: str, message: str, hint: str = "",
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(code, message, hint)
        self.status = status
        self.headers = headers


def body(code: str, message: str, hint: str = "",
         details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message, "hint": hint}
    if details is not None:
        error["details"] = details
    return {"error": error}


def respond(status: int, code: str, message: str, hint: str = "",
            details: list[dict[str, Any]] | None = None,
            headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body(code, message, hint, details), status_code=status, headers=headers)


def not_found(what: str, ident: str, hint: str) -> ApiError:
    return ApiError(404, "E402", f"no {what} {ident!r} in the store", hint)


def _status_of(exc: EventwireError) -> int:
    if exc.code in STATUS:
        return STATUS[exc.code]
    if exc.code.startswith(("E0", "E3")):
        return 503  # set-up or store problem on the server side
    return 500


async def _api_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, EventwireError)
    status = exc.status if isinstance(exc, ApiError) else _status_of(exc)
    headers = exc.headers if isinstance(exc, ApiError) else None
    if status >= 500:
        log.error("request failed: %s %s", exc.code, exc.message)
    return respond(status, exc.code, exc.message, exc.hint, headers=headers)


def _field_name(loc: tuple[Any, ...]) -> str:
    """('body', 'list[ArticleIn]', 0, 'text') -> 'body[0].text'; type tags are dropped."""
    parts = [f"[{x}]" if isinstance(x, int) else str(x) for x in loc
             if not (isinstance(x, str) and (x[:1].isupper() or x.startswith("list[")))]
    if parts[:1] in (["query"], ["path"], ["header"]) and len(parts) > 1:
        parts = parts[1:]
    return ".".join(parts).replace(".[", "[") or "request"


def _field_problem(error: dict[str, Any]) -> dict[str, Any]:
    return {"field": _field_name(tuple(error.get("loc", ()))),
            "problem": str(error.get("msg", ""))}


async def _invalid(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [_field_problem(e) for e in exc.errors()][:20]
    first = problems[0] if problems else {"field": "request", "problem": "invalid"}
    return respond(422, "E401", f"invalid {first['field']}: {first['problem']}",
                   "fix the listed fields; /openapi.json describes every parameter", problems)


async def _http(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code, message, hint = _HTTP.get(exc.status_code, ("E409", str(exc.detail), ""))
    return respond(exc.status_code, code, message, hint,
                   headers=dict(exc.headers) if exc.headers else None)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return respond(500, "E499", "the server hit an unexpected error",
                   "this is a bug in eventwire; the server log has the details")


def install(app: FastAPI) -> None:
    app.add_exception_handler(EventwireError, _api_error)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)
