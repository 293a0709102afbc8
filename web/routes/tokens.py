"""The signed-in user's API tokens: create (shown once) and revoke."""

from starlette.requests import Request
from starlette.routing import Route

from domain.accounts import API_TOKEN_DAY_CHOICES, API_TOKEN_DEFAULT_DAYS
from domain.services.api_tokens import create_token, revoke_token, token_days, tokens_of
from domain.validation import RuleBroken
from web.auth import current_actor, requires
from web.convertors import by_method
from web.db import call
from web.i18n import field_errors
from web.templating import language, render

TEMPLATE = "account/tokens.html"


async def _page(request: Request, actor, new_token: str | None = None, errors: dict | None = None,
                status_code: int = 200):
    tokens = await call(request, tokens_of, actor)
    return render(request, TEMPLATE, {"tokens": tokens, "new_token": new_token, "errors": errors or {},
                                      "day_choices": API_TOKEN_DAY_CHOICES, "default_days": API_TOKEN_DEFAULT_DAYS},
                  block="token_list", status_code=status_code)


@requires()
async def tokens(request: Request):
    return await _page(request, await current_actor(request))


@requires()
async def token_create(request: Request):
    actor = await current_actor(request)
    form = await request.form()
    try:
        days = token_days(str(form.get("days", "")))
    except RuleBroken as broken:
        return await _page(request, actor, errors=field_errors(broken.violations, language(request)), status_code=422)
    secret = await call(request, create_token, actor, str(form.get("name", "")), days)
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
