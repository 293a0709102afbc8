"""The signed-in user's sessions: where they are signed in, and ending the others."""

from datetime import timedelta

from starlette.requests import Request
from starlette.routing import Route

from domain.services.sessions import end_other_sessions, end_own_session, my_sessions
from web.auth import current_actor, redirect, requires, session_token
from web.db import call
from web.templating import render


@requires()
async def account_sessions(request: Request):
    actor = await current_actor(request)
    idle = timedelta(hours=request.app.state.settings.session_idle_hours)
    sessions = await call(request, my_sessions, actor, session_token(request), idle)
    return render(request, "account/sessions.html",
                  {"sessions": sessions, "ended": request.query_params.get("ended") == "1"})


@requires()
async def account_sessions_end_others(request: Request):
    actor = await current_actor(request)
    await call(request, end_other_sessions, actor, session_token(request))
    return redirect(str(request.url_for("account_sessions")) + "?ended=1", request)


@requires()
async def account_session_end(request: Request):
    actor = await current_actor(request)
    await call(request, end_own_session, actor, request.path_params["id"])
    return redirect(str(request.url_for("account_sessions")) + "?ended=1", request)


routes = [
    Route("/account/sessions", account_sessions, name="account_sessions"),
    Route("/account/sessions/end-others", account_sessions_end_others, methods=["POST"],
          name="account_sessions_end_others"),
    Route("/account/sessions/{id:id}/end", account_session_end, methods=["POST"], name="account_session_end"),
]
