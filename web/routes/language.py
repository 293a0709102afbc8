"""The account page's language section: the language a person reads Opstap in (pages, e-mails, notifications).

Its own form and block (``language_form``), so the account page can hold it beside the other sections."""

from starlette.requests import Request
from starlette.routing import Route

from domain.services.accounts import choose_language
from domain.validation import RuleBroken
from web.auth import current_actor, redirect, requires
from web.convertors import by_method
from web.db import call
from web.i18n import COOKIE, field_errors
from web.templating import language, render

TEMPLATE = "account/language.html"


@requires()
async def language_form(request: Request):
    return render(request, TEMPLATE, {"errors": {}, "saved": request.query_params.get("saved") == "1"},
                  block="language_form")


@requires()
async def language_save(request: Request):
    actor = await current_actor(request)
    form = await request.form()
    chosen = str(form.get("language", ""))
    try:
        await call(request, choose_language, actor, chosen)
    except RuleBroken as broken:
        return render(request, TEMPLATE, {"errors": field_errors(broken.violations, language(request)), "saved": False},
                      block="language_form", status_code=422)
    response = redirect(str(request.url_for("account_language")) + "?saved=1", request)
    response.set_cookie(COOKIE, chosen, max_age=365 * 24 * 3600, httponly=True, samesite="lax")
    return response


routes = [
    Route("/account/language", by_method(get=language_form, post=language_save), methods=["GET", "POST"],
          name="account_language"),
]
