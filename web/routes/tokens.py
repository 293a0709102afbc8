"""The signed-in user's API tokens: create (shown once) and revoke."""

from starlette.requests import Request
from starlette.routing import Route

from domain.services.api_tokens import create_token, revoke_token, tokens_of
from web.auth import current_actor, requires
from web.convertors import by_method
from web.db import call
from web.templating import render

TEMPLATE = "account/tokens.html"


async def _page(request: Request, actor, new_token: str | None = None):
    tokens = await call(request, tokens_of, actor)
    return render(request, TEMPLATE, {"tokens": tokens, "new_token": new_token}, block="token_list")


@requires()
async def tokens(request: Request):
    return await _page(request, await current_actor(request))


@requires()
async def token_create(request: Request):
    actor = await current_actor(request)
    form = await request.form()
    secret = await call(request, create_token, actor, str(form.get("name", "")))
    return await _page(request, actor, secret)


@requires()
async def token_revoke(request: Request):
    actor = await current_actor(request)
    await call(request, revoke_token, actor, request.path_params["id"])
    return await _page(request, actor)


routes = [
    Route("/account/tokens", by_method(get=tokens, post=token_create), methods=["GET", "POST"], name="tokens"),
    Route("/account/tokens/{id:id}/revoke", token_revoke, methods=["POST"], name="token_revoke"),
]
