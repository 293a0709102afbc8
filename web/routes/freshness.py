"""A pool that stays fresh (issue 17): the one-click answer to "Still looking?" from the e-mail, and the same
answer on /me."""

from starlette.requests import Request
from starlette.routing import Route

from domain.accounts import Role
from domain.services.freshness import answer_still_looking, answer_still_looking_own
from domain.services.self_service import own_profile
from domain.validation import NotFound
from web.auth import current_actor, redirect, requires
from web.db import call
from web.links import links_for
from web.routes.self_service import HOME, labels
from web.templating import language, render, wants_fragment


async def still_looking_link(request: Request):
    """The link in the e-mail answers in one click; it needs no login and names nobody."""
    read = links_for(request).read_still_looking_token(request.path_params["token"])
    if read is None:
        raise NotFound()
    candidate_id, asked_at, answer = read
    result = await call(request, answer_still_looking, candidate_id, asked_at, answer)
    return render(request, "portal/still_looking.html", {"result": result})


@requires(Role.CANDIDATE)
async def own_still_looking(request: Request):
    actor = await current_actor(request)
    form = await request.form()
    await call(request, answer_still_looking_own, actor, str(form.get("answer", "")))
    if wants_fragment(request):
        own = await call(request, own_profile, actor, language(request))
        return render(request, HOME, {"own": own, "matching_changed": True, **labels()}, block="matching")
    return redirect(str(request.url_for("portal")), request)


routes = [
    Route("/still-looking/{token}", still_looking_link, name="still_looking"),
    Route("/me/still-looking", own_still_looking, methods=["POST"], name="own_still_looking"),
]
