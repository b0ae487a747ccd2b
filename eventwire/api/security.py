"""Tokens, the request body limit and security headers.

Writes need ``Authorization: Bearer <server.token>`` (or $EVENTWIRE_SERVER_TOKEN); with no
token configured they are refused. Reads are open unless ``server.read_token`` is set.
Tokens are compared in constant time.
"""

from __future__ import annotations

import hmac
import json
import os
import re
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import unquote_to_bytes

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from eventwire.api.errors import ApiError, body

bearer = HTTPBearer(auto_error=False, description="Authorization: Bearer <token>")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
       "frame-ancestors 'none'; form-action 'self'")
HEADERS = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
           (b"x-frame-options", b"DENY"), (b"content-security-policy", CSP.encode())]


@dataclass(frozen=True)
class Tokens:
    write: str
    read: str

    @classmethod
    def from_config(cls, server: dict[str, Any]) -> Tokens:
        write = str(server.get("token") or os.environ.get("EVENTWIRE_SERVER_TOKEN") or "")
        read = str(server.get("read_token") or os.environ.get("EVENTWIRE_SERVER_READ_TOKEN")
                   or "")
        return cls(write, read)


def _same(given: str, expected: str) -> bool:
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def _given(credentials: HTTPAuthorizationCredentials | None) -> str:
    return credentials.credentials if credentials else ""


def _unauthorised(what: str) -> ApiError:
    return ApiError(401, "E406", f"{what} need a valid bearer token",
                    "send the header 'Authorization: Bearer <token>' with the server's token",
                    headers={"WWW-Authenticate": "Bearer"})


def require_write(request: Request, credentials: Credentials) -> None:
    tokens: Tokens = request.app.state.tokens
    if not tokens.write:
        raise ApiError(403, "E403", "writes are disabled on this server: no token is set",
                       "set [server] token in the config file or the environment variable "
                       "EVENTWIRE_SERVER_TOKEN, restart the server, then send "
                       "'Authorization: Bearer <token>'")
    if not _same(_given(credentials), tokens.write):
        raise _unauthorised("writes")


def require_read(request: Request, credentials: Credentials) -> None:
    tokens: Tokens = request.app.state.tokens
    if not tokens.read:
        return
    given = _given(credentials)
    if not (_same(given, tokens.read) or _same(given, tokens.write)):
        raise _unauthorised("reads on this server")


_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control_chars(scope: Scope) -> bool:
    """NUL and other control characters in the path or query: no store accepts them
    (PostgreSQL refuses NUL) and no real name contains them."""
    raw = scope.get("raw_path") or scope["path"].encode("utf-8", "surrogateescape")
    return any(_CONTROL.search(unquote_to_bytes(part))
               for part in (raw, scope.get("query_string", b"").replace(b"+", b" ")))


class RequestGuard:
    """Refuses control characters in the URL (422), and request bodies over ``max_bytes``
    (413) by Content-Length and by the bytes actually streamed; an accepted body is handed
    on unchanged."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if has_control_chars(scope):
            await _refuse(send, 422, "E401", "the URL contains control characters",
                          "remove NUL and other control characters from the parameters")
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None:
            if not declared.strip().isdigit():
                await _refuse(send, 400, "E409", "Content-Length is not a number",
                              "send a correct Content-Length or none")
                return
            if int(declared) > self.max_bytes:
                await self._too_large(send)
                return
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._too_large(send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        await self.app(scope, _replay(b"".join(chunks), receive), send)

    async def _too_large(self, send: Send) -> None:
        await _refuse(send, 413, "E407", f"the request body is over {self.max_bytes} bytes",
                      "send fewer or shorter articles per request, or raise "
                      "[server] max_body_bytes")


def _replay(data: bytes, receive: Receive) -> Receive:
    sent = False

    async def again() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": data, "more_body": False}
        return await receive()
    return again


async def _refuse(send: Send, status: int, code: str, message: str, hint: str) -> None:
    payload = json.dumps(body(code, message, hint)).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(payload)).encode()),
                            (b"connection", b"close"), *HEADERS]})
    await send({"type": "http.response.body", "body": payload})


class SecurityHeaders:
    """Adds nosniff, no-referrer, frame denial and a strict Content-Security-Policy."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)
        await self.app(scope, receive, with_headers)
