"""Signing up, in and out; invitations; the home page; the language switch."""

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.routing import Route

from domain.accounts import Role
from domain.services.account_links import (
    PASSWORD_RESET,
    LinkInvalid,
    open_link,
    request_password_reset,
    reset_password,
)
from domain.services.accounts import (
    LoginThrottled,
    accept_invitation,
    authenticate,
    choose_language,
    invitation_for,
    sign_up_employer,
)
from domain.services.home import home_summary
from domain.services.offers import published_offers
from domain.validation import N_, RuleBroken
from web.auth import client_address, current_actor, redirect, sign_in, sign_out
from web.db import call
from web.i18n import COOKIE, LANGUAGES, field_errors
from web.links import links_for
from web.templating import language, render


def _safe_next(target: str | None) -> str | None:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


async def login(request: Request):
    if request.method == "GET":
        return render(request, "accounts/login.html", {"values": {}, "errors": {}, "next": request.query_params.get("next", ""),
                                                       "reset_done": request.query_params.get("reset") == "done"})
    form = await request.form()
    email, password = str(form.get("email", "")), str(form.get("password", ""))
    errors = {}
    try:
        actor = await call(request, authenticate, email, password)
    except LoginThrottled:
        actor = None
        errors["form"] = N_("Too many failed attempts. Wait 15 minutes and try again.")
    if actor is None:
        errors.setdefault("form", N_("That e-mail address and password do not match."))
        return render(request, "accounts/login.html",
                      {"values": {"email": email}, "errors": errors, "next": form.get("next", "")}, status_code=400)
    # The first login stores the language the page was read in; later ones bring the chosen language back.
    actor = await call(request, choose_language, actor, language(request), only_if_unset=True)
    await sign_in(request, actor)
    return redirect(_safe_next(str(form.get("next", ""))) or str(request.url_for("home")), request)


def _with_language(response, lang: str):
    if lang in LANGUAGES:
        response.set_cookie(COOKIE, lang, max_age=365 * 24 * 3600, httponly=True, samesite="lax")
    return response


async def logout(request: Request):
    await sign_out(request)
    return redirect(str(request.url_for("login")), request)


async def password_forgot(request: Request):
    """The same answer, after the same work, whether or not the address has an account (no enumeration)."""
    if request.method == "GET":
        return render(request, "accounts/password_forgot.html", {"sent": False, "values": {}})
    form = await request.form()
    email = str(form.get("email", ""))
    await call(request, request_password_reset, email, client_address(request), links_for(request))
    return render(request, "accounts/password_forgot.html", {"sent": True, "values": {"email": email}})


async def password_reset(request: Request):
    token = request.path_params["token"]
    if request.method == "GET":
        link = await call(request, open_link, token, PASSWORD_RESET)
        return render(request, "accounts/password_reset.html", {"token": token, "invalid": link is None, "errors": {}},
                      status_code=200 if link else 400)
    form = await request.form()
    try:
        await call(request, reset_password, token, str(form.get("password", "")))
    except LinkInvalid:
        return render(request, "accounts/password_reset.html", {"token": token, "invalid": True, "errors": {}},
                      status_code=400)
    except RuleBroken as broken:
        return render(request, "accounts/password_reset.html",
                      {"token": token, "invalid": False, "errors": field_errors(broken.violations, language(request))},
                      status_code=422)
    await sign_out(request)  # whoever this browser was signed in as: the reset ended every session of its user
    return redirect(str(request.url_for("login")) + "?reset=done", request)


async def signup(request: Request):
    if request.method == "GET":
        return render(request, "accounts/signup.html", {"values": {}, "errors": {}})
    form = await request.form()
    values = {k: str(v) for k, v in form.items() if k != "password"}
    try:
        actor = await call(request, sign_up_employer, organisation_name=values.get("organisation_name", ""),
                           name=values.get("name", ""), email=values.get("email", ""),
                           password=str(form.get("password", "")), language=values.get("language", ""))
    except RuleBroken as broken:
        return render(request, "accounts/signup.html",
                      {"values": values, "errors": field_errors(broken.violations, language(request))},
                      status_code=422)
    await sign_in(request, actor)
    return redirect(str(request.url_for("organisation_profile")) + "?welcome=1", request)


async def invitation(request: Request):
    token = request.path_params["token"]
    invite = await call(request, invitation_for, token)
    if request.method == "GET" or invite is None:
        return render(request, "accounts/invitation.html", {"invite": invite, "values": {}, "errors": {}},
                      status_code=200 if invite else 404)
    form = await request.form()
    try:
        actor = await call(request, accept_invitation, token, name=str(form.get("name", "")),
                           password=str(form.get("password", "")), language=str(form.get("language", "")))
    except RuleBroken as broken:
        return render(request, "accounts/invitation.html",
                      {"invite": invite, "values": {"name": form.get("name", ""), "language": form.get("language", "")},
                       "errors": field_errors(broken.violations, language(request))}, status_code=422)
    await sign_in(request, actor)
    return redirect(str(request.url_for("home")), request)


async def home(request: Request):
    """Each role's start: what waits for them (counts), what to do next, and where they are in the journey."""
    actor = await current_actor(request)
    if actor is None:
        return render(request, "home.html", {"offers": [], "summary": None})
    summary = await call(request, home_summary, actor)
    offers = await call(request, published_offers, 6) if actor.role == Role.COACH else []
    return render(request, "home.html", {"offers": offers, "summary": summary})


async def set_language(request: Request):
    form = await request.form()
    lang = str(form.get("lang", ""))
    back = _safe_next(str(form.get("next", ""))) or str(request.url_for("home"))
    actor = await current_actor(request)
    if actor is not None and lang in LANGUAGES:  # a signed-in user's choice follows them: pages, e-mails, notices
        await call(request, choose_language, actor, lang)
    return _with_language(RedirectResponse(back, status_code=303), lang)


async def health(request: Request):
    return PlainTextResponse("ok")


routes = [
    Route("/", home, name="home"),
    Route("/login", login, methods=["GET", "POST"], name="login"),
    Route("/logout", logout, methods=["POST"], name="logout"),
    Route("/password/forgot", password_forgot, methods=["GET", "POST"], name="password_forgot"),
    Route("/password/reset/{token}", password_reset, methods=["GET", "POST"], name="password_reset"),
    Route("/signup", signup, methods=["GET", "POST"], name="signup"),
    Route("/invitations/{token}", invitation, methods=["GET", "POST"], name="invitation"),
    Route("/language", set_language, methods=["POST"], name="set_language"),
    Route("/healthz", health, name="health"),
]
