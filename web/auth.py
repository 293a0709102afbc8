"""Who is signed in, and the role and organisation checks every route makes.

Sessions live on the server (domain/services/sessions.py): the signed cookie carries only a random
session id (and the CSRF token); the server keeps its hash, so logging out, a password change or an
administrator's action ends the session for every copy of the cookie.
"""

import functools
from datetime import timedelta
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from domain.accounts import Actor, Role
from domain.services.sessions import end_session, session_actor, start_session
from domain.validation import NotAllowed
from web.db import call

SESSION_KEY = "sid"


def session_token(request: Request) -> str:
    token = request.session.get(SESSION_KEY) if "session" in request.scope else None
    return token if isinstance(token, str) else ""


async def current_actor(request: Request) -> Actor | None:
    if not hasattr(request.state, "actor"):
        token = session_token(request)
        idle = timedelta(hours=request.app.state.settings.session_idle_hours)
        actor = await call(request, session_actor, token, idle) if token else None
        if actor is None and token:
            request.session.pop(SESSION_KEY, None)
        request.state.actor = actor
    return request.state.actor


async def sign_in(request: Request, actor: Actor) -> None:
    """A fresh session id (and CSRF token) at every sign-in, against session fixation; any session the
    browser had before is ended on the server."""
    old = session_token(request)
    if old:
        await call(request, end_session, old, "replaced")
    request.session.clear()
    request.session[SESSION_KEY] = await call(request, start_session, actor.id,
                                              request.headers.get("user-agent", ""))
    request.state.actor = actor


async def sign_out(request: Request) -> None:
    token = session_token(request)
    if token:
        await call(request, end_session, token, "logout")
    request.session.clear()
    request.state.actor = None


def client_address(request: Request) -> str:
    """The client's IP address, for rate limits (the direct peer: a proxy in front must pass it through)."""
    return request.client.host if request.client else ""


def redirect(url: str, request: Request | None = None) -> Response:
    """A redirect that also works for htmx requests (which follow 3xx silently)."""
    if request is not None and request.headers.get("hx-request") == "true":
        return Response(status_code=204, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


def requires(*roles: Role):
    """Signed in, with one of ``roles`` (any role when none are given); else login or 403."""

    def decorate(endpoint):
        @functools.wraps(endpoint)
        async def guarded(request: Request) -> Response:
            actor = await current_actor(request)
            if actor is None:
                return redirect(f"{request.url_for('login')}?next={quote(request.url.path)}", request)
            if roles and actor.role not in roles:
                raise NotAllowed()
            return await endpoint(request)

        return guarded

    return decorate
