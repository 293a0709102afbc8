"""The employer's organisation profile and invitations for colleagues."""

from starlette.requests import Request
from starlette.routing import Route

from domain.accounts import ORGANISATION_SIZES, Role
from domain.offers import LANGUAGES, NACE_SECTIONS
from domain.services.admin import invite_colleague_by_mail
from domain.services.organisations import own_organisation, update_profile
from domain.validation import RuleBroken
from web.auth import current_actor, requires
from web.db import call
from web.forms import parse_profile
from web.i18n import field_errors
from web.links import links_for
from web.templating import language, render

TEMPLATE = "organisation/profile.html"


def _context(organisation, values, errors, **extra) -> dict:
    return {"organisation": organisation, "values": values, "errors": errors, "sectors": NACE_SECTIONS,
            "sizes": ORGANISATION_SIZES, "languages_all": LANGUAGES, "invite_link": None, "invite_errors": {},
            "saved": False, **extra}


@requires(Role.EMPLOYER)
async def profile(request: Request):
    actor = await current_actor(request)
    organisation = await call(request, own_organisation, actor)
    if request.method == "GET":
        return render(request, TEMPLATE, _context(organisation, organisation.as_input(), {},
                                                  welcome="welcome" in request.query_params))
    profile_input = parse_profile(await request.form())
    try:
        organisation = await call(request, update_profile, actor, profile_input)
    except RuleBroken as broken:
        return render(request, TEMPLATE, _context(organisation, profile_input,
                                                  field_errors(broken.violations, language(request))),
                      block="profile_form", status_code=422)
    return render(request, TEMPLATE, _context(organisation, organisation.as_input(), {}, saved=True),
                  block="profile_form")


@requires(Role.EMPLOYER)
async def invite(request: Request):
    actor = await current_actor(request)
    form = await request.form()
    organisation = await call(request, own_organisation, actor)
    context = _context(organisation, organisation.as_input(), {})
    try:
        token = await call(request, invite_colleague_by_mail, actor, str(form.get("email", "")), links_for(request))
    except RuleBroken as broken:
        context["invite_errors"] = field_errors(broken.violations, language(request))
        context["invite_email"] = form.get("email", "")
        return render(request, TEMPLATE, context, block="invite_form", status_code=422)
    context["invite_link"] = str(request.url_for("invitation", token=token))
    context["invite_sent_to"] = str(form.get("email", "")).strip().lower()
    return render(request, TEMPLATE, context, block="invite_form")


routes = [
    Route("/organisation", profile, methods=["GET", "POST"], name="organisation_profile"),
    Route("/organisation/invitations", invite, methods=["POST"], name="organisation_invite"),
]
