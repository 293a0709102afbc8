"""CSRF protection for every state-changing request, htmx requests included.

The token lives in the signed session. Forms send it as ``csrf_token``; htmx sends it as the
``X-CSRF-Token`` header, set once on ``<body hx-headers=...>`` in the base template.
"""

import secrets

from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
HEADER = "x-csrf-token"
FIELD = "csrf_token"
MAX_BODY = 20 * 1024 * 1024


def csrf_token(request: Request) -> str:
    session = request.scope.get("session")
    if session is None:
        return ""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


class CSRFMiddleware:
    def __init__(self, app: ASGIApp, exempt_prefixes: tuple[str, ...] = ()):
        self.app = app
        self.exempt_prefixes = exempt_prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS or scope["path"].startswith(self.exempt_prefixes):
            await self.app(scope, receive, send)
            return
        expected = scope.get("session", {}).get("csrf")
        messages = await _read_body(receive)
        if messages is None:
            await PlainTextResponse("Request too large.", status_code=413)(scope, receive, send)
            return
        if _has_nul_in_form(scope, messages):  # no database stores it as text (PostgreSQL refuses it): say so
            await PlainTextResponse("The form contains a NUL character, which cannot be saved. Remove it and try again.",
                                    status_code=400)(scope, receive, send)
            return
        sent = Request(scope).headers.get(HEADER)
        if sent is None:
            form = await Request(scope, _replay(messages)).form()
            sent = form.get(FIELD)
            await form.close()
        if not expected or not isinstance(sent, str) or not secrets.compare_digest(sent, expected):
            response = PlainTextResponse(
                "This form has expired. Go back, reload the page and try again.", status_code=403)
            await response(scope, receive, send)
            return
        await self.app(scope, _replay(messages, receive), send)


async def _read_body(receive: Receive) -> list[Message] | None:
    messages, size = [], 0
    while True:
        message = await receive()
        messages.append(message)
        size += len(message.get("body", b""))
        if size > MAX_BODY:
            return None
        if message["type"] != "http.request" or not message.get("more_body", False):
            return messages


def _has_nul_in_form(scope: Scope, messages: list[Message]) -> bool:
    """A URL-encoded form with a NUL character (uploads in multipart forms may hold any byte)."""
    if not Request(scope).headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return False
    body = b"".join(message.get("body", b"") for message in messages)
    return b"%00" in body or b"\x00" in body


def _replay(messages: list[Message], then: Receive | None = None) -> Receive:
    """A receive channel that gives the buffered body again, then whatever ``then`` gives."""
    pending = list(messages)

    async def receive() -> Message:
        if pending:
            return pending.pop(0)
        if then is not None:
            return await then()
        return {"type": "http.disconnect"}

    return receive
