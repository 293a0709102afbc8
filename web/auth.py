"""Who is signed in, and the role and organisation checks every route makes."""

import functools
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from domain.accounts import Actor, Role
from domain.services.accounts import actor_by_id
from domain.validation import NotAllowed
from web.db import call

SESSION_KEY = "uid"


async def current_actor(request: Request) -> Actor | None:
    if not hasattr(request.state, "actor"):
        user_id = request.session.get(SESSION_KEY)
        request.state.actor = await call(request, actor_by_id, user_id) if user_id else None
    return request.state.actor


def sign_in(request: Request, actor: Actor) -> None:
    """A fresh session (and CSRF token) at every sign-in, against session fixation."""
    request.session.clear()
    request.session[SESSION_KEY] = actor.id
    request.state.actor = actor


def sign_out(request: Request) -> None:
    request.session.clear()
    request.state.actor = None


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
