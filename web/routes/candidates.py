"""The coach's caseload."""

from starlette.requests import Request
from starlette.routing import Route

from domain.accounts import Role
from domain.services.candidates import caseload
from web.auth import current_actor, requires
from web.db import call
from web.templating import render


@requires(Role.COACH)
async def candidates_list(request: Request):
    actor = await current_actor(request)
    return render(request, "candidates/list.html", {"candidates": await call(request, caseload, actor)})


routes = [
    Route("/candidates", candidates_list, name="candidates_list"),
]
